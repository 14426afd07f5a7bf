"""The forms for recording, reviewing, closing and escalating a risk."""

from __future__ import annotations

from typing import Any

from django import forms

from openpcn.governance.models import LEVEL_CHOICES, LIKELIHOOD_CHOICES, RiskCategory
from openpcn.organisations.models import Organisation, Person


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _level(label: str, choices: list[tuple[int, str]]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(coerce=int, choices=choices, label=label)


class _RiskFields(forms.Form):
    title = forms.CharField(max_length=200, label="Title")
    description = forms.CharField(
        required=False, widget=forms.Textarea, label="Description (optional)"
    )
    category = forms.ChoiceField(choices=RiskCategory.choices, label="Category")
    owner = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Owner")
    controls = forms.CharField(
        required=False, widget=forms.Textarea, label="Controls in place (optional)"
    )
    actions = forms.CharField(
        required=False, widget=forms.Textarea, label="Further actions planned (optional)"
    )
    target_consequence = _level("Target consequence", LEVEL_CHOICES)
    target_likelihood = _level("Target likelihood", LIKELIHOOD_CHOICES)
    review_date = forms.DateField(
        label="Next review", widget=DateInput(), help_text="For example 2027-03-31"
    )

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {p.pk: p for p in people}
        self.fields["owner"].choices = [("", "No owner yet")] + [  # type: ignore[attr-defined]
            (p.pk, p.full_name) for p in people
        ]

    def clean_owner(self) -> Person | None:
        pk = self.cleaned_data.get("owner")
        return None if pk is None else self.people[pk]


class RecordRiskForm(_RiskFields):
    organisation = forms.TypedChoiceField(coerce=int, label="Whose risk is it?")
    consequence = _level("Consequence now", LEVEL_CHOICES)
    likelihood = _level("Likelihood now", LIKELIHOOD_CHOICES)

    field_order = ["organisation", "title", "description", "category", "owner"]

    def __init__(
        self, *args: Any, organisations: list[Organisation], people: list[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, people=people, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            (o.pk, f"{o.name} ({o.kind_label})") for o in organisations
        ]

    def clean_organisation(self) -> Organisation:
        return self.organisations[self.cleaned_data["organisation"]]


class UpdateRiskForm(_RiskFields):
    current_consequence = _level("Consequence now", LEVEL_CHOICES)
    current_likelihood = _level("Likelihood now", LIKELIHOOD_CHOICES)


class NoteForm(forms.Form):
    note = forms.CharField(required=False, widget=forms.Textarea, label="Note (optional)")
