"""Forms for the rota pages: plan a rota, put someone in a session, publish, offer a swap."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from openpcn.organisations.models import Organisation
from openpcn.rostering.actions import MAX_WEEKS
from openpcn.rostering.sessions import SessionKind
from openpcn.workforce.models import Skill, StaffMember


def next_monday(today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    return today + dt.timedelta(days=(7 - today.weekday()) % 7)


class PlanForm(forms.Form):
    scope = forms.TypedChoiceField(coerce=int, label="Rota for")
    first_day = forms.DateField(
        label="First day", help_text="A Monday, for example 2026-11-30 (year-month-day)"
    )
    weeks = forms.IntegerField(min_value=1, max_value=MAX_WEEKS, initial=4, label="Weeks")
    time_limit_seconds = forms.IntegerField(
        min_value=2,
        max_value=600,
        initial=30,
        label="Time limit for planning, in seconds",
        help_text="The planner stops with the best rota found by then",
    )

    def __init__(self, *args: Any, scopes: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scopes = {s.pk: s for s in scopes}
        self.fields["scope"].choices = [(s.pk, f"{s.name} ({s.kind_label})") for s in scopes]
        self.fields["first_day"].initial = next_monday()

    def clean_first_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["first_day"]
        if day.weekday() != 0:
            raise forms.ValidationError("A rota starts on a Monday")
        return day

    def clean_scope(self) -> Organisation:
        return self.scopes[self.cleaned_data["scope"]]


class AssignmentForm(forms.Form):
    """Put a person in one session of a site (the site is in the URL)."""

    date = forms.DateField(widget=forms.HiddenInput)
    session = forms.ChoiceField(choices=SessionKind.choices, widget=forms.HiddenInput)
    staff = forms.ModelChoiceField(queryset=StaffMember.objects.none(), label="Person")
    skill = forms.ModelChoiceField(queryset=Skill.objects.all(), label="As")

    def __init__(self, *args: Any, staff: QuerySet[StaffMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff


class PublishForm(forms.Form):
    override_reason = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason to publish despite the breaches",
        help_text="Recorded in the audit log with the breaches",
    )


class SwapForm(forms.Form):
    colleague = forms.ModelChoiceField(
        queryset=StaffMember.objects.none(), label="Colleague to offer the session to"
    )

    def __init__(self, *args: Any, colleagues: QuerySet[StaffMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = colleagues
        self.fields["colleague"].label_from_instance = lambda s: s.person.full_name
