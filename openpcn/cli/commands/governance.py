"""`openpcn governance remind [--dry-run] [--queue]`: email each user their digest of what falls
due (contracts, obligations, risk reviews, declarations, board actions). Run it daily (cron or a
systemd timer); `--queue` hands it to the task worker instead of sending from the command."""

from __future__ import annotations

import argparse
from typing import Any

from openpcn.cli.django_setup import setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("governance", help="governance reminders")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    remind = actions.add_parser("remind", help="email each user the governance items due soon")
    remind.add_argument("--days", type=int, default=30, help="how far ahead to look (30)")
    remind.add_argument("--dry-run", action="store_true", help="count the digests; send nothing")
    remind.add_argument("--queue", action="store_true", help="send from the task worker")
    remind.set_defaults(handler=handle_remind)


def handle_remind(args: argparse.Namespace) -> int:
    setup_django()
    from django.utils import timezone

    from openpcn.governance.reminders import send_digests
    from openpcn.governance.tasks import send_reminder_digests

    today = timezone.localdate()
    if args.queue:
        send_reminder_digests.enqueue(today.isoformat())
        print(f"Queued the digests for {today:%d %B %Y}")
        return 0
    sent = send_digests(today, args.days, dry_run=args.dry_run)
    print(f"{'Would send' if args.dry_run else 'Sent'} {sent} digest{'s' if sent != 1 else ''}")
    return 0
