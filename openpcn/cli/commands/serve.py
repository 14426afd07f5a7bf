"""`openpcn serve`: run the web app (Django's server; use a WSGI server behind TLS in production)."""

from __future__ import annotations

import argparse
from typing import Any

from openpcn.cli.django_setup import setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("serve", help="serve the web app")
    add_serve_arguments(parser)
    parser.set_defaults(handler=handle)


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")


def serve(host: str, port: int) -> int:
    from django.core.management import call_command

    call_command("runserver", f"{host}:{port}", use_reloader=False)
    return 0


def handle(args: argparse.Namespace) -> int:
    setup_django()
    return serve(args.host, args.port)
