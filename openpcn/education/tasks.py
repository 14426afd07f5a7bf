"""Background tasks for education: the reminders before each event, sent with its .ics file."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def send_event_reminders(now: str) -> int:
    from openpcn.education.actions import send_reminders

    return send_reminders(dt.datetime.fromisoformat(now))
