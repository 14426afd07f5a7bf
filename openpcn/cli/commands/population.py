"""`openpcn population …`: run the indicator suite on an extract, or generate a synthetic one."""

from __future__ import annotations

import argparse
import csv
import datetime
import tempfile
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from openpcn.cli.django_setup import setup_django
from openpcn.cli.main import CommandError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("population", help="population health indicators and extracts")
    commands = parser.add_subparsers(dest="population_command", metavar="ACTION", required=True)

    run = commands.add_parser("run", help="compute indicators, variation and worklists")
    run.add_argument("--extract", type=Path, required=True, help="folder of extract CSV/Parquet")
    run.add_argument("--deprivation", type=Path, required=True, help="CSV: lsoa_code,imd_decile")
    run.add_argument("--org-map", type=Path, required=True, help="CSV: practice_code,pcn_code")
    run.add_argument("--as-of", type=_date, required=True, help="YYYY-MM-DD")
    run.add_argument("--out", type=Path, required=True, help="output folder")
    run.add_argument("--codelists", type=Path, help="folder of OpenCodelists CSVs (default: ours)")
    run.add_argument("--backend", choices=("duckdb", "spark"), default="duckdb")
    run.add_argument("--months", type=int, default=12, help="monthly series length (0: none)")
    run.add_argument("--alliance-code", default="ALLIANCE", help="org_code of the alliance rows")
    run.set_defaults(handler=handle_run)

    generate = commands.add_parser("generate", help="write a seeded synthetic extract")
    generate.add_argument(
        "--patients", type=int, help="number of patients (default: org-map sizes)"
    )
    generate.add_argument("--seed", type=int, required=True)
    generate.add_argument("--out", type=Path, required=True)
    generate.add_argument(
        "--org-map",
        type=Path,
        help="CSV: practice_code,pcn_code[,list_size] — generate for these practices",
    )
    generate.add_argument("--as-of", type=_date, help="date the extract is taken (YYYY-MM-DD)")
    generate.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    generate.set_defaults(handler=handle_generate)

    load = commands.add_parser(
        "import",
        help="upload an extract folder into the platform and check every row",
        description="Keep every file of FOLDER privately for the alliance, then check and load it "
        "here (no worker needed). A problem is reported by file, row and field, and nothing from "
        "the extract is kept.",
    )
    load.add_argument("--alliance", required=True, help="the alliance's name or id")
    load.add_argument(
        "--format", dest="file_format", choices=("csv", "parquet", "fhir"), required=True
    )
    load.add_argument("folder", metavar="FOLDER", type=Path, help="the extract's files")
    load.set_defaults(handler=handle_import)

    refresh = commands.add_parser(
        "refresh",
        help="recompute the platform's indicators from a loaded extract",
        description="Count every indicator again for an as-of date, with a monthly history, "
        "by the data-sharing agreements in force today.",
    )
    refresh.add_argument("--alliance", required=True, help="the alliance's name or id")
    refresh.add_argument("--extract", type=int, help="extract id (default: the latest loaded)")
    refresh.add_argument(
        "--as-of", type=_date, help="YYYY-MM-DD (default: the extract's latest event, or today)"
    )
    refresh.add_argument("--months", type=int, default=24, help="months of history (default 24)")
    refresh.set_defaults(handler=handle_refresh)


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from error


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        transient=True,
    )


def handle_run(args: argparse.Namespace) -> int:
    from openpcn.population.engine import outputs
    from openpcn.population.engine.codelist_library import CodelistError, load_codelists
    from openpcn.population.engine.loading import ExtractError, load_extract

    if args.months < 0:
        raise CommandError("--months must be 0 or more")
    steps = 6 + args.months
    with _progress() as progress:
        task = progress.add_task("loading extract", total=steps)
        try:
            extract = load_extract(args.extract, args.deprivation, args.org_map)
            codelists = load_codelists(args.codelists)
        except (ExtractError, CodelistError) as error:
            raise CommandError(str(error)) from error
        progress.advance(task)
        progress.update(task, description=f"starting {args.backend}")
        engine = _engine(args.backend, extract.tables)

        def step(message: str) -> None:
            progress.update(task, description=message)
            progress.advance(task)

        settings = outputs.RunSettings(
            as_of=args.as_of,
            codelists=codelists,
            alliance_code=args.alliance_code,
            months=args.months,
        )
        written = outputs.run(engine, extract, settings, args.out, progress=step)
    for name, path in written.items():
        print(f"{name}: {path}")
    return 0


def _engine(backend: str, tables: Any) -> Any:
    from openpcn.population.engine.engines.ibis_engine import IbisEngine, quiet_backends

    if backend == "duckdb":
        return IbisEngine.duckdb(tables)
    try:
        with quiet_backends():
            from pyspark.sql import SparkSession
    except ImportError as error:
        raise CommandError(
            "the spark backend needs pyspark: pip install 'openpcn[spark]'"
        ) from error
    with quiet_backends():
        session = (
            SparkSession.builder.master("local[*]")
            .appName("openpcn-population")
            .config("spark.ui.enabled", "false")
            # Extracts are temporary views; keep Spark from creating a warehouse in the cwd.
            .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="openpcn-spark-"))
            .getOrCreate()
        )
    return IbisEngine.pyspark(tables, session)


