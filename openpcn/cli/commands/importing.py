"""`openpcn import {practice-map,list-sizes,epraccur,epcn} FILE`: load an NHS public file.

Each subcommand runs one importer from `openpcn.organisations.importers` as the command line
(`by=None`), shows a progress bar and prints a one-line summary. A malformed file is reported
with its file, row and column, and leaves the database as it was.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from openpcn.cli.django_setup import setup_django
from openpcn.cli.main import CommandError

# Subcommand → (importer function name, what the file is, for the help).
IMPORTERS = {
    "practice-map": (
        "import_practice_map",
        "gp-reg-pat-prac-map.csv: practice → PCN → sub-ICB location → ICB (either header)",
    ),
    "list-sizes": (
        "import_list_sizes",
        "gp-reg-pat-prac-quin-age.csv or a single-year-of-age file: registered list sizes",
    ),
    "epraccur": ("import_epraccur", "ODS epraccur.csv: practice details (no header)"),
    "epcn": ("import_epcn", "ODS ePCN.xlsx: PCNs and practice → PCN memberships with history"),
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("import", help="import an NHS public file into the registry")
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind, (_, description) in IMPORTERS.items():
        sub = kinds.add_parser(kind, help=description, description=description)
        sub.add_argument("file", metavar="FILE", type=Path, help="the file to import")
        if kind == "epraccur":
            sub.add_argument(
                "--all-settings",
                action="store_true",
                help="take every prescribing setting, not only GP practices (setting 4)",
            )
        sub.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    setup_django()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from openpcn.organisations import importers

    function_name, _ = IMPORTERS[args.kind]
    importer = getattr(importers, function_name)
    options: dict[str, Any] = {}
    if args.kind == "epraccur":
        options["all_settings"] = args.all_settings
    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(f"Importing {path.name}", total=None)

        def tick(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            result = importer(by=None, path=path, progress=tick, **options)
        except importers.ImportFileError as error:
            raise CommandError(f"{error} (nothing was imported)") from error
    print(result.summary)
    return 0
