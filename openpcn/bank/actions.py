"""Writes to the bank. Each action checks permission, runs in a transaction and is audited.

Claiming is the part that must be safe under load: the cover request's row is locked, the checks
run, and the booking is written; PostgreSQL's constraints back every promise (docs/adr/0006).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from openpcn.accounts.permissions import Permission
from openpcn.accounts.roles import ROLES
from openpcn.accounts.scope import active_memberships, has_permission
from openpcn.bank import losing, pools
from openpcn.bank.models import (
    ACTIVE_BOOKING,
    POOLS,
    ApiToken,
    BankMember,
    Booking,
    BookingStatus,
    ComplianceDocument,
    CoverRequest,
    CoverStatus,
    Timesheet,
    TimesheetStatus,
)
from openpcn.core import audit
from openpcn.core.actions import require_permission
from openpcn.core.tokens import hash_token
from openpcn.organisations.models import Organisation, Site
from openpcn.rostering.models import PlanStatus, RotaAssignment
from openpcn.rostering.sessions import times_for
from openpcn.workforce.models import Absence, AbsenceStatus, Skill, StaffMember, StaffSkill

MIN_REST = dt.timedelta(hours=11)


# --- cover requests ---------------------------------------------------------------------------


@transaction.atomic
def post_cover_request(
    *,
    by: Any,
    practice: Organisation,
    site: Site,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    skill: Skill,
    rate: Decimal,
    notes: str = "",
    from_rota_plan: Any = None,
    now: dt.datetime | None = None,
) -> CoverRequest:
    require_permission(by, Permission.COVER_REQUEST, organisation=practice)
    now = now or timezone.now()
    shared_hub = (
        site.offers_enhanced_access and site.organisation.alliance_id == practice.alliance_id
    )
    if site.organisation_id != practice.pk and not shared_hub:
        raise ValidationError(f"{site.name} is not one of {practice.name}'s sites")
    if ends_at <= starts_at:
        raise ValidationError("The session must end after it starts")
    if starts_at <= now:
        raise ValidationError("Cover can only be requested for a session in the future")
    if rate < 0:
        raise ValidationError("The rate cannot be negative")
    request = CoverRequest.objects.create(
        practice=practice,
        site=site,
        starts_at=starts_at,
        ends_at=ends_at,
        skill=skill,
        rate=rate,
        notes=notes,
        posted_at=now,
        posted_by=by if by is not None else None,
        from_rota_plan=from_rota_plan,
    )
    audit.record(
        by=by,
        action="post_cover_request",
        obj=request,
        organisation=practice,
        after=audit.snapshot(request),
    )
    transaction.on_commit(lambda: _schedule_offers(request))
    return request


def _schedule_offers(request: CoverRequest) -> None:
    """Email the first pool now, and each wider pool when the request reaches it, if still open."""
    from openpcn.bank.tasks import offer_to_pool

    policy = pools.policy_for(request.practice.alliance)
    can_defer = offer_to_pool.get_backend().supports_defer
    now = timezone.now()
    current = pools.current_pool(request, now)
    for pool in POOLS:
        opens = policy.opens_at(request.posted_at, pool)
        if opens >= request.starts_at:
            break
        if pool == current:
            offer_to_pool.enqueue(request.pk, pool)
        elif opens > now and can_defer:
            offer_to_pool.using(run_after=opens).enqueue(request.pk, pool)


def offer_to_pool(request_id: int, pool: int) -> int:
    """Send the offer to everyone whose pool this is; nothing if the request is no longer open."""
    request = CoverRequest.objects.select_related("site", "skill", "practice").get(pk=request_id)
    if request.status != CoverStatus.OPEN or request.starts_at <= timezone.now():
        return 0
    local = timezone.localtime(request.starts_at)
    messages = [
        (
            f"Session available: {request.skill.name} at {request.site.name}, {local:%a %d %b %H:%M}",
            f"Hello {staff.person.given_name},\n\n{request.practice.name} needs a {request.skill.name} "
            f"at {request.site.name} on {local:%A %d %B} from {local:%H:%M} to "
            f"{timezone.localtime(request.ends_at):%H:%M}, paying £{request.rate}.\n"
            "The first person to claim it in OpenPCN gets it.\n",
            None,
            [staff.person.email],
        )
        for staff in pools.staff_in_pool(request, pool)
        if staff.person.email
    ]
    return send_mass_mail(messages, fail_silently=False)


@transaction.atomic
def cover_rota_gap(
    *, by: Any, plan: Any, site: Site, date: dt.date, session: str, skill: Skill, rate: Decimal
) -> CoverRequest:
    """Turn an unfilled rota session into a cover request."""
    times = times_for(date.weekday(), session)
    if times is None:
        raise ValidationError("No such session on that day")
    day = dt.datetime.combine(date, dt.time(0, 0), tzinfo=timezone.get_current_timezone())
    return post_cover_request(
        by=by,
        practice=site.organisation,
        site=site,
        starts_at=day + dt.timedelta(minutes=times.start),
        ends_at=day + dt.timedelta(minutes=times.end),
        skill=skill,
        rate=rate,
        notes=f"Gap in the rota from {plan.first_day}",
        from_rota_plan=plan,
    )


@transaction.atomic
def cancel_cover_request(
    *, by: Any, request: CoverRequest, reason: str, now: dt.datetime | None = None
) -> CoverRequest:
    require_permission(by, Permission.COVER_REQUEST, organisation=request.practice)
    now = now or timezone.now()
    request = CoverRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == CoverStatus.CANCELLED:
        raise ValidationError("This request is already cancelled")
    if request.starts_at <= now:
        raise ValidationError("A session that has started cannot be cancelled")
    if not reason.strip():
        raise ValidationError("Say why the request is cancelled")
    before = audit.snapshot(request)
    policy = pools.policy_for(request.practice.alliance)
    booked = request.bookings.filter(status=BookingStatus.BOOKED).first()
    request.status = CoverStatus.CANCELLED
    request.cancelled_at = now
    request.cancel_reason = reason.strip()
    # Cancelling a filled session at short notice is recorded (and usually still paid).
    request.late_cancellation = booked is not None and (
        request.starts_at - now < dt.timedelta(hours=policy.late_cancellation_hours)
    )
    request.save(update_fields=["status", "cancelled_at", "cancel_reason", "late_cancellation"])
    if booked is not None:
        booked.status = BookingStatus.WITHDRAWN
        booked.save(update_fields=["status"])
    audit.record(
        by=by,
        action="cancel_cover_request",
        obj=request,
        organisation=request.practice,
        before=before,
        after=audit.snapshot(request),
    )
    return request


# --- claiming ---------------------------------------------------------------------------------


class ClaimRefused(Exception):
    """A claim that cannot succeed; `code` is stable for the API ("already_filled", …)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


