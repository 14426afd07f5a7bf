"""Background tasks for governance: the reminder digests, emailed once a day."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def send_reminder_digests(today: str) -> int:
    from openpcn.governance.reminders import send_digests

    return send_digests(dt.date.fromisoformat(today))