def handle_generate(args: argparse.Namespace) -> int:
    from openpcn.population.engine import synthetic

    practices = _read_org_map(args.org_map) if args.org_map else None
    patients = args.patients
    if patients is None:
        sizes = [p.list_size for p in practices or []]
        if not sizes or any(size is None for size in sizes):
            raise CommandError(
                "give --patients, or an --org-map with a list_size for every practice"
            )
        patients = sum(size for size in sizes if size is not None)
    if patients < 1:
        raise CommandError("--patients must be at least 1")
    as_of = args.as_of or synthetic.DEFAULT_AS_OF
    with _progress() as progress:
        task = progress.add_task(f"generating {patients:,} patients", total=2)
        tables = synthetic.generate(patients, args.seed, as_of=as_of, practices=practices)
        progress.update(task, advance=1, description="writing files")
        written = synthetic.write(tables, args.out, args.format)
        progress.advance(task)
    for path in written:
        print(path)
    return 0


def _read_org_map(path: Path) -> list[Any]:
    from openpcn.population.engine.synthetic import PracticeSpec

    if not path.is_file():
        raise CommandError(f"{path}: file not found")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"practice_code", "pcn_code"} - set(reader.fieldnames or [])
        if missing:
            raise CommandError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}")
        practices = []
        for number, row in enumerate(reader, start=1):
            size_text = (row.get("list_size") or "").strip()
            if size_text and not size_text.isdigit():
                raise CommandError(
                    f"{path.name}, row {number}, column list_size: not a whole number"
                )
            code, pcn = row["practice_code"].strip(), row["pcn_code"].strip()
            if not code or not pcn:
                raise CommandError(
                    f"{path.name}, row {number}: practice_code and pcn_code are required"
                )
            practices.append(PracticeSpec(code, pcn, int(size_text) if size_text else None))
    if not practices:
        raise CommandError(f"{path.name}: no practices")
    return practices


# --- The platform: `population import` and `population refresh` (need Django) ---------------


def _alliance(name_or_pk: str) -> Any:
    from openpcn.organisations.models import Organisation, OrganisationKind

    alliances = Organisation.objects.filter(kind=OrganisationKind.ALLIANCE)
    found = None
    if name_or_pk.isdigit():
        found = alliances.filter(pk=int(name_or_pk)).first()
    if found is None:
        found = alliances.filter(name__iexact=name_or_pk.strip()).first()
    if found is None:
        raise CommandError(f"no alliance called {name_or_pk!r}")
    return found


def _job_progress() -> Progress:
    from rich.console import Console

    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )


def handle_import(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    if not folder.is_dir():
        raise CommandError(f"{folder}: no such folder")
    paths = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    if not paths:
        raise CommandError(f"{folder}: no files to import")
    setup_django()
    from django.core.exceptions import ValidationError

    from openpcn.population import actions, imports
    from openpcn.population.models import JobStatus

    alliance = _alliance(args.alliance)
    handles = [(path.name, path.open("rb")) for path in paths]
    try:
        extract = actions.upload_extract(
            by=None,
            alliance=alliance,
            file_format=args.file_format,
            files=handles,
            enqueue=False,
        )
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from error
    finally:
        for _, handle in handles:
            handle.close()
    with _job_progress() as progress:
        task = progress.add_task(f"Checking extract {extract.pk}", total=100)
        imports.run_import(
            extract.pk,
            on_progress=lambda percent, message: progress.update(
                task, completed=percent, description=message
            ),
        )
    extract.refresh_from_db()
    if extract.status != JobStatus.DONE:
        where = f"{extract.where}: " if extract.where else ""
        raise CommandError(
            f"extract {extract.pk} was not loaded: {where}{extract.error} "
            "(nothing from it was kept)"
        )
    print(f"Extract {extract.pk} loaded for {alliance.name}")
    for name, rows in extract.row_counts.items():
        print(f"  {name}: {rows:,} rows")
    print(f"  practices: {', '.join(extract.practice_codes)}")
    if extract.latest_event_date:
        print(f"  latest clinical event: {extract.latest_event_date.isoformat()}")
    return 0


def handle_refresh(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.exceptions import ValidationError

    from openpcn.population import actions, refresh
    from openpcn.population.models import JobStatus, PopulationExtract

    alliance = _alliance(args.alliance)
    loaded = PopulationExtract.objects.filter(alliance=alliance, status=JobStatus.DONE)
    if args.extract is not None:
        extract = PopulationExtract.objects.filter(alliance=alliance, pk=args.extract).first()
        if extract is None:
            raise CommandError(f"{alliance.name} has no extract {args.extract}")
    else:
        extract = loaded.order_by("-uploaded_at", "-pk").first()
        if extract is None:
            raise CommandError(f"{alliance.name} has no loaded extract: import one first")
    as_of = args.as_of or extract.latest_event_date or datetime.date.today()
    try:
        run = actions.request_refresh(
            by=None, extract=extract, as_of=as_of, months=args.months, enqueue=False
        )
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from error
    with _job_progress() as progress:
        task = progress.add_task(f"Refreshing from extract {extract.pk}", total=100)
        refresh.run_refresh(
            run.pk,
            on_progress=lambda percent, message: progress.update(
                task, completed=percent, description=message
            ),
        )
    run.refresh_from_db()
    if run.status != JobStatus.DONE:
        raise CommandError(f"refresh {run.pk} failed: {run.progress_message or run.error}")
    print(
        f"Refresh {run.pk}: {run.figures.count():,} figures for {alliance.name} "
        f"as of {run.as_of.isoformat()} ({run.months} months), from extract {extract.pk}"
    )
    codes = sorted(set(extract.practice_codes) | set(run.shared_with_pcn))
    not_shared = [c for c in codes if c not in run.shared_with_pcn]
    print(f"  shared with PCN figures: {', '.join(run.shared_with_pcn) or 'none'}")
    print(
        f"  shared with place and alliance figures: {', '.join(run.shared_with_alliance) or 'none'}"
    )
    print(f"  only in their own figures: {', '.join(not_shared) or 'none'}")
    return 0
