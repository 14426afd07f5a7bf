"""The policy and protocol library: policies, their versions, practices' adoptions, staff
acknowledgements.

A policy belongs to the organisation that writes it once for everyone (an alliance, or a PCN for
its own practices). Each version is written in the app (Markdown) or uploaded (PDF or Word) and
goes draft → approved → published → superseded. A practice adopts a published version, as it is
or with a recorded local variation; staff acknowledge the version their practice runs. A version
marked significant asks everyone to acknowledge again (docs/adr/0010). Writes go through
policies.actions, audited.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q


class Category(models.TextChoices):
    HR = "hr", "HR"
    CLINICAL = "clinical", "Clinical protocol"
    INFORMATION_GOVERNANCE = "information_governance", "Information governance"
    HEALTH_AND_SAFETY = "health_and_safety", "Health and safety"
    BUSINESS_CONTINUITY = "business_continuity", "Business continuity"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    INFECTION_CONTROL = "infection_control", "Infection prevention and control"


class Audience(models.TextChoices):
    """The staff a policy applies to, by staff group or by chosen job roles."""

    EVERYONE = "everyone", "All staff"
    CLINICAL = "clinical", "Clinical staff"
    NON_CLINICAL = "non_clinical", "Non-clinical staff"
    ROLES = "roles", "Chosen job roles"


# A policy is flagged for review this many days before its review date.
REVIEW_WARNING_DAYS = 60


class Policy(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="policies"
    )
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=32, choices=Category.choices)
    owner = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="policies_owned"
    )
    approver = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="policies_approved"
    )
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.EVERYONE)
    job_roles = models.ManyToManyField("workforce.JobRole", blank=True, related_name="policies")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "policies"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "title"], name="policy_title_unique_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def applies_to_roles(self, roles: list[object]) -> bool:
        """Whether the policy applies to someone holding these job roles (workforce.JobRole)."""
        if self.audience == Audience.EVERYONE:
            return True
        if self.audience == Audience.CLINICAL:
            return any(getattr(r, "is_clinical", False) for r in roles)
        if self.audience == Audience.NON_CLINICAL:
            return any(not getattr(r, "is_clinical", True) for r in roles)
        chosen = {r.pk for r in self.job_roles.all()}
        return any(getattr(r, "pk", None) in chosen for r in roles)

    @property
    def applies_to_label(self) -> str:
        if self.audience != Audience.ROLES:
            return self.get_audience_display()
        return ", ".join(r.name for r in self.job_roles.all()) or "No job roles chosen"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"


class PolicyVersion(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    # Written in the app (Markdown), or an uploaded document kept by core.uploads.
    body = models.TextField(blank=True)
    document_path = models.CharField(max_length=300, blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    document_type = models.CharField(max_length=100, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    changes = models.TextField(blank=True, help_text="What changed from the version before")
    # A significant change asks every member of staff to acknowledge the policy again.
    significant = models.BooleanField(default=False)
    review_date = models.DateField()
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    superseded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "number"], name="policy_version_number_unique"
            ),
            # One published version of a policy at a time.
            models.UniqueConstraint(
                fields=["policy"],
                condition=Q(status="published"),
                name="one_published_version_per_policy",
            ),
            models.CheckConstraint(
                condition=~Q(body="") | ~Q(document_path=""),
                name="policy_version_has_text_or_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy.title}, version {self.number}"

    @property
    def is_document(self) -> bool:
        return bool(self.document_path)

    def out_of_date(self, today: dt.date | None = None) -> bool:
        return self.status == VersionStatus.PUBLISHED and self.review_date < (
            today or dt.date.today()
        )

    def review_due(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return self.status == VersionStatus.PUBLISHED and self.review_date - today <= dt.timedelta(
            days=REVIEW_WARNING_DAYS
        )


class Adoption(models.Model):
    """A practice running a published version, from adopted_on until it adopts another."""

    practice = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="policy_adoptions"
    )
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="adoptions")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="adoptions")
    local_variation = models.TextField(blank=True)
    variation_approved_by = models.ForeignKey(
        "organisations.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_variations_approved",
    )
    adopted_on = models.DateField()
    adopted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replaced_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["practice__name", "policy__title", "-adopted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "policy"],
                condition=Q(replaced_on__isnull=True),
                name="one_current_adoption_per_practice_policy",
            ),
            models.CheckConstraint(
                condition=Q(local_variation="") | Q(variation_approved_by__isnull=False),
                name="local_variation_names_who_approved_it",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice}: {self.version}"

    @property
    def varied(self) -> bool:
        return bool(self.local_variation)


class Acknowledgement(models.Model):
    staff = models.ForeignKey(
        "workforce.StaffMember", on_delete=models.PROTECT, related_name="policy_acknowledgements"
    )
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField()

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "version"], name="acknowledged_once")
        ]

    def __str__(self) -> str:
        return f"{self.staff} acknowledged {self.version}"
