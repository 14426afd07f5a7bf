"""Forms for the population pages: data-sharing agreements, uploading an extract, a refresh."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from openpcn.organisations.models import Organisation
from openpcn.population.actions import MAX_MONTHS
from openpcn.population.models import ExtractFormat, SharingScope

DATE_HINT = "For example {day} (year-month-day)"


def _date_hint(day: dt.date | None = None) -> str:
    return DATE_HINT.format(day=(day or dt.date.today()).isoformat())


class AgreementForm(forms.Form):
    scope = forms.ChoiceField(
        choices=SharingScope.choices,
        widget=forms.RadioSelect,
        label="Who may use the practice's data in their figures",
        error_messages={"required": "Choose who may use the practice's data"},
    )
    signed_by_name = forms.CharField(
        max_length=200,
        label="Signed by",
        help_text="The name of the person who signed for the practice",
        error_messages={"required": "Enter the name of the person who signed"},
    )
    signed_by_role = forms.CharField(
        max_length=100,
        label="Their role",
        help_text="For example Caldicott Guardian or senior partner",
        error_messages={"required": "Enter the role of the person who signed"},
    )
    signed_on = forms.DateField(
        label="Signed on",
        error_messages={
            "required": "Enter the date the agreement was signed",
            "invalid": "Enter the date the agreement was signed as year-month-day",
        },
    )
    document_reference = forms.CharField(
        max_length=200,
        required=False,
        label="Document reference (optional)",
        help_text="Where the signed agreement is kept, for example DSA-2026-014",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = dt.date.today()
        self.fields["signed_on"].help_text = _date_hint()

    def clean_signed_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["signed_on"]
        if day > dt.date.today():
            raise forms.ValidationError("The date the agreement was signed must be today or before")
        return day


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(
        label="Withdrawn from",
        error_messages={
            "required": "Enter the date the agreement is withdrawn from",
            "invalid": "Enter the date the agreement is withdrawn from as year-month-day",
        },
    )
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why is the agreement withdrawn?",
        help_text="Recorded in the audit log",
        error_messages={"required": "Say why the agreement is withdrawn"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].initial = dt.date.today()
        self.fields["withdrawn_on"].help_text = _date_hint()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented pattern for `<input multiple>`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(item, initial) for item in data]
        if isinstance(data, list | tuple):
            data = None
        return [single(data, initial)] if data else single(data, initial)


class ExtractForm(forms.Form):
    alliance = forms.TypedChoiceField(
        coerce=int,
        label="Alliance",
        error_messages={"required": "Choose the alliance the extract is for"},
    )
    file_format = forms.ChoiceField(
        choices=ExtractFormat.choices,
        widget=forms.RadioSelect,
        initial=ExtractFormat.CSV,
        label="Format of the files",
        error_messages={"required": "Choose the format of the files"},
    )
    files = MultipleFileField(
        label="The extract's files",
        error_messages={
            "required": "Choose the extract's files",
            "empty": "One of the files is empty",
        },
    )

    def __init__(self, *args: Any, alliances: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.alliances = {a.pk: a for a in alliances}
        self.fields["alliance"].choices = [(a.pk, a.name) for a in alliances]
        if len(alliances) == 1:
            self.fields["alliance"].initial = alliances[0].pk

    def clean_alliance(self) -> Organisation:
        return self.alliances[self.cleaned_data["alliance"]]


class RefreshForm(forms.Form):
    as_of = forms.DateField(
        label="Figures as of",
        error_messages={
            "required": "Enter the date the figures count to",
            "invalid": "Enter the date the figures count to as year-month-day",
        },
    )
    months = forms.IntegerField(
        min_value=1,
        max_value=MAX_MONTHS,
        initial=24,
        label="Months of history",
        help_text=f"Month-end figures before the as-of date, for trends and SPC charts (1 to {MAX_MONTHS})",
        error_messages={
            "required": "Enter how many months of history to count",
            "invalid": "Enter the months of history as a whole number",
            "min_value": f"The monthly history covers 1 to {MAX_MONTHS} months",
            "max_value": f"The monthly history covers 1 to {MAX_MONTHS} months",
        },
    )

    def __init__(self, *args: Any, default_as_of: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = default_as_of
        self.fields["as_of"].help_text = (
            "The latest event in the extract is usually the right date. "
            + _date_hint(default_as_of)
        )
