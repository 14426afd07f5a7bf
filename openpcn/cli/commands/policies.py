"""`openpcn policies …`: the policy library from the command line.

`reviews [--days N]` lists published policies whose review falls due within N days (or is past:
out of date), for every alliance. `evidence ODS_CODE OUTPUT` writes a practice's evidence pack
for CQC inspection, as PDF or XLSX by the output's suffix.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from openpcn.cli.django_setup import setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("policies", help="the policy and protocol library")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    reviews = actions.add_parser("reviews", help="list policies due for review or out of date")
    reviews.add_argument("--days", type=int, default=60, help="how far ahead to look (60)")
    reviews.set_defaults(handler=handle_reviews)
    evidence = actions.add_parser("evidence", help="write a practice's evidence pack")
    evidence.add_argument("practice", help="the practice's ODS code")
    evidence.add_argument("output", type=Path, help="where to write it: a .pdf or .xlsx file")
    evidence.set_defaults(handler=handle_evidence)


def handle_reviews(args: argparse.Namespace) -> int:
    setup_django()
    import datetime as dt

    from django.utils import timezone

    from openpcn.policies.models import PolicyVersion, VersionStatus

    today = timezone.localdate()
    due = (
        PolicyVersion.objects.filter(
            status=VersionStatus.PUBLISHED,
            review_date__lte=today + dt.timedelta(days=args.days),
        )
        .select_related("policy__organisation", "policy__owner")
        .order_by("review_date", "policy__title")
    )
    for version in due:
        state = "OUT OF DATE" if version.out_of_date(today) else "review due"
        print(
            f"{version.review_date:%d %b %Y}  {state:11}  {version.policy.organisation.name}: "
            f"{version.policy.title}, version {version.number} (owner {version.policy.owner})"
        )
    print(f"{len(due)} polic{'y' if len(due) == 1 else 'ies'} due within {args.days} days")
    return 0


def handle_evidence(args: argparse.Namespace) -> int:
    setup_django()
    from django.utils import timezone

    from openpcn.organisations.models import Organisation, OrganisationKind
    from openpcn.policies.evidence import evidence_pdf, evidence_xlsx
    from openpcn.policies.queries import practice_compliance

    suffix = args.output.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        print(f"{args.output}: the evidence pack is written as .pdf or .xlsx", file=sys.stderr)
        return 2
    practice = Organisation.objects.filter(
        ods_code=args.practice.upper(), kind=OrganisationKind.PRACTICE
    ).first()
    if practice is None:
        print(f"No practice has the ODS code {args.practice}", file=sys.stderr)
        return 1
    today = timezone.localdate()
    compliance = practice_compliance(practice)
    write = evidence_pdf if suffix == ".pdf" else evidence_xlsx
    args.output.write_bytes(write(compliance, today=today))
    print(
        f"Wrote {practice.name}'s evidence pack ({len(compliance.policies)} policies) to {args.output}"
    )
    return 0
