"""Funding rules as data: payment streams, their rates by date, and ARRS role maxima.

Rates change each April (and again in autumn after pay awards), so every figure is a row with
`valid_from`/`valid_to` and a source note, never a constant in code. The basis sits on the rate,
not the stream, because a stream's basis can change between years (Core PCN funding is paid on the
registered list in 2023/24 and on registered plus adjusted population in 2024/25).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q


class Basis(models.TextChoices):
    REGISTERED = "registered", "Registered population"
    WEIGHTED = "weighted", "Weighted population"
    ADJUSTED = "adjusted", "PCN adjusted population"
    CARE_HOME_BEDS = "beds", "Care home beds"


class FundingStream(models.Model):
    """A payment the PCN receives under the Network Contract DES (Core, Enhanced Access, ARRS…)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    is_arrs = models.BooleanField(
        default=False, help_text="The ARRS sum, claimed per role against role maxima"
    )
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class FundingRate(models.Model):
    """So many pounds per unit of a basis, per year, valid from one date up to (not incl.) another."""

    stream = models.ForeignKey(FundingStream, on_delete=models.PROTECT, related_name="rates")
    basis = models.CharField(max_length=12, choices=Basis.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="First day it no longer applies")
    rate = models.DecimalField(max_digits=10, decimal_places=5, help_text="£ per unit per year")
    unit_note = models.CharField(max_length=120, blank=True)
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["stream__order", "stream__name", "valid_from", "basis"]
        constraints = [
            models.UniqueConstraint(
                fields=["stream", "basis", "valid_from"], name="one_rate_per_stream_basis_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="funding_rate_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(rate__gte=0), name="funding_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.stream}: £{self.rate} × {self.get_basis_display()} from {self.valid_from}"

    def applies_on(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)


class ArrsRoleMaximum(models.Model):
    """The most ARRS reimburses for one whole-time person in a role for a year, incl. on-costs."""

    job_role = models.ForeignKey(
        "workforce.JobRole", on_delete=models.PROTECT, related_name="arrs_maxima"
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="First day it no longer applies")
    annual_maximum = models.DecimalField(max_digits=10, decimal_places=2)
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["job_role__name", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_role", "valid_from"], name="one_arrs_maximum_per_role_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="arrs_maximum_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(annual_maximum__gt=0), name="arrs_maximum_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.job_role}: £{self.annual_maximum} from {self.valid_from}"

    def applies_on(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)


class CareHomeBeds(models.Model):
    """Beds in the care homes aligned to a PCN for a financial year (the care home premium basis)."""

    network = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="care_home_beds"
    )
    year = models.PositiveSmallIntegerField(
        help_text="Financial year by its first April: 2024 = 2024/25"
    )
    beds = models.PositiveIntegerField()
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "year"], name="one_bed_count_per_pcn_year")
        ]

    def __str__(self) -> str:
        return f"{self.network}: {self.beds} beds in {self.year}"
