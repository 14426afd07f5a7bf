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
        "--no-population",
        action="store_true",
        help="skip the population data: agreements, a synthetic extract of every registered "
        "patient and an indicator refresh (saves a few minutes)",
    )
    parser.add_argument(
        "--population-patients",
        type=int,
        metavar="N",
        help="generate N synthetic patients rather than one for each on the registry's lists "
        "(390,000)",
    )
    parser.add_argument(
        "--population-months",
        type=int,
        default=24,
        metavar="M",
        help="months of indicator history for trends and SPC charts (default 24)",
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
    from openpcn.demo.population import STEPS as POPULATION_STEPS
    from openpcn.demo.population import DemoPopulationError

    console = Console()
    if args.code:
        from openpcn.demo.logins import current_code

        console.print(current_code(args.code))
        return 0
    if args.population_patients is not None and args.population_patients < 1:
        console.print("--population-patients must be at least 1 (or use --no-population)")
        return 2
    # 0: none; None: one synthetic patient for each on the registry's lists.
    population: int | None = 0 if args.no_population else args.population_patients
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
        if population != 0:
            tasks["Population"] = progress.add_task("Population data", total=POPULATION_STEPS)

        def tick(label: str, n: int) -> None:
            # The population's stages come as "Population: <what it is doing>".
            key, _, doing = label.partition(": ")
            if doing:
                progress.update(tasks[key], description=f"Population data: {doing}")
            progress.advance(tasks[key], n)

        try:
            result = load_demo(
                seed=args.seed,
                progress=tick,
                rota=not args.no_rota,
                population_patients=population,
                population_months=args.population_months,
            )
        except DemoPopulationError as error:
            progress.stop()
            console.print(
                f"{error}\nThe rest of the demo is loaded; run the command again to retry the "
                "population data, or add --no-population to go without it.",
                highlight=False,
            )
            return 1
        progress.update(tasks["Practices"], completed=47)
        if "Population" in tasks and result.population is None:  # already there: nothing done
            progress.remove_task(tasks["Population"])
    console.print(
        "Loaded the synthetic demo alliance." if result.created else "The demo is already loaded."
    )
    if result.population is not None:
        run = result.population.refresh
        stages = ", ".join(
            f"{name} {took:.0f} s" for name, took in result.population.seconds.items()
        )
        console.print(
            f"Population data: {result.population.patients:,} synthetic patients, indicators as of "
            f"{run.as_of:%d %B %Y} with {run.months} months of history ({stages}).",
            highlight=False,
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
