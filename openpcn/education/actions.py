"""Writes to education events: creating, booking and cancelling, the register, feedback, reminders.

Running an event needs EVENT_MANAGE over its organisation. Booking needs a staff record and a place
in the event's audience. Booking and cancelling lock the event row (SELECT … FOR UPDATE), count
again and move `places_taken` with the booking, which a check constraint keeps within capacity; a
cancellation hands its place to the head of the waitlist in the same transaction (ADR 0011).
Emails are sent once the transaction has committed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from openpcn.accounts.permissions import Permission
from openpcn.core import audit
from openpcn.core.actions import require_permission
from openpcn.education import mail
from openpcn.education.models import Booking, BookingStatus, Event, EventKind, Feedback
from openpcn.education.queries import in_audience, live_booking
from openpcn.organisations.models import Organisation, OrganisationKind
from openpcn.workforce import actions as workforce
from openpcn.workforce.models import JobRole, StaffMember
from openpcn.workforce.queries import own_staff_record


def _check_details(
    *, title: str, outcomes: str, starts_at: dt.datetime, ends_at: dt.datetime, cpd_hours: Decimal
) -> None:
    if not title.strip():
        raise ValidationError({"title": "An event needs a title"})
    if not outcomes.strip():
        raise ValidationError({"learning_outcomes": "Give at least one learning outcome"})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "An event must end after it starts"})
    if cpd_hours < 0 or cpd_hours > 40:
        raise ValidationError({"cpd_hours": "CPD hours must be between 0 and 40"})
    length = Decimal((ends_at - starts_at).total_seconds()) / 3600
    if cpd_hours > length:
        raise ValidationError({"cpd_hours": "CPD hours cannot be more than the event lasts"})


def _check_audience(organisation: Organisation, networks: list[Organisation]) -> None:
    for network in networks:
        if network.kind != OrganisationKind.NETWORK:
            raise ValidationError({"audience_networks": f"{network} is not a PCN"})
        inside = network.pk == organisation.pk or organisation.pk in (
            network.alliance_id,
            network.place_id,
        )
        if not inside:
            raise ValidationError({"audience_networks": f"{network} is not within {organisation}"})


@transaction.atomic
def create_event(
    *,
    by: Any,
    organisation: Organisation,
    kind: str,
    title: str,
    learning_outcomes: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    cpd_hours: Decimal,
    capacity: int,
    speakers: str = "",
    venue: str = "",
    online_link: str = "",
    audience_roles: Iterable[JobRole] = (),
    audience_networks: Iterable[Organisation] = (),
) -> Event:
    require_permission(by, Permission.EVENT_MANAGE, organisation=organisation)
    if kind not in EventKind.values:
        raise ValidationError({"kind": f"Unknown kind of event {kind!r}"})
    _check_details(
        title=title,
        outcomes=learning_outcomes,
        starts_at=starts_at,
        ends_at=ends_at,
        cpd_hours=cpd_hours,
    )
    if capacity < 1:
        raise ValidationError({"capacity": "An event needs at least one place"})
    if not venue.strip() and not online_link.strip():
        raise ValidationError({"venue": "Give a venue, an online link, or both"})
    networks = list(audience_networks)
    _check_audience(organisation, networks)
    event = Event.objects.create(
        organisation=organisation,
        kind=kind,
        title=title.strip(),
        learning_outcomes=learning_outcomes.strip(),
        speakers=speakers.strip(),
        venue=venue.strip(),
        online_link=online_link.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        cpd_hours=cpd_hours,
        capacity=capacity,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    event.audience_roles.set(list(audience_roles))
    event.audience_networks.set(networks)
    audit.record(
        by=by,
        action="create_event",
        obj=event,
        organisation=organisation,
        after=audit.snapshot(event),
    )
    transaction.on_commit(lambda: _schedule_reminder(event))
    return event


REMINDER_BEFORE = dt.timedelta(hours=24)


def _schedule_reminder(event: Event) -> None:
    """Queue the event's reminders for a day before it starts, where the task backend can wait;
    `openpcn education remind` sends any that are due in any case."""
    from openpcn.education.tasks import remind_event

    when = event.starts_at - REMINDER_BEFORE
    if when > timezone.now() and remind_event.get_backend().supports_defer:
        remind_event.using(run_after=when).enqueue(event.pk)


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("organisation").get(pk=event.pk)


def _promote(by: Any, event: Event, now: dt.datetime, *, email: bool = True) -> Booking | None:
    """Give free places to the head of the waitlist; the event row is locked by the caller."""
    promoted = None
    while event.places_taken < event.capacity:
        head = (
            event.bookings.select_for_update()
            .filter(status=BookingStatus.WAITLISTED)
            .order_by("queued_at", "pk")
            .first()
        )
        if head is None:
            break
        head.status = BookingStatus.BOOKED
        head.queued_at = now
        head.save(update_fields=["status", "queued_at"])
        Event.objects.filter(pk=event.pk).update(places_taken=F("places_taken") + 1)
        event.places_taken += 1
        audit.record(
            by=by,
            action="promote_from_waitlist",
            obj=head,
            organisation=event.organisation,
            after=audit.snapshot(head),
        )
        if email:
            transaction.on_commit(lambda b=head: mail.confirmation(b, promoted=True))
        promoted = head
    return promoted


def book(
    *,
    by: Any,
    event: Event,
    staff: StaffMember | None = None,
    now: dt.datetime | None = None,
    email: bool = True,
) -> Booking:
    """Book `by` (or, for an organiser, `staff`) on the event: a place if one is free, else the
    waitlist. Booking again returns the live booking rather than a second one.

    `now` is when the booking is made (the demo books in the past); `email=False` sends nothing.
    """
    try:
        return _book(by=by, event=event, staff=staff, now=now or timezone.now(), email=email)
    except IntegrityError as error:
        # Only reached if two requests of the same person raced past the lock-free check.
        found = live_booking(staff or own_staff_record(by), event)  # type: ignore[arg-type]
        if found is None:
            raise ValidationError("The event could not be booked; please try again") from error
        return found


@transaction.atomic
def _book(
    *, by: Any, event: Event, staff: StaffMember | None, now: dt.datetime, email: bool
) -> Booking:
    if staff is None:
        staff = own_staff_record(by) if by is not None else None
        if staff is None:
            raise PermissionDenied("Only someone with a staff record can book an event")
        if not in_audience(staff, event):
            raise PermissionDenied(f"{event} is not open to {staff}")
    else:
        require_permission(by, Permission.EVENT_MANAGE, organisation=event.organisation)
        if not in_audience(staff, event):
            raise ValidationError(f"{staff} is not in the event's audience")
    event = _lock(event)
    if event.starts_at <= now:
        raise ValidationError("This event has already started; it can no longer be booked")
    existing = live_booking(staff, event)
    if existing is not None:
        return existing
    booked = event.bookings.filter(status=BookingStatus.BOOKED).count()
    status = BookingStatus.BOOKED if booked < event.capacity else BookingStatus.WAITLISTED
    booking = Booking.objects.create(
        event=event, staff=staff, status=status, booked_at=now, queued_at=now
    )
    if status == BookingStatus.BOOKED:
        Event.objects.filter(pk=event.pk).update(places_taken=F("places_taken") + 1)
    audit.record(
        by=by,
        action="book_event" if status == BookingStatus.BOOKED else "join_event_waitlist",
        obj=booking,
        organisation=event.organisation,
        after=audit.snapshot(booking),
    )
    if email and status == BookingStatus.BOOKED:
        transaction.on_commit(lambda: mail.confirmation(booking))
    elif email:
        transaction.on_commit(lambda: mail.waitlisted(booking))
    return booking


@transaction.atomic
def cancel(
    *, by: Any, booking: Booking, now: dt.datetime | None = None, email: bool = True
) -> Booking | None:
    """Cancel a booking or leave the waitlist; a freed place goes to the head of the waitlist.

    Returns the booking promoted into the freed place, if any.
    """
    event = _lock(booking.event)
    booking = Booking.objects.select_for_update().select_related("staff").get(pk=booking.pk)
    own = by is not None and getattr(by, "person_id", None) == booking.staff.person_id
    if not own:
        require_permission(by, Permission.EVENT_MANAGE, organisation=event.organisation)
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError("This booking is already cancelled")
    now = now or timezone.now()
    if event.starts_at <= now:
        raise ValidationError("This event has already started; the booking stands")
    before = audit.snapshot(booking)
    held_a_place = booking.status == BookingStatus.BOOKED
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    audit.record(
        by=by,
        action="cancel_event_booking",
        obj=booking,
        organisation=event.organisation,
        before=before,
        after=audit.snapshot(booking),
    )
    if not held_a_place:
        return None
    if email:
        transaction.on_commit(lambda: mail.cancelled(booking))
    Event.objects.filter(pk=event.pk).update(places_taken=F("places_taken") - 1)
    event.places_taken -= 1
    return _promote(by, event, now, email=email)


@transaction.atomic
def change_capacity(*, by: Any, event: Event, capacity: int) -> Event:
    """More places fill from the waitlist; fewer cannot be less than the places already booked."""
    require_permission(by, Permission.EVENT_MANAGE, organisation=event.organisation)
    event = _lock(event)
    if capacity < max(event.places_taken, 1):
        raise ValidationError(
            {"capacity": f"{event.places_taken} places are booked; cancel bookings first"}
        )
    before = audit.snapshot(event)
    Event.objects.filter(pk=event.pk).update(capacity=capacity)
    event.capacity = capacity
    audit.record(
        by=by,
        action="change_event_capacity",
        obj=event,
        organisation=event.organisation,
        before=before,
        after=audit.snapshot(event),
    )
    if event.starts_at > timezone.now():
        _promote(by, event, timezone.now())
    return event


def _course(event: Event) -> str:
    return f"{event.title} ({event.cpd_hours} CPD hours)"[:150]


@transaction.atomic
def take_register(*, by: Any, event: Event, attended: Iterable[int]) -> list[Booking]:
    """Mark who came (booking ids in `attended`; everyone else booked did not come).

    Each attendee gets a workforce training record for the event; taking the register again
    corrects it, withdrawing the records of people now marked absent.
    """
    require_permission(by, Permission.EVENT_MANAGE, organisation=event.organisation)
    event = _lock(event)
    if event.starts_at > timezone.now():
        raise ValidationError("The register is taken once the event has started")
    came = set(attended)
    bookings = list(
        event.bookings.select_for_update().filter(status=BookingStatus.BOOKED).order_by("pk")
    )
    unknown = came - {b.pk for b in bookings}
    if unknown:
        raise ValidationError("Only people booked on the event can be marked as attending")
    day = timezone.localtime(event.starts_at).date()
    for booking in bookings:
        now_attended = booking.pk in came
        if booking.attended == now_attended:
            continue
        booking.attended = now_attended
        if now_attended and booking.training_record_id is None:
            booking.training_record = workforce.record_event_training(
                by=by,
                staff=booking.staff,
                course=_course(event),
                completed_on=day,
                organisation=event.organisation,
            )
        elif not now_attended and booking.training_record is not None:
            workforce.withdraw_event_training(
                by=by, record=booking.training_record, organisation=event.organisation
            )
            booking.training_record = None
        booking.save(update_fields=["attended", "training_record"])
    before = audit.snapshot(event)
    event.register_taken_at = timezone.now()
    event.save(update_fields=["register_taken_at"])
    audit.record(
        by=by,
        action="take_event_register",
        obj=event,
        organisation=event.organisation,
        before=before,
        after={**(audit.snapshot(event) or {}), "attended": sorted(came)},
    )
    return bookings


@transaction.atomic
def give_feedback(
    *, by: Any, booking: Booking, overall: int, relevance: int, comments: str = ""
) -> Feedback:
    """An attendee's feedback on an event they came to, once, after it has ended.

    `by=None` is the platform (the demo loading an attendee's answers), as for every action.
    """
    if by is not None and getattr(by, "person_id", None) != booking.staff.person_id:
        raise PermissionDenied("Only the attendee gives their feedback")
    if not booking.attended:
        raise ValidationError("Feedback is given by people who attended")
    if booking.event.ends_at > timezone.now():
        raise ValidationError("Feedback opens when the event has ended")
    if Feedback.objects.filter(booking=booking).exists():
        raise ValidationError("You have already given feedback on this event")
    for name, value in (("overall", overall), ("relevance", relevance)):
        if value not in range(1, 6):
            raise ValidationError({name: "Choose a rating from 1 to 5"})
    feedback = Feedback.objects.create(
        booking=booking,
        overall=overall,
        relevance=relevance,
        comments=comments.strip(),
        given_at=timezone.now(),
    )
    audit.record(
        by=by,
        action="give_event_feedback",
        obj=feedback,
        organisation=booking.event.organisation,
        after={"booking": booking.pk, "overall": overall, "relevance": relevance},
    )
    return feedback


REMINDER_AHEAD = dt.timedelta(hours=36)


def send_reminders(
    now: dt.datetime | None = None, *, dry_run: bool = False, event: Event | None = None
) -> int:
    """Email everyone booked on an event starting within 36 hours who has not been reminded
    (on one event only, when given)."""
    now = now or timezone.now()
    due = Booking.objects.filter(
        status=BookingStatus.BOOKED,
        reminded_at__isnull=True,
        event__starts_at__gt=now,
        event__starts_at__lte=now + REMINDER_AHEAD,
    ).select_related("event__organisation", "staff__person")
    if event is not None:
        due = due.filter(event=event)
    sent = 0
    for booking in due:
        if dry_run:
            sent += 1
            continue
        with transaction.atomic():
            # Claim the reminder first, so two runs at once never send it twice.
            claimed = Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if claimed and mail.reminder(booking):
                sent += 1
    return sent
