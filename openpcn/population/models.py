"""Population health in the platform: data-sharing agreements, extracts, refreshes and figures.

Patient-level rows never enter this database: an extract is validated and kept as Parquet in the
data directory (see storage.py); a refresh writes only counts (`IndicatorFigure`) here.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q


class SharingScope(models.TextChoices):
    PCN = "pcn", "Its PCN"
    ALLIANCE = "alliance", "Its PCN, its place and the alliance"


class DataSharingAgreementQuerySet(models.QuerySet):
    def active_on(self, date: dt.date) -> DataSharingAgreementQuerySet:
        return self.filter(signed_on__lte=date).filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=date)
        )


class DataSharingAgreement(models.Model):
    """A practice's agreement that its data may be used in PCN (and wider) figures.

    Until one is signed, or after it is withdrawn, the practice's data is used only in its own
    figures; a withdrawal takes effect at the next refresh.
    """

    practice = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="data_sharing_agreements",
    )
    scope = models.CharField(max_length=16, choices=SharingScope.choices)
    signed_by_name = models.CharField(max_length=200, help_text="Who signed for the practice")
    signed_by_role = models.CharField(max_length=100, help_text="e.g. Caldicott Guardian")
    signed_on = models.DateField()
    document_reference = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)

    objects = DataSharingAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["practice__name", "-signed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice"],
                condition=Q(withdrawn_on__isnull=True),
                name="one_open_data_sharing_agreement",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("signed_on")),
                name="agreement_withdrawn_after_signed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice} shares with {self.get_scope_display().lower()}"

    def active_on(self, date: dt.date) -> bool:
        return self.signed_on <= date and (self.withdrawn_on is None or self.withdrawn_on > date)


class ExtractFormat(models.TextChoices):
    CSV = "csv", "CSV files"
    PARQUET = "parquet", "Parquet files"
    FHIR = "fhir", "FHIR R4 bundles"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class PopulationExtract(models.Model):
    """One upload of a GP extract and its provenance: who, when, file hashes and row counts."""

    alliance = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="population_extracts"
    )
    file_format = models.CharField(max_length=10, choices=ExtractFormat.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The first problem found, by file, row and field; never a patient identifier.
    error_file = models.CharField(max_length=200, blank=True)
    error_row = models.PositiveIntegerField(null=True, blank=True)
    error_field = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    files = models.JSONField(default=list, help_text="[{name, bytes, sha256}] as uploaded")
    row_counts = models.JSONField(default=dict, help_text="{table: rows} once validated")
    practice_codes = models.JSONField(default=list)
    latest_event_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"Extract {self.pk} ({self.get_file_format_display()}) for {self.alliance}"

    @property
    def is_running(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def where(self) -> str:
        parts = [self.error_file]
        if self.error_row is not None:
            parts.append(f"row {self.error_row}")
        if self.error_field:
            parts.append(self.error_field)
        return ", ".join(p for p in parts if p)


class IndicatorRefresh(models.Model):
    """Recomputing every indicator for an as-of date, with a monthly history for trends and SPC."""

    alliance = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="indicator_refreshes"
    )
    extract = models.ForeignKey(PopulationExtract, on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField()
    months = models.PositiveSmallIntegerField(default=24)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    # Which practices' data went into PCN and into place/alliance figures, by agreement.
    shared_with_pcn = models.JSONField(default=list)
    shared_with_alliance = models.JSONField(default=list)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Indicators for {self.alliance} as of {self.as_of}"

    @property
    def is_running(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)


class Breakdown(models.TextChoices):
    TOTAL = "", "All patients"
    IMD_QUINTILE = "imd_quintile", "IMD quintile"
    ETHNICITY = "ethnicity6", "Ethnicity"


class IndicatorFigure(models.Model):
    """A numerator and denominator for an indicator, organisation, month end and group.

    Only counts: disclosure control is applied when a figure is shown outside its practice.
    """

    refresh = models.ForeignKey(IndicatorRefresh, on_delete=models.CASCADE, related_name="figures")
    indicator = models.CharField(max_length=40)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    period = models.DateField(help_text="The month end (or as-of date) the figure counts to")
    breakdown = models.CharField(max_length=16, choices=Breakdown.choices, blank=True)
    group = models.CharField(max_length=40, blank=True)
    numerator = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["refresh", "indicator", "breakdown", "period"]),
            models.Index(fields=["refresh", "organisation", "breakdown", "period"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["refresh", "indicator", "organisation", "period", "breakdown", "group"],
                name="one_indicator_figure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.organisation_id} {self.period}: {self.numerator}/{self.denominator}"

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None