ALREADY_FILLED = "already_filled"
FILLED_MESSAGE = "Sorry, this session has already been filled"


@dataclass(frozen=True)
class ClaimResult:
    booking: Booking
    repeated: bool  # True when the same claim (same key) was already made


def claim_cover(
    *,
    by: Any,
    request_id: int,
    idempotency_key: str,
    now: dt.datetime | None = None,
    filled_checked: bool = False,
) -> ClaimResult:
    """The first valid claim wins; everyone after gets ClaimRefused("already_filled").

    A retried claim with the same key returns the booking it made, and never claims twice.
    `filled_checked`: the fast answer below was already asked for this claim (bank.middleware);
    skipping it changes no answer, since the claim under the row lock gives every one.
    """
    if by is None or not by.is_authenticated or not by.is_active:
        raise PermissionDenied("Only staff can claim sessions")
    key = idempotency_key.strip()
    if not 8 <= len(key) <= 64:
        raise ValidationError("The idempotency key must be 8 to 64 characters")
    now = now or timezone.now()
    if not filled_checked and losing.filled_by_someone_else(
        by, request_id, key, timezone.localdate(now)
    ):
        # Nearly every claim on a popular session loses: answer it in one query, with no lock.
        raise ClaimRefused(ALREADY_FILLED, FILLED_MESSAGE)
    if not has_permission(by, Permission.BANK_CLAIM):
        raise PermissionDenied("Only staff can claim sessions")
    if by.person_id is None:
        raise PermissionDenied(NO_STAFF_RECORD)
    try:
        with transaction.atomic():
            return _claim(by, request_id, key, now)
    except IntegrityError as error:
        # Lost a race the row lock did not cover (PostgreSQL constraints are the last guard).
        repeated = Booking.objects.filter(
            staff__person_id=by.person_id, idempotency_key=key
        ).first()
        if repeated is not None:
            return ClaimResult(repeated, repeated=True)
        if "overlap" in str(error):
            raise ClaimRefused("double_booked", "You are already booked at that time") from error
        raise ClaimRefused(ALREADY_FILLED, FILLED_MESSAGE) from error


