"""Reads for education pages: which events a user may run or book, CPD logs and reports.

Managers see the events of organisations their EVENT_MANAGE covers. Staff see the events whose
audience includes them: run by an organisation they belong to (their employers, home practice, its
PCN, place and alliance), for one of their job roles and PCNs when the event names any.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from openpcn.accounts.models import User
from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.education.models import Booking, BookingStatus, Event, Feedback
from openpcn.organisations.models import NetworkMembership, Organisation, OrganisationKind
from openpcn.workforce.models import JobRole, StaffMember
from openpcn.workforce.queries import current_contracts, own_staff_record, staff_organisation_ids


def managed_events(user: User) -> QuerySet[Event]:
    ids = covered_organisation_ids(user, Permission.EVENT_MANAGE)
    return Event.objects.filter(organisation_id__in=ids).select_related("organisation")


def can_manage(user: User, event: Event) -> bool:
    return event.organisation_id in covered_organisation_ids(user, Permission.EVENT_MANAGE)


@dataclass(frozen=True)
class Belonging:
    """Where a staff member belongs, for matching event audiences."""

    organisation_ids: frozenset[int]
    network_ids: frozenset[int]
    job_role_ids: frozenset[int]


def belonging(staff: StaffMember, on: dt.date | None = None) -> Belonging:
    on = on or timezone.localdate()
    direct = staff_organisation_ids(staff, on)
    orgs = list(Organisation.objects.filter(pk__in=direct))
    networks = {o.pk for o in orgs if o.kind == OrganisationKind.NETWORK}
    practices = [o.pk for o in orgs if o.kind == OrganisationKind.PRACTICE]
    networks |= set(
        NetworkMembership.objects.current_on(on)
        .filter(practice_id__in=practices)
        .values_list("network_id", flat=True)
    )
    above = Organisation.objects.filter(Q(pk__in=direct) | Q(pk__in=networks)).values_list(
        "place_id", "alliance_id"
    )
    ids = set(direct) | networks | {i for pair in above for i in pair if i is not None}
    roles = set(current_contracts(on).filter(staff=staff).values_list("job_role_id", flat=True))
    return Belonging(frozenset(ids), frozenset(networks), frozenset(roles))


def events_for_staff(staff: StaffMember, on: dt.date | None = None) -> QuerySet[Event]:
    """Every event whose audience includes this staff member."""
    where = belonging(staff, on)
    return (
        Event.objects.filter(organisation_id__in=where.organisation_ids)
        .filter(Q(audience_networks__isnull=True) | Q(audience_networks__in=where.network_ids))
        .filter(Q(audience_roles__isnull=True) | Q(audience_roles__in=where.job_role_ids))
        .distinct()
        .select_related("organisation")
    )


def in_audience(staff: StaffMember, event: Event) -> bool:
    return events_for_staff(staff).filter(pk=event.pk).exists()


def visible_events(user: User) -> QuerySet[Event]:
    """Events the user runs, may book, or has booked."""
    ids = set(managed_events(user).values_list("pk", flat=True))
    staff = own_staff_record(user)
    if staff is not None:
        ids |= set(events_for_staff(staff).values_list("pk", flat=True))
        ids |= set(Booking.objects.filter(staff=staff).values_list("event_id", flat=True))
    return Event.objects.filter(pk__in=ids).select_related("organisation")


def event_or_404(user: User, pk: int) -> Event:
    event = visible_events(user).filter(pk=pk).first()
    if event is None:
        raise Http404("No such event")
    return event


def booking_or_404(user: User, pk: int) -> Booking:
    """A booking the user may see: their own, or one at an event they manage."""
    booking = Booking.objects.select_related("event__organisation", "staff__person").filter(pk=pk)
    found = booking.first()
    if found is None:
        raise Http404("No such booking")
    staff = own_staff_record(user)
    if (staff is not None and found.staff_id == staff.pk) or can_manage(user, found.event):
        return found
    raise Http404("No such booking")


def live_booking(staff: StaffMember, event: Event) -> Booking | None:
    return (
        Booking.objects.filter(staff=staff, event=event)
        .exclude(status=BookingStatus.CANCELLED)
        .first()
    )


def waitlist(event: Event) -> QuerySet[Booking]:
    return event.bookings.filter(status=BookingStatus.WAITLISTED).order_by("queued_at", "pk")


def waitlist_position(booking: Booking) -> int | None:
    """1 for the next person to be offered a place; None unless the booking is waiting."""
    if booking.status != BookingStatus.WAITLISTED:
        return None
    ahead = waitlist(booking.event).filter(
        Q(queued_at__lt=booking.queued_at) | Q(queued_at=booking.queued_at, pk__lt=booking.pk)
    )
    return ahead.count() + 1


def attendees(event: Event) -> QuerySet[Booking]:
    return (
        event.bookings.filter(status=BookingStatus.BOOKED)
        .select_related("staff__person", "staff__home_practice")
        .order_by("staff__person__family_name", "staff__person__given_name")
    )


# CPD years run with the NHS appraisal year, April to March.
def appraisal_year_start(on: dt.date) -> dt.date:
    return dt.date(on.year if on.month >= 4 else on.year - 1, 4, 1)


@dataclass
class CpdYear:
    starts: dt.date
    entries: list[Booking] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"April {self.starts.year} to March {self.starts.year + 1}"

    @property
    def hours(self) -> Decimal:
        return sum((b.event.cpd_hours for b in self.entries), Decimal("0"))


def cpd_log(staff: StaffMember) -> list[CpdYear]:
    """The staff member's attended events by appraisal year, the latest year first."""
    attended = (
        Booking.objects.filter(staff=staff, attended=True)
        .select_related("event__organisation", "feedback")
        .order_by("-event__starts_at")
    )
    years: dict[dt.date, CpdYear] = {}
    for booking in attended:
        start = appraisal_year_start(timezone.localtime(booking.event.starts_at).date())
        years.setdefault(start, CpdYear(start)).entries.append(booking)
    return sorted(years.values(), key=lambda y: y.starts, reverse=True)


