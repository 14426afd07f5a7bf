"""Emails to people booking events: confirmations and reminders carry the event's .ics file."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from openpcn.education import calendar
from openpcn.education.models import Booking, Event

ICS_NAME = "event.ics"


def _ics_type(method: str) -> str:
    return f"text/calendar; charset=utf-8; method={method}"


def _when(event: Event) -> str:
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    return f"{starts:%A %d %B %Y}, {starts:%H:%M} to {ends:%H:%M}"


def _details(event: Event) -> str:
    lines = [f"{event.title}", f"When: {_when(event)}"]
    if event.venue:
        lines.append(f"Where: {event.venue}")
    if event.online_link:
        lines.append(f"Join online: {event.online_link}")
    lines.append(f"CPD hours: {event.cpd_hours}")
    lines.append(f"Details: {settings.SITE_URL.rstrip('/')}/education/events/{event.pk}/")
    return "\n".join(lines)


def _send(
    booking: Booking, subject: str, opening: str, *, ics: bool, cancelled: bool = False
) -> bool:
    address = booking.staff.person.email
    if not address:
        return False
    body = f"Dear {booking.staff.person.given_name},\n\n{opening}\n\n{_details(booking.event)}\n"
    message = EmailMessage(subject, body, None, [address])
    if ics:
        content = calendar.invitation(booking.event, cancelled=cancelled)
        message.attach(ICS_NAME, content, _ics_type("CANCEL" if cancelled else "PUBLISH"))
    message.send()
    return True


def confirmation(booking: Booking, *, promoted: bool = False) -> bool:
    opening = (
        "A place has come free and you have moved up from the waitlist: your place is confirmed."
        if promoted
        else "Your place is confirmed."
    ) + " The attached calendar file adds it to your calendar."
    return _send(booking, f"Place confirmed: {booking.event.title}", opening, ics=True)


def waitlisted(booking: Booking) -> bool:
    opening = (
        "The event is full, so you are on the waitlist. If a place comes free you will be "
        "booked automatically and sent a confirmation."
    )
    return _send(booking, f"On the waitlist: {booking.event.title}", opening, ics=False)


def reminder(booking: Booking) -> bool:
    opening = "A reminder that you are booked on this event."
    return _send(booking, f"Reminder: {booking.event.title}", opening, ics=True)


def cancelled(booking: Booking) -> bool:
    """A booked place given up: the attached file takes the event out of the person's calendar."""
    opening = "Your booking is cancelled and your place is free for someone else."
    return _send(
        booking, f"Booking cancelled: {booking.event.title}", opening, ics=True, cancelled=True
    )
