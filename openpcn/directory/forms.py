"""Forms for directory pages: the search a link worker runs, and editing an entry."""

from __future__ import annotations

from typing import Any

from django import forms

from openpcn.directory.actions import DAY_CODES
from openpcn.directory.geo import normalise_postcode
from openpcn.directory.models import ServiceStatus


class SearchForm(forms.Form):
    q = forms.CharField(label="Words to search for", required=False, max_length=200)
    need = forms.ChoiceField(label="Need", required=False)
    term = forms.ChoiceField(label="Taxonomy term", required=False)
    age = forms.IntegerField(
        label="Age of the person",
        required=False,
        min_value=0,
        max_value=120,
        help_text="Leaves out services whose age limits they are outside.",
    )
    postcode = forms.CharField(
        label="Near a postcode",
        required=False,
        max_length=10,
        help_text="The patient's postcode is not kept: it is only used to order the results.",
    )
    site = forms.ChoiceField(label="Or near a practice site", required=False)
    within = forms.DecimalField(
        label="Within (miles)", required=False, min_value=0.1, max_value=100, initial=5
    )

    def __init__(
        self, *args: Any, needs: Any = (), terms: Any = (), sites: Any = (), **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", "Any need")] + [(str(t.id), t.name) for t in needs]
        self.fields["term"].choices = [("", "Any term")] + [(str(t.id), t.name) for t in terms]
        self.fields["site"].choices = [("", "No site")] + [(str(s.pk), s.name) for s in sites]

    def clean_postcode(self) -> str:
        raw = self.cleaned_data.get("postcode", "")
        if raw and not normalise_postcode(raw):
            raise forms.ValidationError("Enter a full postcode, like LS1 4AP")
        return normalise_postcode(raw) if raw else ""


class ServiceForm(forms.Form):
    name = forms.CharField(label="Name", max_length=255)
    description = forms.CharField(label="Description", widget=forms.Textarea, required=False)
    status = forms.ChoiceField(label="Status", choices=ServiceStatus.choices)
    url = forms.URLField(label="Website", required=False, max_length=500, assume_scheme="https")
    email = forms.EmailField(label="Email", required=False)
    fees = forms.CharField(label="Fees", required=False)
    minimum_age = forms.FloatField(label="Minimum age", required=False, min_value=0)
    maximum_age = forms.FloatField(label="Maximum age", required=False, min_value=0)
    alert = forms.CharField(label="Alert (for example a temporary change)", required=False)
    review_date = forms.DateField(
        label="Review by", help_text="When this entry must next be checked with its provider"
    )


class ReviewedForm(forms.Form):
    next_review = forms.DateField(label="Next review by")


class ScheduleForm(forms.Form):
    days = forms.MultipleChoiceField(
        label="Days", choices=list(DAY_CODES.items()), widget=forms.CheckboxSelectMultiple
    )
    opens_at = forms.TimeField(label="Opens at (HH:MM)")
    closes_at = forms.TimeField(label="Closes at (HH:MM)")
    description = forms.CharField(label="Description", required=False, max_length=500)


class UploadForm(forms.Form):
    feed = forms.FileField(label="ORUK feed (JSON)")
