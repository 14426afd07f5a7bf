"""`openpcn finance`: a PCN's entitlements for a year, and its monthly payments to practices.

    openpcn finance entitlements --network ODS --year 2024
    openpcn finance pay --network ODS --month 2024-05 [--dry-run]

`pay` posts the month's payment run (as the command line, `by=None`, audited) and prints what
each practice is paid; `--dry-run` prints the same without posting. A month that cannot be paid
(no finance schedule, fixed amounts above the income, already posted) is refused with the reason.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from openpcn.cli.django_setup import setup_django
from openpcn.cli.main import CommandError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("finance", help="PCN entitlements and payments to practices")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    entitlements = actions.add_parser(
        "entitlements", help="a PCN's entitlement per payment stream for a financial year"
    )
    entitlements.add_argument("--network", required=True, metavar="ODS", help="the PCN's ODS code")
    entitlements.add_argument(
        "--year", required=True, type=int, help="the financial year by its first April (2024)"
    )
    entitlements.set_defaults(handler=handle_entitlements)
    pay = actions.add_parser("pay", help="post a month's income and payments to practices")
    pay.add_argument("--network", required=True, metavar="ODS", help="the PCN's ODS code")
    pay.add_argument("--month", required=True, metavar="YYYY-MM", help="the month to pay")
    pay.add_argument("--dry-run", action="store_true", help="show the payments; post nothing")
    pay.set_defaults(handler=handle_pay)


def _pounds(amount: Any, width: int = 15) -> str:
    return f"{'£' + format(amount, ',.2f'):>{width}}"


def _network(ods_code: str) -> Any:
    from openpcn.organisations.models import Network

    network = Network.objects.filter(ods_code=ods_code.upper()).first()
    if network is None:
        raise CommandError(f"No PCN has the ODS code {ods_code!r}")
    return network


def handle_entitlements(args: argparse.Namespace) -> int:
    setup_django()
    from openpcn.finance.entitlements import FinancialYear, network_entitlement

    network = _network(args.network)
    result = network_entitlement(network, FinancialYear(args.year))
    print(f"{network.name} ({network.ods_code}), {result.year.label}")
    for stream in result.streams:
        print(
            f"  {stream.name:<40} {_pounds(stream.annual)}  ({_pounds(stream.monthly[0], 0)} a month)"
        )
    print(f"  {'Total':<40} {_pounds(result.total)}")
    for warning in result.warnings:
        print(f"  warning: {warning}")
    return 0


def handle_pay(args: argparse.Namespace) -> int:
    try:
        month = dt.datetime.strptime(args.month, "%Y-%m").date()
    except ValueError as error:
        raise CommandError(f"--month {args.month!r}: give a month as YYYY-MM") from error
    setup_django()
    from django.core.exceptions import ValidationError

    from openpcn.finance import actions
    from openpcn.finance.distribution import network_distribution
    from openpcn.finance.entitlements import FinancialYear

    network = _network(args.network)
    result = network_distribution(network, FinancialYear.containing(month))
    plan = result.month(month)
    assert plan is not None
    print(f"{network.name} ({network.ods_code}), {month:%B %Y}")
    print(f"  received £{plan.received:,.2f}; retained £{plan.retained:,.2f}")
    for key, name in result.recipients():
        if amount := plan.paid_to(key):
            print(f"  {name:<40} {_pounds(amount)}")
    if args.dry_run:
        for problem in plan.all_problems:
            print(f"  cannot be paid: {problem}")
        return 0
    try:
        run = actions.post_payment_run(by=None, network=network, month=month)
    except ValidationError as error:
        raise CommandError(" ".join(error.messages) + " (nothing was posted)") from error
    print(f"Posted as journal {run.journal_id}: £{run.paid_out:,.2f} paid to practices")
    return 0