NO_STAFF_RECORD = "You have no staff record"


def _claims_in_alliance(by: Any, alliance_id: int | None) -> bool:
    """One of the user's claiming roles is held in the alliance (as losing.py asks in SQL)."""
    return any(
        ROLES[m.role].grants(Permission.BANK_CLAIM)
        and alliance_id in (m.organisation.pk, m.organisation.alliance_id)
        for m in active_memberships(by)
    )


def _claim(by: Any, request_id: int, key: str, now: dt.datetime) -> ClaimResult:
    # Every winning claim pays for each query here, so the reads are few and each does much.
    # Lock first: in a burst, the first claimer checks and books while the others wait a moment
    # and are told "already filled" without running the checks in vain.
    request = (
        CoverRequest.objects.select_related("practice", "site", "skill")
        .select_for_update(of=("self",))
        .filter(pk=request_id)
        .first()
    )
    if request is None or not _claims_in_alliance(by, request.practice.alliance_id):
        raise ClaimRefused("not_found", "No such session")
    # Then the claimer's own row, which serialises one person's claims so that the read of their
    # other work below is the last word; with it, the facts of this claim (repeat, skill, leave).
    staff = _locked_claimer(by.person_id, request, key)
    if staff is None:
        raise PermissionDenied(NO_STAFF_RECORD)
    if staff.repeated is not None:  # type: ignore[attr-defined]
        repeated = Booking.objects.get(pk=staff.repeated)  # type: ignore[attr-defined]
        if repeated.cover_request_id != request_id:
            raise ValidationError("That idempotency key was used for another session")
        return ClaimResult(repeated, repeated=True)
    if request.status == CoverStatus.FILLED:
        raise ClaimRefused(ALREADY_FILLED, FILLED_MESSAGE)
    if request.status != CoverStatus.OPEN or request.starts_at <= now:
        raise ClaimRefused("closed", "This session is no longer available")
    pool = _check_claimer(staff, request, now)
    booking = Booking.objects.create(
        cover_request=request,
        staff=staff,
        starts_at=request.starts_at,
        ends_at=request.ends_at,
        claimed_at=now,
        pool=pool,
        idempotency_key=key,
    )
    CoverRequest.objects.filter(pk=request_id).update(status=CoverStatus.FILLED, filled_at=now)
    audit.record(
        by=by,
        action="claim_cover",
        obj=booking,
        organisation=request.practice,
        after={"cover_request": request.pk, "staff": staff.pk, "pool": booking.pool},
    )
    return ClaimResult(booking, repeated=False)


def _session_day(request: CoverRequest) -> dt.date:
    return timezone.localtime(request.starts_at).date()


def _locked_claimer(person_id: int, request: CoverRequest, key: str) -> StaffMember | None:
    """The claimer's staff record, locked, with `has_skill` and `on_leave` for this session and
    `repeated`, the booking an earlier claim with this idempotency key made (or None)."""
    day = _session_day(request)
    made = Booking.objects.filter(staff=OuterRef("pk"), idempotency_key=key).order_by()
    return (
        StaffMember.objects.select_related("person")
        .select_for_update(of=("self",))
        .filter(person_id=person_id)
        .annotate(
            repeated=Subquery(made.values("pk")[:1]),
            has_skill=Exists(
                StaffSkill.objects.filter(staff=OuterRef("pk"), skill_id=request.skill_id)
            ),
            on_leave=Exists(
                Absence.objects.filter(
                    staff=OuterRef("pk"),
                    status=AbsenceStatus.APPROVED,
                    first_day__lte=day,
                    last_day__gte=day,
                )
            ),
        )
        .first()
    )


