"""`openpcn manage …`: Django's management commands (migrate, createsuperuser, shell…)."""

from __future__ import annotations

import argparse
from typing import Any

from openpcn.cli.django_setup import setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("manage", help="run a Django management command", add_help=False)
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["openpcn manage", *args.rest])
    return 0
