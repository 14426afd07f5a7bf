"""The risk register: a practice's, PCN's, place's or alliance's risks, scored on the 5x5 matrix.

Each risk keeps three scores (initial when recorded, current, target after the planned actions), a
number unique in its alliance (shown as R-0001), and, when a practice, PCN or place escalates it,
the alliance whose board now watches it. Changes go through governance.actions and are audited.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from openpcn.governance import risks

LEVEL_CHOICES = [(level, f"{level} {name}") for level, name in risks.CONSEQUENCES.items()]
LIKELIHOOD_CHOICES = [(level, f"{level} {name}") for level, name in risks.LIKELIHOODS.items()]
SCORED = ("initial", "current", "target")


class RiskCategory(models.TextChoices):
    CLINICAL = "clinical", "Clinical and patient safety"
    WORKFORCE = "workforce", "Workforce"
    FINANCIAL = "financial", "Financial"
    OPERATIONAL = "operational", "Operational and service delivery"
    PREMISES = "premises", "Premises and estates"
    INFORMATION = "information", "Information governance and data protection"
    COMPLIANCE = "compliance", "Contractual and regulatory"
    REPUTATIONAL = "reputational", "Reputational"
    STRATEGIC = "strategic", "Strategic and partnership"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


def _level_constraints() -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{when}_{axis}__gte": 1, f"{when}_{axis}__lte": 5}),
            name=f"risk_{when}_{axis}_1_to_5",
        )
        for when in SCORED
        for axis in ("consequence", "likelihood")
    ]


class Risk(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="risks"
    )
    # The alliance the risk's organisation belongs to (the organisation itself for an alliance):
    # references are numbered per alliance.
    alliance = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=20, choices=RiskCategory.choices)
    owner = models.ForeignKey(
        "organisations.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risks_owned",
    )
    controls = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    initial_consequence = models.PositiveSmallIntegerField(choices=LEVEL_CHOICES)
    initial_likelihood = models.PositiveSmallIntegerField(choices=LIKELIHOOD_CHOICES)
    current_consequence = models.PositiveSmallIntegerField(choices=LEVEL_CHOICES)
    current_likelihood = models.PositiveSmallIntegerField(choices=LIKELIHOOD_CHOICES)
    target_consequence = models.PositiveSmallIntegerField(choices=LEVEL_CHOICES)
    target_likelihood = models.PositiveSmallIntegerField(choices=LIKELIHOOD_CHOICES)
    status = models.CharField(max_length=8, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    review_date = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closure_note = models.TextField(blank=True)
    # The alliance board a practice, PCN or place risk was escalated to.
    escalated_to = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalated_risks",
    )
    escalated_on = models.DateField(null=True, blank=True)
    escalation_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["alliance", "number"]
        indexes = [models.Index(fields=["organisation", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "number"], name="risk_number_unique_per_alliance"
            ),
            *_level_constraints(),
            models.CheckConstraint(
                condition=Q(status=RiskStatus.OPEN, closed_on__isnull=True)
                | Q(status=RiskStatus.CLOSED, closed_on__isnull=False),
                name="risk_closed_on_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"R-{self.number:04d}"

    @property
    def initial_score(self) -> int:
        return risks.score(self.initial_consequence, self.initial_likelihood)

    @property
    def current_score(self) -> int:
        return risks.score(self.current_consequence, self.current_likelihood)

    @property
    def target_score(self) -> int:
        return risks.score(self.target_consequence, self.target_likelihood)

    @property
    def initial_band(self) -> risks.Band:
        return risks.band_for_score(self.initial_score)

    @property
    def current_band(self) -> risks.Band:
        return risks.band_for_score(self.current_score)

    @property
    def target_band(self) -> risks.Band:
        return risks.band_for_score(self.target_score)

    @property
    def is_open(self) -> bool:
        return self.status == RiskStatus.OPEN

    def review_overdue(self, today: dt.date | None = None) -> bool:
        return (
            self.is_open
            and self.review_date is not None
            and self.review_date < (today or dt.date.today())
        )


# --- business plans: a PCN's plan for a financial year, its objectives and their progress -------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"


class BusinessPlan(models.Model):
    network = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="business_plans"
    )
    year = models.PositiveSmallIntegerField(help_text="Financial year by its first April")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    agreed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["network__name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "year"], name="one_business_plan_per_pcn_year"
            ),
            models.CheckConstraint(
                condition=~Q(status="agreed") | Q(agreed_on__isnull=False),
                name="an_agreed_plan_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def year_label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    ACHIEVED = "achieved", "Achieved"


class Objective(models.Model):
    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        "organisations.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objectives_owned",
    )
    measure = models.CharField(max_length=300, blank=True, help_text="How success is measured")
    due_date = models.DateField(null=True, blank=True)
    progress = models.CharField(
        max_length=12, choices=Progress.choices, default=Progress.NOT_STARTED
    )
    progress_note = models.TextField(blank=True)
    progress_on = models.DateField(
        null=True, blank=True, help_text="When progress was last reported"
    )

    class Meta:
        ordering = ["plan", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title
