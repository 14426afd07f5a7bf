"""Forms for the agreement pages: a new version, a draft's schedules, a partner's signature."""

from __future__ import annotations

from typing import Any

from django import forms

from openpcn.agreements.models import SCHEDULE_FIELDS, SCHEDULE_LABELS


class SchedulesForm(forms.Form):
    """The locally completed schedules, as free text (the national clauses are fixed)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in SCHEDULE_FIELDS:
            self.fields[name] = forms.CharField(
                label=SCHEDULE_LABELS[name],
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def schedules(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in SCHEDULE_FIELDS}


class DraftForm(SchedulesForm):
    effective_from = forms.DateField(
        label="Takes effect from",
        help_text="Usually 1 April, for example 2025-04-01 (year-month-day)",
        error_messages={"required": "Enter the date the new version takes effect"},
    )

    field_order = ["effective_from", *SCHEDULE_FIELDS]


class SignatureForm(forms.Form):
    signatory = forms.ChoiceField(
        label="Partner signing",
        error_messages={"required": "Choose the partner who signed"},
    )
    signed_on = forms.DateField(
        label="Signed on",
        help_text="For example 2025-03-28 (year-month-day)",
        error_messages={"required": "Enter the date they signed"},
    )

    def __init__(self, *args: Any, outstanding: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signatory"].choices = [("", "Choose a partner"), *outstanding]  # type: ignore[attr-defined]
