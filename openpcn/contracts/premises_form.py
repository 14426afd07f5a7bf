"""The form to record how a site is held; contracts.actions.record_premises checks the rest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from openpcn.contracts.models import Tenure


class PremisesForm(forms.Form):
    site = forms.ChoiceField(label="Site")
    tenure = forms.ChoiceField(label="How it is held", choices=Tenure.choices)
    owner = forms.ChoiceField(
        label="Owner or holder in the registry", required=False, help_text="For owned premises"
    )
    lease = forms.ChoiceField(
        label="Lease in the contracts register",
        required=False,
        help_text="Leased premises are linked to their lease",
    )
    landlord = forms.CharField(
        label="Landlord", max_length=200, required=False, help_text="Taken from the lease if empty"
    )
    annual_rent = forms.DecimalField(
        label="Rent a year (£)", required=False, max_digits=12, decimal_places=2, min_value=0
    )
    break_dates = forms.CharField(
        label="Break dates",
        max_length=200,
        required=False,
        help_text="Dates the lease can be ended early, comma-separated, e.g. 2027-03-31, 2030-03-31",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args: Any,
        sites: list[tuple[int, str]],
        owners: list[tuple[int, str]],
        leases: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [("", "Choose a site")] + [(str(k), v) for k, v in sites]
        self.fields["owner"].choices = [("", "None")] + [(str(k), v) for k, v in owners]
        self.fields["lease"].choices = [("", "None")] + [(str(k), v) for k, v in leases]

    def clean_break_dates(self) -> list[dt.date]:
        dates = []
        for part in self.cleaned_data["break_dates"].split(","):
            if not part.strip():
                continue
            try:
                dates.append(dt.date.fromisoformat(part.strip()))
            except ValueError as error:
                raise forms.ValidationError(
                    f"{part.strip()!r} is not a date: write it as 2027-03-31"
                ) from error
        return dates
