"""Funding rules as data: payment streams, their rates by date, and ARRS role maxima.

Rates change each April (and again in autumn after pay awards), so every figure is a row with
`valid_from`/`valid_to` and a source note, never a constant in code. The basis sits on the rate,
not the stream, because a stream's basis can change between years (Core PCN funding is paid on the
registered list in 2023/24 and on registered plus adjusted population in 2024/25).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
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


class DistributionMethod(models.TextChoices):
    """How the Network Agreement's finance schedule (Schedule 4) shares a stream among practices."""

    REGISTERED = "registered", "Share of registered (raw) list"
    WEIGHTED = "weighted", "Share of weighted population"
    EQUAL = "equal", "Equal shares"
    FIXED = "fixed", "Fixed amounts"
    RETAINED = "retained", "Retained for PCN costs"
    EMPLOYER = "employer", "Paid to each ARRS employer for its claims"


class FinanceSchedule(models.Model):
    """A version of a PCN's Network Agreement Schedule 4: the nominated payee and how each income
    stream is paid out to the member practices, from a date until the next version."""

    network = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="finance_schedules"
    )
    valid_from = models.DateField(help_text="The first of a month")
    nominated_payee = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    payment_day = models.PositiveSmallIntegerField(
        default=15, help_text="Day of the month the payee pays the practices"
    )
    holding_terms = models.TextField(
        blank=True, help_text="What the payee holds, and for how long, before paying out"
    )
    agreed_on = models.DateField()
    reference = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["network__name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "valid_from"], name="one_finance_schedule_per_pcn_start"
            ),
            models.CheckConstraint(
                condition=Q(payment_day__gte=1) & Q(payment_day__lte=28),
                name="finance_schedule_payment_day_in_every_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network}: Schedule 4 from {self.valid_from:%d %B %Y}"


class DistributionRule(models.Model):
    schedule = models.ForeignKey(FinanceSchedule, on_delete=models.CASCADE, related_name="rules")
    stream = models.ForeignKey(FundingStream, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=12, choices=DistributionMethod.choices)

    class Meta:
        ordering = ["stream__order", "stream__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "stream"], name="one_distribution_rule_per_stream"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stream}: {self.get_method_display()}"


class FixedShare(models.Model):
    """Under a fixed-amounts rule, what one practice is paid a year (in twelfths)."""

    rule = models.ForeignKey(DistributionRule, on_delete=models.CASCADE, related_name="fixed")
    practice = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    annual_amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "practice"], name="one_fixed_share_per_practice"
            ),
            models.CheckConstraint(
                condition=Q(annual_amount__gte=0), name="fixed_share_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice}: £{self.annual_amount} a year"


class PaymentRun(models.Model):
    """A month's PCN income received and paid out to practices, posted to the ledger as one journal.

    At most one live run per PCN and month; a cancelled run keeps its journal and its reversal.
    """

    network = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="payment_runs"
    )
    month = models.DateField(help_text="The first of the month paid")
    schedule = models.ForeignKey(FinanceSchedule, on_delete=models.PROTECT, related_name="runs")
    journal = models.OneToOneField(
        "ledger.Journal", on_delete=models.PROTECT, related_name="payment_run"
    )
    received = models.DecimalField(max_digits=14, decimal_places=2)
    paid_out = models.DecimalField(max_digits=14, decimal_places=2)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["network__name", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "month"],
                condition=Q(cancelled_at__isnull=True),
                name="one_live_payment_run_per_pcn_month",
            )
        ]

    def __str__(self) -> str:
        return f"{self.network}: payments for {self.month:%B %Y}"
