"""A staff member's published sessions as an RFC 5545 calendar that calendar apps subscribe to."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Event

from openpcn.rostering.models import RotaAssignment
from openpcn.rostering.queries import published_sessions, session_label
from openpcn.rostering.sessions import times_for
from openpcn.workforce.models import StaffMember

LONDON = ZoneInfo("Europe/London")
# Calendar apps keep past events they have seen; the feed need not repeat a long history.
HISTORY = dt.timedelta(days=90)
UID_DOMAIN = "openpcn"


def uid(a: RotaAssignment) -> str:
    """Stable for a person's session: re-publishing or repairing a rota updates, not duplicates."""
    return f"rota-{a.staff_id}-{a.date:%Y%m%d}-{a.session}@{UID_DOMAIN}"


def _at(day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=LONDON)


def summary(a: RotaAssignment) -> str:
    text = f"{session_label(a.session)} session at {a.site.name}"
    return text + (" (Enhanced Access)" if a.network_id else "")


def event(a: RotaAssignment, stamp: dt.datetime) -> Event | None:
    times = times_for(a.date.weekday(), a.session)
    if times is None:
        return None
    item = Event()
    item.add("uid", uid(a))
    item.add("dtstamp", stamp)
    item.add("dtstart", _at(a.date, times.start))
    item.add("dtend", _at(a.date, times.end))
    item.add("summary", summary(a))
    item.add("location", ", ".join(p for p in (a.site.name, a.site.postcode) if p))
    details = [f"Rota: {a.plan.scope.name}"]
    if a.skill is not None:
        details.append(f"As: {a.skill.name}")
    if a.network is not None:
        details.append(f"Enhanced Access for {a.network.name}")
    item.add("description", "\n".join(details))
    item.add("transp", "OPAQUE")
    return item


def feed(staff: StaffMember, today: dt.date | None = None) -> bytes:
    """The VCALENDAR of `staff`'s published sessions from 90 days ago onwards."""
    today = today or timezone.localdate()
    calendar = Calendar()
    calendar.add("prodid", "-//OpenPCN//Rota feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Rota: {staff.person.full_name}")
    calendar.add("x-wr-timezone", "Europe/London")
    for a in published_sessions(staff, since=today - HISTORY):
        item = event(a, a.plan.published_at or timezone.now())
        if item is not None:
            calendar.add_component(item)
    # VTIMEZONE for Europe/London, so every DTSTART/DTEND's TZID is defined in the file.
    calendar.add_missing_timezones()
    return calendar.to_ical()
