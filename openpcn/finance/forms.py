"""Forms for the finance pages: a funding rate, an ARRS role maximum, a PCN's care home beds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from openpcn.finance.entitlements import FinancialYear
from openpcn.finance.models import Basis, FundingStream
from openpcn.workforce.models import JobRole


class RateForm(forms.Form):
    stream = forms.ModelChoiceField(
        queryset=FundingStream.objects.all(),
        label="Payment stream",
        error_messages={"required": "Choose the payment stream"},
    )
    basis = forms.ChoiceField(
        choices=Basis.choices,
        label="Paid per",
        error_messages={"required": "Choose what the rate is paid per"},
    )
    valid_from = forms.DateField(
        label="Valid from",
        help_text="Usually 1 April, for example 2025-04-01 (year-month-day)",
        error_messages={"required": "Enter the date the rate applies from"},
    )
    valid_to = forms.DateField(
        required=False,
        label="Valid until (optional)",
        help_text="The first day it no longer applies, for example 2026-04-01",
    )
    rate = forms.DecimalField(
        max_digits=10,
        decimal_places=5,
        min_value=0,
        label="Rate (£ a year per unit)",
        error_messages={"required": "Enter the rate in pounds"},
    )
    unit_note = forms.CharField(max_length=120, required=False, label="Unit (optional)")
    source = forms.CharField(
        max_length=300,
        label="Source",
        help_text="Where the figure comes from, for example the Network Contract DES specification",
        error_messages={"required": "Say where the rate comes from"},
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            # A rate keeps its stream and basis; a different one is a new rate.
            del self.fields["stream"]
            del self.fields["basis"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("valid_from")
        end: dt.date | None = data.get("valid_to")
        if start and end and end <= start:
            self.add_error("valid_to", "The end date must be after the start date")
        return data


class ArrsMaximumForm(forms.Form):
    job_role = forms.ModelChoiceField(
        queryset=JobRole.objects.filter(is_arrs=True).order_by("name"),
        label="ARRS role",
        error_messages={"required": "Choose the ARRS role"},
    )
    valid_from = forms.DateField(
        label="Valid from",
        help_text="Usually 1 April, for example 2025-04-01 (year-month-day)",
        error_messages={"required": "Enter the date the maximum applies from"},
    )
    valid_to = forms.DateField(
        required=False,
        label="Valid until (optional)",
        help_text="The first day it no longer applies, for example 2026-04-01",
    )
    annual_maximum = forms.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=0,
        label="Maximum (£ per WTE a year, including on-costs)",
        error_messages={"required": "Enter the maximum in pounds"},
    )
    source = forms.CharField(
        max_length=300,
        label="Source",
        help_text="Where the figure comes from, for example the Network Contract DES Annex B",
        error_messages={"required": "Say where the maximum comes from"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("valid_from")
        end: dt.date | None = data.get("valid_to")
        if start and end and end <= start:
            self.add_error("valid_to", "The end date must be after the start date")
        return data


class CareHomeBedsForm(forms.Form):
    year = forms.TypedChoiceField(
        coerce=int,
        label="Financial year",
        error_messages={"required": "Choose the financial year"},
    )
    beds = forms.IntegerField(
        min_value=0,
        label="Beds in the aligned care homes",
        error_messages={"required": "Enter the number of beds"},
    )
    source = forms.CharField(
        max_length=200,
        required=False,
        label="Source (optional)",
        help_text="For example the CQC care directory on 1 April",
    )

    def __init__(self, *args: Any, years: list[FinancialYear], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y.first_year, y.label) for y in years]  # type: ignore[attr-defined]
