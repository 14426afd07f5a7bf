"""A PCN's Network Agreement: versions of the locally completed schedules, and who signed them.

The national template's fixed clauses are not stored. Schedule 1's member practices, Clinical
Director and nominated payee, and Schedule 4's finance rules, are not copied here either: they are
read live from the registry and from finance.FinanceSchedule as on the version's effective date
(see agreements.queries).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft, awaiting signatures"
    SIGNED = "signed", "Signed"
    SUPERSEDED = "superseded", "Superseded"


# The locally completed text of each schedule, in the order the agreement sets them out.
SCHEDULE_FIELDS = (
    "network_area",
    "meeting_frequency",
    "decision_making",
    "clinical_director_appointment",
    "local_terms",
    "activities",
    "workforce",
    "external_arrangements",
    "notes",
)
SCHEDULE_LABELS = {
    "network_area": "Network area",
    "meeting_frequency": "How often the PCN meets",
    "decision_making": "How decisions are made",
    "clinical_director_appointment": "How the Clinical Director is appointed",
    "local_terms": "Additional local terms",
    "activities": "Activities to meet the Network Contract DES",
    "workforce": "How staff are shared and employed",
    "external_arrangements": "Arrangements with organisations outside the PCN",
    "notes": "Notes",
}


class NetworkAgreement(models.Model):
    """One version of a PCN's Network Agreement; a newer signed version supersedes it."""

    network = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="agreement_versions"
    )
    version = models.PositiveIntegerField()
    effective_from = models.DateField()
    status = models.CharField(
        max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    signed_on = models.DateField(null=True, blank=True, help_text="When the last partner signed")
    # Schedule 1: core details (the network area) and governance.
    network_area = models.TextField(blank=True)
    meeting_frequency = models.TextField(blank=True)
    decision_making = models.TextField(blank=True)
    clinical_director_appointment = models.TextField(blank=True)
    # Schedule 2: additional local terms (they supplement, never contradict, the clauses).
    local_terms = models.TextField(blank=True)
    # Schedule 3: the activities by which the PCN meets the Network Contract DES.
    activities = models.TextField(blank=True)
    # Schedule 5: workforce (how staff are shared or employed).
    workforce = models.TextField(blank=True)
    # Schedule 7: arrangements with organisations outside the PCN.
    external_arrangements = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["network__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "version"], name="one_agreement_per_pcn_version"
            ),
            # Drafting refuses a second draft; the index holds it under concurrent requests too.
            models.UniqueConstraint(
                fields=["network"],
                condition=Q(status="draft"),
                name="one_draft_agreement_per_pcn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network}: Network Agreement version {self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == AgreementStatus.DRAFT


class Signatory(models.Model):
    """A partner of a member practice signing a version of the agreement for that practice."""

    agreement = models.ForeignKey(
        NetworkAgreement, on_delete=models.PROTECT, related_name="signatories"
    )
    practice = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="agreement_signatures"
    )
    person = models.ForeignKey(
        "organisations.Person", on_delete=models.PROTECT, related_name="agreement_signatures"
    )
    signed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["practice__name", "person__family_name", "person__given_name"]
        verbose_name_plural = "signatories"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "practice", "person"],
                name="one_agreement_signatory_per_partner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} for {self.practice}, {self.signed_on:%d %B %Y}"
