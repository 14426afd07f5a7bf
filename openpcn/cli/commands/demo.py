"""`openpcn demo`: create the database, migrate, load the synthetic demo alliance and serve it."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from openpcn.cli.commands.serve import add_serve_arguments, serve
from openpcn.cli.django_setup import setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo", help="prepare the database with the synthetic demo alliance and serve it"
    )
    parser.add_argument(
        "--no-serve", action="store_true", help="only prepare the database and print the logins"
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed for the synthetic data")
    parser.add_argument(
        "--no-rota",
        action="store_true",
        help="skip planning and publishing the demo's 4-week rota (saves about a minute and a half)",
    )
    parser.add_argument(
        "--code", metavar="USERNAME", help="print the current two-factor code of a demo login"
    )
    add_serve_arguments(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from openpcn.accounts.roles import ROLES
    from openpcn.demo.load import load_demo
    from openpcn.demo.logins import DEMO_PASSWORD

    console = Console()
    if args.code:
        from openpcn.demo.logins import current_code

        console.print(current_code(args.code))
        return 0
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    console.print("Migrating the database…")
    call_command("migrate", verbosity=0, interactive=False)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as progress:
        tasks = {
            "Practices": progress.add_task("Practices", total=47),
            "People": progress.add_task("People", total=None),
            "Staff": progress.add_task("Staff records", total=None),
            "Rotas": progress.add_task("Rotas planned and published", total=None),
        }

        def tick(label: str, n: int) -> None:
            progress.advance(tasks[label], n)

        result = load_demo(seed=args.seed, progress=tick, rota=not args.no_rota)
        progress.update(tasks["Practices"], completed=47)
    console.print(
        "Loaded the synthetic demo alliance." if result.created else "The demo is already loaded."
    )
    console.print(f"\nDemo logins (the password for all is {DEMO_PASSWORD}):", highlight=False)
    for login in result.logins:
        line = f"  {login.username:<18} {ROLES[login.role].name} at {login.organisation}"
        if login.totp_secret:
            line += f"; two-factor secret {login.totp_secret}"
        console.print(line, highlight=False, soft_wrap=True)
    console.print(
        "Logins with a secret need a code from an authenticator app: add the secret to the app, "
        "or print the current code with: .venv/bin/openpcn demo --code USERNAME"
    )
    if args.no_serve:
        return 0
    console.print(f"Serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)")
    return serve(args.host, args.port, worker=not args.no_worker)
