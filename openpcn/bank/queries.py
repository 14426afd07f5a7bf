"""Reads about the bank, always within the organisations the user's roles cover.

Practice side: cover requests of the practices a user may post for, and the timesheets they approve.
Staff side: a staff member's own bookings. Management: bank members of the alliances a user manages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from openpcn.accounts.models import User
from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids, has_permission
from openpcn.bank import pools
from openpcn.bank.models import (
    ACTIVE_BOOKING,
    POOL_BANK,
    BankMember,
    Booking,
    BookingStatus,
    ComplianceDocument,
    CoverRequest,
    CoverStatus,
    EscalationPolicy,
    Pool,
    Timesheet,
)
from openpcn.organisations.models import Organisation, OrganisationKind, Site
from openpcn.workforce.models import StaffMember
from openpcn.workforce.queries import own_staff_record

# Who may read the bank's money and figures: those who post, approve, run the bank or see finance.
REPORT_PERMISSIONS = (
    Permission.COVER_REQUEST,
    Permission.TIMESHEET_APPROVE,
    Permission.BANK_MANAGE,
    Permission.FINANCE_VIEW,
)


# --- the parts of the bank a user may use ------------------------------------------------------


def bank_links(user: User) -> dict[str, bool]:
    """Which parts of the bank a user may use (also the navigation's flag)."""
    return {
        "request_cover": bool(requesting_practices(user)),
        "approve_timesheets": has_permission(user, Permission.TIMESHEET_APPROVE),
        "claim": has_permission(user, Permission.BANK_CLAIM) and own_staff_record(user) is not None,
        "manage": bool(viewable_alliances(user)),
        "figures": bool(report_scope(user)),
    }


# --- the practice side ------------------------------------------------------------------------


def requesting_practices(user: User) -> list[Organisation]:
    """Practices the user may post cover requests for."""
    return list(
        Organisation.objects.filter(
            pk__in=covered_organisation_ids(user, Permission.COVER_REQUEST),
            kind=OrganisationKind.PRACTICE,
        ).order_by("name")
    )


def sites_for(practice: Organisation) -> QuerySet[Site]:
    """Where a practice may ask for cover: its own sites, and the alliance's Enhanced Access hubs."""
    return (
        Site.objects.filter(is_active=True)
        .filter(
            Q(organisation=practice)
            | Q(offers_enhanced_access=True, organisation__alliance_id=practice.alliance_id)
            | Q(offers_enhanced_access=True, organisation_id=practice.alliance_id)
        )
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def requests_in_scope(user: User) -> QuerySet[CoverRequest]:
    return CoverRequest.objects.filter(
        practice_id__in=covered_organisation_ids(user, Permission.COVER_REQUEST)
    ).select_related("practice", "site", "skill")


SHOWN_BOOKINGS = [*ACTIVE_BOOKING, BookingStatus.NO_SHOW]


def _shown_bookings() -> Prefetch[Any]:
    return Prefetch(
        "bookings",
        queryset=Booking.objects.filter(status__in=SHOWN_BOOKINGS)
        .select_related("staff__person", "timesheet")
        .order_by("-claimed_at"),
        to_attr="shown_bookings",
    )


def active_booking(request: CoverRequest) -> Booking | None:
    """The booking that holds the request (booked, worked or a no-show), latest claim first."""
    shown = getattr(request, "shown_bookings", None)
    if shown is not None:
        return shown[0] if shown else None
    return (
        request.bookings.filter(status__in=SHOWN_BOOKINGS)
        .select_related("staff__person", "timesheet")
        .order_by("-claimed_at")
        .first()
    )


@dataclass(frozen=True)
class RequestRow:
    request: CoverRequest
    booking: Booking | None
    timesheet: Timesheet | None
    pool: int
    next_pool_opens: dt.datetime | None

    @property
    def pool_label(self) -> str:
        return str(Pool(self.pool).label)

    @property
    def next_pool_label(self) -> str:
        return str(Pool(self.pool + 1).label) if self.pool < POOL_BANK else ""

    @property
    def status_label(self) -> str:
        request = self.request
        if request.status == CoverStatus.FILLED:
            return "Filled"
        if request.status == CoverStatus.CANCELLED:
            return "Cancelled (late)" if request.late_cancellation else "Cancelled"
        return "Not filled" if request.starts_at <= timezone.now() else "Open"

    @property
    def status_colour(self) -> str:
        return {"Filled": "green", "Open": "blue", "Not filled": "red"}.get(
            self.status_label, "grey"
        )

    @property
    def needs_timesheet(self) -> bool:
        return (
            self.booking is not None
            and self.booking.status == BookingStatus.BOOKED
            and self.request.starts_at <= timezone.now()
        )


def request_row(
    request: CoverRequest,
    now: dt.datetime | None = None,
    policies: dict[int | None, EscalationPolicy] | None = None,
) -> RequestRow:
    now = now or timezone.now()
    policies = {} if policies is None else policies
    alliance_id = request.practice.alliance_id
    if alliance_id not in policies:
        policies[alliance_id] = pools.policy_for(request.practice.alliance)
    policy = policies[alliance_id]
    pool = policy.pool_at(request.posted_at, now)
    opens = policy.opens_at(request.posted_at, pool + 1) if pool < POOL_BANK else None
    if request.status != CoverStatus.OPEN or (opens is not None and opens >= request.starts_at):
        opens = None
    booking = active_booking(request)
    timesheet = getattr(booking, "timesheet", None) if booking is not None else None
    return RequestRow(request, booking, timesheet, pool, opens)


def practice_requests(
    user: User, *, practice: Organisation | None = None, upcoming: bool | None = None
) -> list[RequestRow]:
    """The cover requests of the practices the user posts for, newest sessions last."""
    requests = requests_in_scope(user)
    if practice is not None:
        requests = requests.filter(practice=practice)
    now = timezone.now()
    if upcoming is True:
        requests = requests.filter(ends_at__gt=now - dt.timedelta(days=14))
    elif upcoming is False:
        requests = requests.filter(ends_at__lte=now - dt.timedelta(days=14))
    policies: dict[int | None, EscalationPolicy] = {}
    requests = requests.prefetch_related(_shown_bookings()).select_related("practice__alliance")
    return [request_row(r, now, policies) for r in requests.order_by("starts_at")[:200]]


def get_request_or_404(user: User, pk: int) -> CoverRequest:
    request = requests_in_scope(user).filter(pk=pk).first()
    if request is None:
        raise Http404("No such cover request")
    return request


def timesheets_to_approve(user: User) -> QuerySet[Booking]:
    """Booked sessions that have started, at practices whose timesheets the user approves."""
    return (
        Booking.objects.filter(
            status=BookingStatus.BOOKED,
            starts_at__lte=timezone.now(),
            cover_request__practice_id__in=covered_organisation_ids(
                user, Permission.TIMESHEET_APPROVE
            ),
        )
        .select_related("staff__person", "cover_request__practice", "cover_request__site")
        .select_related("cover_request__skill")
        .order_by("starts_at")
    )


def get_booking_to_decide_or_404(user: User, request: CoverRequest) -> Booking:
    """The request's booked session, when the user approves that practice's timesheets."""
    booking = (
        Booking.objects.filter(
            cover_request=request,
            status=BookingStatus.BOOKED,
            cover_request__practice_id__in=covered_organisation_ids(
                user, Permission.TIMESHEET_APPROVE
            ),
        )
        .select_related("staff__person", "cover_request__practice")
        .first()
    )
    if booking is None:
        raise Http404("No booked session to decide on")
    return booking


# --- the staff side ---------------------------------------------------------------------------


def my_bookings(staff: StaffMember) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(staff=staff)
        .select_related(
            "cover_request__practice", "cover_request__site", "cover_request__skill", "timesheet"
        )
        .order_by("-starts_at")
    )


def get_my_booking_or_404(staff: StaffMember, pk: int) -> Booking:
    booking = (
        Booking.objects.filter(pk=pk, staff=staff)
        .select_related("staff__person", "cover_request")
        .first()
    )
    if booking is None:
        raise Http404("No such booking of yours")
    return booking


# --- bank management --------------------------------------------------------------------------


def managed_alliances(user: User) -> list[Organisation]:
    """Alliances whose bank the user runs (BANK_MANAGE held at the alliance)."""
    return list(
        Organisation.objects.filter(
            pk__in=covered_organisation_ids(user, Permission.BANK_MANAGE),
            kind=OrganisationKind.ALLIANCE,
        ).order_by("name")
    )


def viewable_alliances(user: User) -> list[Organisation]:
    """Alliances whose bank the user may see: managed ones, and those of organisations in scope.

    A PCN manager holds BANK_MANAGE at the PCN, which does not reach up to the alliance; they can
    see their alliance's bank (they book from it) but registering members stays with the alliance.
    """
    covered = covered_organisation_ids(user, Permission.BANK_MANAGE)
    if not covered:
        return []
    alliance_ids = set(
        Organisation.objects.filter(pk__in=covered).values_list("alliance_id", flat=True)
    ) | set(
        Organisation.objects.filter(pk__in=covered, kind=OrganisationKind.ALLIANCE).values_list(
            "pk", flat=True
        )
    )
    alliance_ids.discard(None)
    return list(Organisation.objects.filter(pk__in=alliance_ids).order_by("name"))


@dataclass(frozen=True)
class MemberRow:
    member: BankMember
    documents: list[ComplianceDocument]
    lapsed: list[str]  # required documents missing or out of date today

    def document_lapsed(self, document: ComplianceDocument) -> bool:
        return document.expires_on < timezone.localdate()


def bank_members(alliances: list[Organisation], on: dt.date | None = None) -> list[MemberRow]:
    on = on or timezone.localdate()
    members = (
        BankMember.objects.filter(alliance__in=alliances)
        .select_related("staff__person", "alliance")
        .prefetch_related(
            Prefetch(
                "documents", queryset=ComplianceDocument.objects.order_by("kind", "-expires_on")
            )
        )
        .order_by("staff__person__family_name", "staff__person__given_name")
    )
    return [MemberRow(m, list(m.documents.all()), pools.lapsed_documents(m, on)) for m in members]


def get_member_or_404(alliances: list[Organisation], pk: int) -> BankMember:
    member = (
        BankMember.objects.filter(pk=pk, alliance__in=alliances)
        .select_related("staff__person", "alliance")
        .first()
    )
    if member is None:
        raise Http404("No such bank member")
    return member


def registrable_staff(alliance: Organisation) -> QuerySet[StaffMember]:
    """Active staff records not yet in a bank: the alliance's staff, and sessional records with no
    employer or home practice (locums, whose only tie to the alliance is the bank)."""
    in_alliance = (
        Q(home_practice__alliance=alliance)
        | Q(contracts__employer=alliance)
        | Q(contracts__employer__alliance=alliance)
        | Q(home_practice__isnull=True, contracts__isnull=True)
    )
    return (
        StaffMember.objects.filter(is_active=True, bank_membership__isnull=True)
        .filter(in_alliance)
        .select_related("person")
        .distinct()
        .order_by("person__family_name", "person__given_name")
    )


# --- reports and payments ---------------------------------------------------------------------


def report_scope(user: User) -> set[int]:
    """Practices whose bank figures the user may read."""
    ids: set[int] = set()
    for permission in REPORT_PERMISSIONS:
        ids |= covered_organisation_ids(user, permission)
    return set(
        Organisation.objects.filter(pk__in=ids, kind=OrganisationKind.PRACTICE).values_list(
            "pk", flat=True
        )
    )


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of the month and of the next, in local time."""
    tz = timezone.get_current_timezone()
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return (
        dt.datetime.combine(first, dt.time(0, 0), tzinfo=tz),
        dt.datetime.combine(following, dt.time(0, 0), tzinfo=tz),
    )


def approved_timesheets(practice_ids: set[int], month: dt.date) -> QuerySet[Timesheet]:
    """Approved timesheets of sessions started in the month, at the given practices."""
    start, end = month_bounds(month)
    return (
        Timesheet.objects.filter(
            status="approved",
            started_at__gte=start,
            started_at__lt=end,
            booking__cover_request__practice_id__in=practice_ids,
        )
        .select_related(
            "booking__staff__person",
            "booking__cover_request__practice",
            "booking__cover_request__site",
            "booking__cover_request__skill",
        )
        .order_by("started_at", "booking__cover_request__practice__name", "pk")
    )


def parse_month(value: Any, default: dt.date | None = None) -> dt.date:
    """`2026-11` as the first of that month; the current month when missing or malformed."""
    try:
        year, month = (int(part) for part in str(value).split("-"))
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return (default or timezone.localdate()).replace(day=1)
