"""Forms for education events; the actions check what the forms cannot."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from openpcn.education.models import RATINGS, EventKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class EventForm(forms.Form):
    organisation = forms.TypedChoiceField(coerce=int, label="Run by")
    kind = forms.ChoiceField(label="Kind of event", choices=EventKind.choices)
    title = forms.CharField(label="Title", max_length=200)
    learning_outcomes = forms.CharField(
        label="Learning outcomes", widget=forms.Textarea, help_text="One outcome a line"
    )
    speakers = forms.CharField(label="Speakers", max_length=300, required=False)
    venue = forms.CharField(
        label="Venue", max_length=300, required=False, help_text="Leave empty for online only"
    )
    online_link = forms.URLField(
        label="Online link",
        required=False,
        assume_scheme="https",
        help_text="For example https://meet.example/plt",
    )
    date = forms.DateField(label="Date", widget=DateInput(), help_text="For example 2027-01-20")
    start_time = forms.TimeField(
        label="Starts at", widget=TimeInput(), help_text="For example 13:30"
    )
    end_time = forms.TimeField(label="Ends at", widget=TimeInput(), help_text="For example 17:00")
    cpd_hours = forms.DecimalField(
        label="CPD hours", max_digits=4, decimal_places=2, min_value=Decimal("0")
    )
    capacity = forms.IntegerField(label="Places", min_value=1)
    audience_roles = forms.TypedMultipleChoiceField(
        coerce=int, required=False, label="For these job roles (none ticked: every role)"
    )
    audience_networks = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        label="For these PCNs (none ticked: everyone the organiser covers)",
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[tuple[int, str]],
        roles: list[tuple[int, str]],
        networks: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = organisations  # type: ignore[attr-defined]
        self.fields["audience_roles"].choices = roles  # type: ignore[attr-defined]
        self.fields["audience_networks"].choices = networks  # type: ignore[attr-defined]

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        starts = dt.datetime.combine(data["date"], data["start_time"], tzinfo=zone)
        ends = dt.datetime.combine(data["date"], data["end_time"], tzinfo=zone)
        return starts, ends


RATING_CHOICES = [(str(n), f"{n} {label}") for n, label in RATINGS.items()]


class FeedbackForm(forms.Form):
    overall = forms.TypedChoiceField(
        coerce=int, choices=RATING_CHOICES, label="How good was the event overall?"
    )
    relevance = forms.TypedChoiceField(
        coerce=int, choices=RATING_CHOICES, label="How relevant was it to your work?"
    )
    comments = forms.CharField(
        label="Anything else? (optional)", widget=forms.Textarea, required=False, max_length=2000
    )


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label="Places", min_value=1)
