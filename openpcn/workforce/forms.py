"""Forms for leave requests."""

from __future__ import annotations

from django import forms

from openpcn.workforce.models import AbsenceKind


class AbsenceRequestForm(forms.Form):
    kind = forms.ChoiceField(choices=AbsenceKind.choices, label="Type of leave")
    first_day = forms.DateField(label="First day", help_text="For example, 2026-12-21")
    last_day = forms.DateField(label="Last day", help_text="For example, 2026-12-24")
    note = forms.CharField(max_length=300, required=False, label="Note (optional)")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", "The last day must be on or after the first day")
        return data
