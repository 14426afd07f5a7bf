"""`openpcn recruitment close-due [--dry-run]`: close the vacancies whose closing date has passed,
so their panels can shortlist. Run it daily (cron or a systemd timer), after midnight."""

from __future__ import annotations

import argparse
from typing import Any

from openpcn.cli.django_setup import setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("recruitment", help="vacancies and applications")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    close = actions.add_parser(
        "close-due", help="close open vacancies past their closing date to applications"
    )
    close.add_argument("--dry-run", action="store_true", help="list them; change nothing")
    close.set_defaults(handler=handle_close_due)


def handle_close_due(args: argparse.Namespace) -> int:
    setup_django()
    from django.utils import timezone

    from openpcn.recruitment.actions import close_due_vacancies
    from openpcn.recruitment.models import Vacancy, VacancyStatus

    today = timezone.localdate()
    if args.dry_run:
        due = Vacancy.objects.filter(status=VacancyStatus.OPEN, closing_date__lt=today)
        for vacancy in due.select_related("employer"):
            print(f"Would close {vacancy.reference} {vacancy} (closed {vacancy.closing_date})")
        return 0
    closed = close_due_vacancies(today=today)
    for vacancy in closed:
        print(f"Closed {vacancy.reference} {vacancy}: its panel can shortlist")
    print(f"Closed {len(closed)} vacanc{'y' if len(closed) == 1 else 'ies'}")
    return 0