def feedback_due(staff: StaffMember) -> QuerySet[Booking]:
    return Booking.objects.filter(
        staff=staff, attended=True, feedback__isnull=True, event__ends_at__lte=timezone.now()
    ).select_related("event")


@dataclass
class Row:
    """One line of the attendance and feedback report."""

    label: str
    booked: int = 0
    attended: int = 0
    ratings: list[int] = field(default_factory=list)
    relevance: list[int] = field(default_factory=list)

    @property
    def rate(self) -> str:
        return f"{round(100 * self.attended / self.booked)}%" if self.booked else "—"

    @property
    def mean_overall(self) -> str:
        return f"{sum(self.ratings) / len(self.ratings):.1f}" if self.ratings else "—"

    @property
    def mean_relevance(self) -> str:
        return f"{sum(self.relevance) / len(self.relevance):.1f}" if self.relevance else "—"

    @property
    def responses(self) -> int:
        return len(self.ratings)


@dataclass
class Report:
    by_event: list[Row]
    by_role: list[Row]
    by_practice: list[Row]
    comments: list[tuple[str, str]]


def report(events: QuerySet[Event]) -> Report:
    """Attendance and feedback of events whose register has been taken, by event, role, practice.

    A person's role is their job role at the event (their contract then); their practice is their
    home practice.
    """
    taken = events.filter(register_taken_at__isnull=False).order_by("starts_at")
    bookings = list(
        Booking.objects.filter(event__in=taken, status=BookingStatus.BOOKED)
        .select_related("event", "staff__home_practice")
        .order_by("event__starts_at", "pk")
    )
    feedback = {
        f.booking_id: f for f in Feedback.objects.filter(booking__in=[b.pk for b in bookings])
    }
    role_names = {r.pk: r.name for r in JobRole.objects.all()}
    roles_of: dict[tuple[int, dt.date], list[str]] = {}
    by: dict[str, dict[str, Row]] = defaultdict(dict)
    comments: list[tuple[str, str]] = []
    for b in bookings:
        day = timezone.localtime(b.event.starts_at).date()
        key = (b.staff_id, day)
        if key not in roles_of:
            ids = current_contracts(day).filter(staff_id=b.staff_id).values_list("job_role_id")
            roles_of[key] = sorted({role_names[i] for (i,) in ids}) or ["No current contract"]
        practice = b.staff.home_practice.name if b.staff.home_practice else "No home practice"
        groups = [
            ("event", f"{b.event.title} ({day:%d %b %Y})"),
            *(("role", role) for role in roles_of[key]),
            ("practice", practice),
        ]
        given = feedback.get(b.pk)
        for dimension, label in groups:
            row = by[dimension].setdefault(label, Row(label))
            row.booked += 1
            row.attended += 1 if b.attended else 0
            if given is not None:
                row.ratings.append(given.overall)
                row.relevance.append(given.relevance)
        if given is not None and given.comments:
            comments.append((b.event.title, given.comments))
    return Report(
        by_event=list(by["event"].values()),
        by_role=sorted(by["role"].values(), key=lambda r: r.label),
        by_practice=sorted(by["practice"].values(), key=lambda r: r.label),
        comments=comments,
    )


def csv_rows(found: Report) -> list[list[str | int]]:
    """The report as one table: a row per event, job role and practice, then the comments."""
    rows: list[list[str | int]] = [
        ["group", "name", "booked", "attended", "attendance", "feedback", "overall", "relevance"]
    ]
    for group, lines in (
        ("event", found.by_event),
        ("job role", found.by_role),
        ("practice", found.by_practice),
    ):
        for r in lines:
            rows.append(
                [
                    group,
                    r.label,
                    r.booked,
                    r.attended,
                    r.rate,
                    r.responses,
                    r.mean_overall,
                    r.mean_relevance,
                ]
            )
    for title, comment in found.comments:
        rows.append(["comment", title, "", "", "", "", "", comment])
    return rows
