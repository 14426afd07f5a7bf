"""`openpcn education remind [--dry-run] [--queue]`: email everyone booked on an event in the next
36 hours their reminder with the event's .ics file (once each). Run it hourly or daily (cron or a
systemd timer); `--queue` hands it to the task worker instead of sending from the command."""

from __future__ import annotations

import argparse
from typing import Any

from openpcn.cli.django_setup import setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("education", help="education event reminders")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    remind = actions.add_parser("remind", help="email reminders for events starting soon")
    remind.add_argument("--dry-run", action="store_true", help="count the reminders; send nothing")
    remind.add_argument("--queue", action="store_true", help="send from the task worker")
    remind.set_defaults(handler=handle_remind)


def handle_remind(args: argparse.Namespace) -> int:
    setup_django()
    from django.utils import timezone

    from openpcn.education.actions import send_reminders
    from openpcn.education.tasks import send_event_reminders

    now = timezone.now()
    if args.queue:
        send_event_reminders.enqueue(now.isoformat())
        print(f"Queued the event reminders at {timezone.localtime(now):%H:%M on %d %B %Y}")
        return 0
    sent = send_reminders(now, dry_run=args.dry_run)
    print(f"{'Would send' if args.dry_run else 'Sent'} {sent} reminder{'s' if sent != 1 else ''}")
    return 0
