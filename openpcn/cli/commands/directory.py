"""`openpcn directory import FILE [--alliance NAME]`: load an Open Referral UK feed (JSON) into an
alliance's directory of local services; `openpcn directory postcodes FILE`: load postcode
centroids from an ONS Postcode Directory-style CSV (pcds, lat, long) for distance searches.

A bad feed is reported with the file and JSON path of every problem, and nothing is imported.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from openpcn.cli.django_setup import setup_django
from openpcn.cli.main import CommandError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("directory", help="the directory of local services (ORUK)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    feed = actions.add_parser("import", help="import an Open Referral UK feed (JSON)")
    feed.add_argument("file", metavar="FILE", type=Path, help="the ORUK JSON file")
    feed.add_argument(
        "--alliance", help="the alliance whose directory it joins (needed if there are several)"
    )
    feed.set_defaults(handler=handle_import)
    postcodes = actions.add_parser(
        "postcodes", help="load postcode centroids from an ONSPD-style CSV (pcds, lat, long)"
    )
    postcodes.add_argument("file", metavar="FILE", type=Path, help="the CSV file")
    postcodes.set_defaults(handler=handle_postcodes)


def _alliance(name: str | None) -> Any:
    from openpcn.organisations.models import Alliance

    alliances = Alliance.objects.all()
    if name:
        alliances = alliances.filter(name=name) | alliances.filter(ods_code=name)
    found = list(alliances)
    if len(found) == 1:
        return found[0]
    if not found:
        raise CommandError(f"no alliance {name!r}" if name else "there is no alliance yet")
    names = ", ".join(a.name for a in found)
    raise CommandError(f"say which alliance with --alliance (one of: {names})")


def handle_import(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    setup_django()
    from openpcn.directory.actions import import_feed
    from openpcn.directory.feeds import FeedError

    alliance = _alliance(args.alliance)
    try:
        loaded = import_feed(by=None, alliance=alliance, name=path.name, content=path.read_bytes())
    except FeedError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        raise CommandError(
            f"{path.name}: {len(error.problems)} problem(s); nothing was imported"
        ) from error
    print(f"Imported {loaded.summary} into the directory of {alliance.name}")
    return 0


def handle_postcodes(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    setup_django()
    from django.core.exceptions import ValidationError

    from openpcn.directory.actions import load_postcodes

    try:
        loaded = load_postcodes(
            by=None, name=path.name, content=path.read_text(encoding="utf-8-sig")
        )
    except ValidationError as error:
        for message in error.messages:
            print(message, file=sys.stderr)
        raise CommandError(f"{path.name}: nothing was loaded") from error
    print(loaded.summary)
    return 0
