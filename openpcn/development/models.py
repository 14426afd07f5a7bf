"""PCN development: Maturity Matrix self-assessments, workshops and conversations, and the findings
and recommendations a development programme draws from them, tracked by place.

Maturity areas and steps are reference data (reference.py). A PCN records one assessment per date,
rating every area on a step with its evidence; history is kept. A session's notes, when marked
confidential, are shown only to its facilitators. Writes go through development.actions, audited.
"""

from __future__ import annotations

from django.db import models


class MaturityArea(models.Model):
    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class MaturityStep(models.Model):
    level = models.PositiveSmallIntegerField(unique=True, help_text="0 is the foundation stage")
    label = models.CharField(max_length=60)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["level"]

    def __str__(self) -> str:
        return self.label


class MaturityAssessment(models.Model):
    network = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="maturity_assessments"
    )
    assessed_on = models.DateField()
    summary = models.TextField(blank=True)
    recorded_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["network__name", "-assessed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "assessed_on"], name="one_maturity_assessment_per_pcn_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.network} maturity self-assessment, {self.assessed_on:%d %b %Y}"


class MaturityRating(models.Model):
    assessment = models.ForeignKey(
        MaturityAssessment, on_delete=models.CASCADE, related_name="ratings"
    )
    area = models.ForeignKey(MaturityArea, on_delete=models.PROTECT, related_name="+")
    step = models.ForeignKey(MaturityStep, on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "area__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "area"], name="one_rating_per_area_per_assessment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.step}"


class SessionKind(models.TextChoices):
    WORKSHOP = "workshop", "Workshop"
    ONE_TO_ONE = "one_to_one", "One-to-one conversation"


class DevelopmentSession(models.Model):
    kind = models.CharField(max_length=12, choices=SessionKind.choices)
    # A place or a PCN.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="development_sessions"
    )
    held_on = models.DateField()
    title = models.CharField(max_length=200)
    facilitators = models.ManyToManyField(
        "organisations.Person", related_name="sessions_facilitated"
    )
    attendees = models.ManyToManyField(
        "organisations.Person", related_name="sessions_attended", blank=True
    )
    notes = models.TextField(blank=True)
    # Confidential notes are shown to the facilitators only; that it happened, and who came, is not.
    confidential = models.BooleanField(default=False)

    class Meta:
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Theme(models.TextChoices):
    LEADERSHIP = "leadership", "Leadership"
    RELATIONSHIPS = "relationships", "Building relationships across the system"
    MANAGEMENT = "management", "Management and technical priorities"


class Finding(models.Model):
    place = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="development_findings"
    )
    theme = models.CharField(max_length=16, choices=Theme.choices)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    found_on = models.DateField()
    session = models.ForeignKey(
        DevelopmentSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )

    class Meta:
        ordering = ["place__name", "theme", "pk"]

    def __str__(self) -> str:
        return self.title


class Readiness(models.TextChoices):
    READY = "ready", "Ready and low cost"
    FEASIBILITY = "feasibility", "Needs feasibility work"


class RecommendationStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class Recommendation(models.Model):
    place = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="development_recommendations",
    )
    theme = models.CharField(max_length=16, choices=Theme.choices)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    readiness = models.CharField(max_length=12, choices=Readiness.choices)
    owner = models.ForeignKey(
        "organisations.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations_owned",
    )
    status = models.CharField(
        max_length=12, choices=RecommendationStatus.choices, default=RecommendationStatus.PROPOSED
    )
    findings = models.ManyToManyField(Finding, related_name="recommendations", blank=True)
    evidence_of_impact = models.TextField(blank=True)
    # What this place learned, written for the other places (the report across places).
    learning = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["place__name", "theme", "pk"]

    def __str__(self) -> str:
        return self.title


class RecommendationAction(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    what = models.CharField(max_length=300)
    who = models.ForeignKey(
        "organisations.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="development_actions",
    )
    due = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["recommendation", "due", "pk"]

    def __str__(self) -> str:
        return self.what
