"""An event as an RFC 5545 invitation, attached to confirmation and reminder emails."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from openpcn.education.models import Event

UID_DOMAIN = "openpcn"


def uid(event: Event) -> str:
    """Stable per event: a reminder or change updates the entry in the calendar, not duplicates."""
    return f"education-event-{event.pk}@{UID_DOMAIN}"


def invitation(event: Event, *, cancelled: bool = False) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//OpenPCN//Education events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    item = CalendarEvent()
    item.add("uid", uid(event))
    item.add("dtstamp", timezone.now())
    item.add("dtstart", timezone.localtime(event.starts_at))
    item.add("dtend", timezone.localtime(event.ends_at))
    item.add("summary", event.title)
    if event.venue or event.online_link:
        item.add("location", event.venue or event.online_link)
    if event.online_link:
        item.add("url", event.online_link)
    details = [f"Run by {event.organisation.name}. CPD hours: {event.cpd_hours}."]
    if event.speakers:
        details.append(f"Speakers: {event.speakers}")
    if event.outcomes:
        details.append("Learning outcomes:\n" + "\n".join(f"- {o}" for o in event.outcomes))
    if event.online_link:
        details.append(f"Join online: {event.online_link}")
    details.append(f"{settings.SITE_URL.rstrip('/')}/education/events/{event.pk}/")
    item.add("description", "\n\n".join(details))
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    item.add("transp", "OPAQUE")
    calendar.add_component(item)
    # VTIMEZONE for Europe/London, so every DTSTART/DTEND's TZID is defined in the file.
    calendar.add_missing_timezones()
    return calendar.to_ical()
