"""Cover requests, who may be offered them when, the one booking that fills each, and timesheets.

PostgreSQL enforces the two promises claiming makes (docs/adr/0006): one booking per cover request
(a unique key) and no person booked into two overlapping sessions (an exclusion constraint).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone

# Who is offered a session, widening in this order as time passes.
POOL_PRACTICE, POOL_NETWORK, POOL_ALLIANCE, POOL_BANK = 0, 1, 2, 3
POOLS = (POOL_PRACTICE, POOL_NETWORK, POOL_ALLIANCE, POOL_BANK)


class Pool(models.IntegerChoices):
    PRACTICE = POOL_PRACTICE, "The practice's own staff"
    NETWORK = POOL_NETWORK, "Staff of the practice's PCN"
    ALLIANCE = POOL_ALLIANCE, "Staff employed across the alliance"
    BANK = POOL_BANK, "The alliance bank (sessional GPs and locums)"


class EscalationPolicy(models.Model):
    """How long a request waits at each pool before it is offered more widely."""

    alliance = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="escalation_policy"
    )
    practice_minutes = models.PositiveIntegerField(default=60)
    network_minutes = models.PositiveIntegerField(default=120)
    alliance_minutes = models.PositiveIntegerField(default=240)
    late_cancellation_hours = models.PositiveIntegerField(
        default=48, help_text="Cancelling later than this before the session is a late cancellation"
    )

    def __str__(self) -> str:
        return f"Escalation for {self.alliance}"

    def pool_at(self, posted: dt.datetime, now: dt.datetime) -> int:
        waited = (now - posted).total_seconds() / 60
        for pool, minutes in (
            (POOL_PRACTICE, self.practice_minutes),
            (POOL_NETWORK, self.practice_minutes + self.network_minutes),
            (POOL_ALLIANCE, self.practice_minutes + self.network_minutes + self.alliance_minutes),
        ):
            if waited < minutes:
                return pool
        return POOL_BANK

    def opens_at(self, posted: dt.datetime, pool: int) -> dt.datetime:
        steps = [0, self.practice_minutes, self.network_minutes, self.alliance_minutes]
        return posted + dt.timedelta(minutes=sum(steps[: pool + 1]))


class CoverStatus(models.TextChoices):
    OPEN = "open", "Open"
    FILLED = "filled", "Filled"
    CANCELLED = "cancelled", "Cancelled"


class CoverRequest(models.Model):
    """A session a practice (or hub) needs covered."""

    practice = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="cover_requests"
    )
    site = models.ForeignKey("organisations.Site", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    skill = models.ForeignKey("workforce.Skill", on_delete=models.PROTECT, related_name="+")
    rate = models.DecimalField(
        max_digits=8, decimal_places=2, help_text="Pay for the session, in pounds"
    )
    notes = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=CoverStatus.choices, default=CoverStatus.OPEN)
    posted_at = models.DateTimeField()
    posted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filled_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    late_cancellation = models.BooleanField(default=False)
    from_rota_plan = models.ForeignKey(
        "rostering.RotaPlan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="cover_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(rate__gte=0), name="cover_rate_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.skill} at {self.site.name}, {local:%a %d %b %H:%M}"

    @property
    def hours(self) -> Decimal:
        return Decimal((self.ends_at - self.starts_at).total_seconds() / 3600).quantize(
            Decimal("0.01")
        )


class BankMember(models.Model):
    """A sessional GP or locum registered with the alliance's bank (a staff record, no contract)."""

    staff = models.OneToOneField(
        "workforce.StaffMember", on_delete=models.PROTECT, related_name="bank_membership"
    )
    alliance = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="bank_members"
    )
    joined_on = models.DateField()
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.staff} (bank)"


class DocumentKind(models.TextChoices):
    REGISTRATION = "registration", "Professional registration (GMC, NMC, GPhC, HCPC)"
    INDEMNITY = "indemnity", "Indemnity cover"
    DBS = "dbs", "DBS check"


REQUIRED_DOCUMENTS = (DocumentKind.REGISTRATION, DocumentKind.INDEMNITY, DocumentKind.DBS)


class ComplianceDocument(models.Model):
    """A document a bank member must hold in date to be offered sessions."""

    member = models.ForeignKey(BankMember, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    reference = models.CharField(max_length=100)
    expires_on = models.DateField()
    checked_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["member", "kind", "-expires_on"]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_kind_display()} until {self.expires_on}"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NO_SHOW = "no_show", "Did not attend"
    WORKED = "worked", "Worked"


ACTIVE_BOOKING = [BookingStatus.BOOKED, BookingStatus.WORKED]


class Booking(models.Model):
    """The claim that won a cover request. At most one active booking per request."""

    cover_request = models.ForeignKey(
        CoverRequest, on_delete=models.PROTECT, related_name="bookings"
    )
    staff = models.ForeignKey(
        "workforce.StaffMember", on_delete=models.PROTECT, related_name="bookings"
    )
    # Copied from the request so the database can check overlaps per person.
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    claimed_at = models.DateTimeField()
    pool = models.PositiveSmallIntegerField(choices=Pool.choices)
    idempotency_key = models.CharField(max_length=64)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cover_request"],
                condition=Q(status__in=["booked", "worked"]),
                name="one_active_booking_per_cover_request",
            ),
            models.UniqueConstraint(
                fields=["staff", "idempotency_key"], name="one_booking_per_claim_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} for {self.cover_request}"


class TimesheetStatus(models.TextChoices):
    SUBMITTED = "submitted", "Awaiting approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Timesheet(models.Model):
    """What was actually worked, confirmed by the practice; approved timesheets are paid."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="timesheet")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    status = models.CharField(
        max_length=10, choices=TimesheetStatus.choices, default=TimesheetStatus.SUBMITTED
    )
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gt=models.F("started_at")), name="timesheet_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Timesheet for {self.booking}"


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its hash is stored."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"API token {self.name} of {self.user}"