def _check_claimer(staff: StaffMember, request: CoverRequest, now: dt.datetime) -> int:
    """The claimer's pool for the request, or ClaimRefused saying why they may not claim it.

    `staff` comes from _locked_claimer (its `has_skill` and `on_leave` are for this request).
    """
    if not staff.has_skill:  # type: ignore[attr-defined]
        raise ClaimRefused("not_eligible", f"This session needs {request.skill.name}")
    pool = pools.pool_of(staff, request)
    if pool is None:
        raise ClaimRefused("not_eligible", "This session is not offered to you")
    if pool > pools.current_pool(request, now):
        raise ClaimRefused(
            "not_yet", "This session is offered to colleagues nearer the practice first"
        )
    if staff.on_leave:  # type: ignore[attr-defined]
        raise ClaimRefused("unavailable", "You are on leave that day")
    day = _session_day(request)
    for start, end, what in _other_work(staff, day):
        if start < request.ends_at and request.starts_at < end:
            raise ClaimRefused("double_booked", f"You are already working then ({what})")
        gap = request.starts_at - end if end <= request.starts_at else start - request.ends_at
        if start.date() != request.starts_at.date() and gap < MIN_REST:
            raise ClaimRefused("rest", f"That leaves less than 11 hours' rest ({what})")
    return pool


def _other_work(staff: StaffMember, day: dt.date) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """Published rota sessions and active bookings from the day before to the day after."""
    tz = timezone.get_current_timezone()
    work = []
    # Plain values, not model objects: this runs on every winning claim.
    for date, session, site in RotaAssignment.objects.filter(
        staff=staff,
        plan__status=PlanStatus.PUBLISHED,
        date__gte=day - dt.timedelta(days=1),
        date__lte=day + dt.timedelta(days=1),
    ).values_list("date", "session", "site__name"):
        times = times_for(date.weekday(), session)
        if times is None:
            continue
        midnight = dt.datetime.combine(date, dt.time(0, 0), tzinfo=tz)
        work.append(
            (
                midnight + dt.timedelta(minutes=times.start),
                midnight + dt.timedelta(minutes=times.end),
                f"rota at {site}",
            )
        )
    window_start = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(0, 0), tzinfo=tz)
    for starts, ends, site in Booking.objects.filter(
        staff=staff,
        status__in=ACTIVE_BOOKING,
        starts_at__gte=window_start,
        starts_at__lt=window_start + dt.timedelta(days=3),
    ).values_list("starts_at", "ends_at", "cover_request__site__name"):
        work.append((starts, ends, f"bank session at {site}"))
    return work


