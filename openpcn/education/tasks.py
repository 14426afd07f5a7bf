"""Background tasks for education: the reminders before each event, sent with its .ics file."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def send_event_reminders(now: str) -> int:
    from openpcn.education.actions import send_reminders

    return send_reminders(dt.datetime.fromisoformat(now))


@task()
def remind_event(event_id: int) -> int:
    """Queued for a day before each event starts (where the backend can wait until then)."""
    from django.utils import timezone

    from openpcn.education.actions import send_reminders
    from openpcn.education.models import Event

    event = Event.objects.filter(pk=event_id).first()
    return 0 if event is None else send_reminders(timezone.now(), event=event)
