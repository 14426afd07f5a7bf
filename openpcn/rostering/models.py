"""Rotas: demand templates, Enhanced Access hubs, rota plans and their assignments, swaps, feeds."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q

from openpcn.rostering.sessions import SessionKind


class SessionDemand(models.Model):
    """A weekly template: at `site`, on `weekday`, `session` needs `count` people with `skill`.

    `network` is set for Enhanced Access sessions: the PCN whose requirement the session delivers.
    """

    site = models.ForeignKey("organisations.Site", on_delete=models.PROTECT, related_name="demand")
    weekday = models.PositiveSmallIntegerField(help_text="0 = Monday … 5 = Saturday")
    session = models.CharField(max_length=10, choices=SessionKind.choices)
    skill = models.ForeignKey("workforce.Skill", on_delete=models.PROTECT, related_name="+")
    count = models.PositiveSmallIntegerField()
    network = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enhanced_access_demand",
    )

    class Meta:
        ordering = ["site", "weekday", "session", "skill"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "weekday", "session", "skill", "network"],
                name="one_enhanced_access_demand_row",
            ),
            models.UniqueConstraint(
                fields=["site", "weekday", "session", "skill"],
                condition=Q(network__isnull=True),
                name="one_demand_row",
            ),
            models.CheckConstraint(condition=Q(weekday__lte=5), name="demand_monday_to_saturday"),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.weekday} {self.session}: {self.count} × {self.skill}"


class DemandException(models.Model):
    """A date when a site (or, with no site, every site of the organisation) is closed."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="closures"
    )
    site = models.ForeignKey(
        "organisations.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="closures",
    )
    date = models.DateField()
    reason = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"


class EnhancedAccessHub(models.Model):
    """The hub site where a PCN delivers its Enhanced Access sessions."""

    network = models.OneToOneField(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="enhanced_access_hub"
    )
    site = models.ForeignKey("organisations.Site", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.network} at {self.site}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    QUEUED = "queued", "Waiting to plan"
    SOLVING = "solving", "Planning"
    PLANNED = "planned", "Planned"
    FAILED = "failed", "Could not plan"
    CANCELLED = "cancelled", "Cancelled"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"


class RotaPlan(models.Model):
    """A rota for a PCN or the whole alliance over 1–8 weeks from a Monday."""

    scope = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="rota_plans"
    )
    first_day = models.DateField(help_text="A Monday")
    weeks = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    cancel_requested = models.BooleanField(default=False)
    task_id = models.CharField(max_length=64, blank=True)
    # When the worker last reported; a plan stuck planning long after it is re-queued (worker died).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    time_limit_seconds = models.PositiveIntegerField(default=30)
    seed = models.PositiveIntegerField(default=1)
    objective = models.BigIntegerField(null=True, blank=True)
    solve_seconds = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_reason = models.CharField(max_length=500, blank=True)
    repaired_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="repairs"
    )

    class Meta:
        ordering = ["-first_day", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weeks__gte=1, weeks__lte=8), name="plan_1_to_8_weeks"
            ),
        ]

    def __str__(self) -> str:
        return f"Rota for {self.scope.name} from {self.first_day} ({self.weeks} weeks)"

    @property
    def last_day(self):  # type: ignore[no-untyped-def]
        import datetime as dt

        return self.first_day + dt.timedelta(days=7 * self.weeks - 1)

    @property
    def is_running(self) -> bool:
        return self.status in (PlanStatus.QUEUED, PlanStatus.SOLVING)


class AssignmentSource(models.TextChoices):
    SOLVER = "solver", "Planned"
    PLANNER = "planner", "Set by the planner"
    REPAIR = "repair", "Repaired"
    SWAP = "swap", "Swapped"


class RotaAssignment(models.Model):
    """One person working one session at one site on one date, as part of a plan."""

    plan = models.ForeignKey(RotaPlan, on_delete=models.CASCADE, related_name="assignments")
    staff = models.ForeignKey(
        "workforce.StaffMember", on_delete=models.PROTECT, related_name="rota_assignments"
    )
    site = models.ForeignKey("organisations.Site", on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    session = models.CharField(max_length=10, choices=SessionKind.choices)
    skill = models.ForeignKey(
        "workforce.Skill", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    network = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The PCN whose Enhanced Access this session delivers",
    )
    locked = models.BooleanField(default=False)
    source = models.CharField(
        max_length=10, choices=AssignmentSource.choices, default=AssignmentSource.SOLVER
    )

    class Meta:
        ordering = ["date", "session", "site", "staff"]
        constraints = [
            # Nobody is in two places in one session of one plan.
            models.UniqueConstraint(
                fields=["plan", "staff", "date", "session"], name="one_session_per_person"
            ),
        ]
        indexes = [models.Index(fields=["staff", "date"])]

    def __str__(self) -> str:
        return f"{self.staff} at {self.site} {self.date} {self.session}"


class RotaPenalty(models.Model):
    """One explained soft cost of a plan ("Tuesday AM at Brookside: 1 GP short")."""

    plan = models.ForeignKey(RotaPlan, on_delete=models.CASCADE, related_name="penalties")
    rule = models.CharField(max_length=60)
    cost = models.PositiveIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["-cost", "text"]

    def __str__(self) -> str:
        return self.text


class SwapStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted by colleague"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class SwapRequest(models.Model):
    """A staff member offers their session to a colleague (optionally taking one of theirs back)."""

    offered = models.ForeignKey(RotaAssignment, on_delete=models.CASCADE, related_name="+")
    colleague = models.ForeignKey(
        "workforce.StaffMember", on_delete=models.PROTECT, related_name="+"
    )
    wanted = models.ForeignKey(
        RotaAssignment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=SwapStatus.choices, default=SwapStatus.PROPOSED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Swap {self.offered} with {self.colleague}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A private, revocable calendar (RFC 5545) address for one staff member's rota."""

    staff = models.ForeignKey(
        "workforce.StaffMember", on_delete=models.CASCADE, related_name="feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed for {self.staff}"