@transaction.atomic
def withdraw_booking(*, by: Any, booking: Booking, now: dt.datetime | None = None) -> Booking:
    """The booked person withdraws before the session; the request is offered again."""
    now = now or timezone.now()
    if by is None or by.person_id != booking.staff.person_id:
        raise PermissionDenied("Only the booked person can withdraw")
    # Lock the request before the booking, in the same order as cancelling does.
    request = CoverRequest.objects.select_for_update().get(pk=booking.cover_request_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != BookingStatus.BOOKED or booking.starts_at <= now:
        raise ValidationError("Only a future booking can be withdrawn")
    booking.status = BookingStatus.WITHDRAWN
    booking.save(update_fields=["status"])
    request.status = CoverStatus.OPEN
    request.filled_at = None
    request.save(update_fields=["status", "filled_at"])
    audit.record(by=by, action="withdraw_booking", obj=booking, organisation=request.practice)
    return booking


@transaction.atomic
def record_no_show(*, by: Any, booking: Booking) -> Booking:
    require_permission(
        by, Permission.TIMESHEET_APPROVE, organisation=booking.cover_request.practice
    )
    if booking.status != BookingStatus.BOOKED or booking.starts_at > timezone.now():
        raise ValidationError("A no-show is recorded for a booked session that has started")
    booking.status = BookingStatus.NO_SHOW
    booking.save(update_fields=["status"])
    audit.record(
        by=by, action="record_no_show", obj=booking, organisation=booking.cover_request.practice
    )
    return booking


# --- timesheets -------------------------------------------------------------------------------


@transaction.atomic
def approve_timesheet(
    *,
    by: Any,
    booking: Booking,
    started_at: dt.datetime | None = None,
    ended_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Timesheet:
    """The practice confirms what was worked; the amount is the rate pro rata to the hours."""
    request = booking.cover_request
    require_permission(by, Permission.TIMESHEET_APPROVE, organisation=request.practice)
    now = now or timezone.now()
    if booking.status != BookingStatus.BOOKED:
        raise ValidationError("Only a booked session, not yet approved, has a timesheet to approve")
    if booking.starts_at > now:
        raise ValidationError("A timesheet is approved after the session has started")
    started_at = started_at or booking.starts_at
    ended_at = ended_at or booking.ends_at
    if ended_at <= started_at:
        raise ValidationError("The session must end after it started")
    slack = dt.timedelta(hours=4)  # early starts and overruns happen; whole other days do not
    if started_at < booking.starts_at - slack or ended_at > booking.ends_at + slack:
        raise ValidationError("The times worked must be around the booked session")
    booked_hours = Decimal((booking.ends_at - booking.starts_at).total_seconds())
    worked = Decimal((ended_at - started_at).total_seconds())
    amount = (request.rate * worked / booked_hours).quantize(Decimal("0.01"))
    timesheet, _ = Timesheet.objects.update_or_create(
        booking=booking,
        defaults={
            "started_at": started_at,
            "ended_at": ended_at,
            "amount": amount,
            "status": TimesheetStatus.APPROVED,
            "decided_by": by if by is not None else None,
            "decided_at": now,
        },
    )
    booking.status = BookingStatus.WORKED
    booking.save(update_fields=["status"])
    audit.record(
        by=by,
        action="approve_timesheet",
        obj=timesheet,
        organisation=request.practice,
        after=audit.snapshot(timesheet),
    )
    return timesheet


# --- the bank ---------------------------------------------------------------------------------


@transaction.atomic
def register_bank_member(
    *, by: Any, staff: StaffMember, alliance: Organisation, joined_on: dt.date
) -> BankMember:
    require_permission(by, Permission.BANK_MANAGE, organisation=alliance)
    member, created = BankMember.objects.get_or_create(
        staff=staff, defaults={"alliance": alliance, "joined_on": joined_on}
    )
    if created:
        audit.record(
            by=by,
            action="register_bank_member",
            obj=member,
            organisation=alliance,
            after=audit.snapshot(member),
        )
    return member


@transaction.atomic
def record_compliance_document(
    *, by: Any, member: BankMember, kind: str, reference: str, expires_on: dt.date
) -> ComplianceDocument:
    require_permission(by, Permission.BANK_MANAGE, organisation=member.alliance)
    document = ComplianceDocument.objects.create(
        member=member,
        kind=kind,
        reference=reference,
        expires_on=expires_on,
        checked_by=by if by is not None else None,
    )
    audit.record(
        by=by,
        action="record_compliance_document",
        obj=document,
        organisation=member.alliance,
        after=audit.snapshot(document),
    )
    return document


# --- API tokens -------------------------------------------------------------------------------


@transaction.atomic
def create_api_token(*, by: Any, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """A new bearer token for `by`; the raw value is returned once and never stored."""
    if by is None:
        raise PermissionDenied("A token belongs to a signed-in user")
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=by,
        name=name,
        token_hash=hash_token(raw),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit.record(by=by, action="create_api_token", obj=token, object_label=f"{name} ({by})")
    return token, raw


@transaction.atomic
def revoke_api_token(*, by: Any, token: ApiToken) -> None:
    if by is None or by.pk != token.user_id:
        raise PermissionDenied("A token is revoked by its owner")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(by=by, action="revoke_api_token", obj=token, object_label=token.name)
