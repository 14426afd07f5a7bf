"""Forms for recording development work; choices are filled in by the views from the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms

from openpcn.development.models import (
    MaturityArea,
    MaturityStep,
    Readiness,
    RecommendationStatus,
    SessionKind,
    Theme,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=DateInput(), help_text="For example 2026-09-30"
    )


class MaturityForm(forms.Form):
    """The date, then a step and the evidence for each of the matrix's areas."""

    assessed_on = _date("Date of the self-assessment")
    summary = forms.CharField(label="Summary (optional)", required=False, widget=forms.Textarea)

    def __init__(
        self, *args: Any, areas: list[MaturityArea], steps: list[MaturityStep], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.areas = areas
        choices = [(s.level, s.label) for s in steps]
        for area in areas:
            self.fields[f"step_{area.key}"] = forms.TypedChoiceField(
                label=f"{area.name}: step", coerce=int, choices=choices
            )
            self.fields[f"evidence_{area.key}"] = forms.CharField(
                label=f"{area.name}: evidence", required=False, widget=forms.Textarea
            )

    def ratings(self) -> dict[str, tuple[int, str]]:
        data = self.cleaned_data
        return {a.key: (data[f"step_{a.key}"], data[f"evidence_{a.key}"]) for a in self.areas}


class SessionForm(forms.Form):
    organisation = forms.TypedChoiceField(label="Place or PCN", coerce=int)
    kind = forms.ChoiceField(label="Kind", choices=SessionKind.choices)
    title = forms.CharField(label="Title", max_length=200)
    held_on = _date("Held on")
    facilitators = forms.TypedMultipleChoiceField(label="Facilitators", coerce=int)
    attendees = forms.TypedMultipleChoiceField(label="Attendees", coerce=int, required=False)
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea)
    confidential = forms.BooleanField(
        label="Confidential: only the facilitators read the notes", required=False
    )

    def __init__(self, *args: Any, organisations: list[Any], people: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            (o.pk, f"{o.name} ({o.kind_label})") for o in organisations
        ]
        for name in ("facilitators", "attendees"):
            self.fields[name].choices = [(p.pk, p.full_name) for p in people]  # type: ignore[attr-defined]


class FindingForm(forms.Form):
    theme = forms.ChoiceField(label="Theme", choices=Theme.choices)
    title = forms.CharField(label="Finding", max_length=200)
    detail = forms.CharField(label="Detail (optional)", required=False, widget=forms.Textarea)
    found_on = _date("Found on")


class RecommendationForm(forms.Form):
    theme = forms.ChoiceField(label="Theme", choices=Theme.choices)
    title = forms.CharField(label="Recommendation", max_length=200)
    readiness = forms.ChoiceField(label="Readiness", choices=Readiness.choices)
    owner = forms.TypedChoiceField(label="Owner", coerce=int, required=False, empty_value=None)
    detail = forms.CharField(label="Detail (optional)", required=False, widget=forms.Textarea)


class RecommendationUpdateForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=RecommendationStatus.choices)
    evidence_of_impact = forms.CharField(
        label="Evidence of impact (optional)", required=False, widget=forms.Textarea
    )
    learning = forms.CharField(
        label="What other places can learn (optional)", required=False, widget=forms.Textarea
    )


class ActionForm(forms.Form):
    what = forms.CharField(label="What", max_length=300)
    who = forms.TypedChoiceField(label="Who", coerce=int, required=False, empty_value=None)
    due = _date("Due by", required=False)
