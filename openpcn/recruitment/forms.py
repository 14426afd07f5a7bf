"""Forms for recruitment pages; the actions check what the forms cannot."""

from __future__ import annotations

from typing import Any

from django import forms

from openpcn.recruitment.actions import UPLOAD_MAX_BYTES
from openpcn.recruitment.models import DbsLevel
from openpcn.workforce.models import Band


def _choices(pairs: list[tuple[int, str]], blank: str | None = None) -> list[tuple[str, str]]:
    return ([("", blank)] if blank is not None else []) + [(str(k), v) for k, v in pairs]


class VacancyForm(forms.Form):
    employer = forms.ChoiceField(label="Employer", help_text="The practice, PCN or the alliance")
    job_role = forms.ChoiceField(label="Role")
    title = forms.CharField(label="Job title", max_length=200)
    description = forms.CharField(
        label="About the job", widget=forms.Textarea, help_text="Shown on the public jobs page"
    )
    hours_per_week = forms.DecimalField(
        label="Hours a week",
        max_digits=5,
        decimal_places=2,
        min_value=1,
        max_value=48,
        help_text="37.5 hours is 1.0 WTE; a GP session is 4 hours 10 minutes",
    )
    band = forms.ChoiceField(
        label="Agenda for Change band",
        required=False,
        choices=[("", "Not on Agenda for Change"), *Band.choices],
    )
    salary_from = forms.DecimalField(
        label="Salary from (£ a year)", max_digits=10, decimal_places=2, min_value=0
    )
    salary_to = forms.DecimalField(
        label="Salary to (£ a year)", max_digits=10, decimal_places=2, min_value=0
    )
    arrs_funded = forms.ChoiceField(
        label="Funding", choices=[("no", "Not ARRS-funded"), ("yes", "ARRS-funded")]
    )
    closing_date = forms.DateField(label="Closing date", help_text="For example 2026-12-31")
    blind = forms.ChoiceField(
        label="Shortlisting",
        choices=[("yes", "Blind: the panel sees no names"), ("no", "Named")],
    )

    def __init__(
        self,
        *args: Any,
        employers: list[tuple[int, str]],
        roles: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = _choices(employers)
        self.fields["job_role"].choices = _choices(roles)


class ApplicationForm(forms.Form):
    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    email = forms.EmailField(label="Email address", help_text="We send your confirmation here")
    telephone = forms.CharField(label="Telephone", max_length=40, required=False)
    registration_number = forms.CharField(
        label="Professional registration number",
        max_length=20,
        required=False,
        help_text="Your GMC, NMC, GPhC or HCPC number, if the role needs one",
    )
    cv = forms.FileField(
        label="Your CV", help_text=f"PDF or Word (.docx), up to {UPLOAD_MAX_BYTES // 1_048_576} MB"
    )
    statement = forms.FileField(
        label="Supporting statement",
        help_text="PDF or Word (.docx). The panel may read it without your name: leave out your "
        "name and contact details",
    )


class InterviewForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    starts_at = forms.DateTimeField(label="Starts", help_text="For example 2026-12-14 10:00")
    minutes = forms.IntegerField(label="Length (minutes)", min_value=10, max_value=480, initial=45)
    location = forms.CharField(label="Where", max_length=300)


class OfferForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    start_date = forms.DateField(label="Start date", help_text="For example 2027-01-04")
    annual_salary = forms.DecimalField(label="Salary (£ a year)", max_digits=10, decimal_places=2)
    home_practice = forms.ChoiceField(label="Home practice")

    def __init__(self, *args: Any, practices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_practice"].choices = _choices(practices)


class ChecksForm(forms.Form):
    right_to_work_checked_on = forms.DateField(label="Right to work checked on", required=False)
    right_to_work_evidence = forms.CharField(
        label="Right to work evidence seen",
        max_length=200,
        required=False,
        help_text="For example: UK passport, or a Home Office share code",
    )
    registration_checked_on = forms.DateField(label="Registration checked on", required=False)
    dbs_level = forms.ChoiceField(
        label="DBS level", required=False, choices=[("", "Not checked yet"), *DbsLevel.choices]
    )
    dbs_certificate = forms.CharField(label="DBS certificate number", max_length=20, required=False)
    dbs_checked_on = forms.DateField(label="DBS checked on", required=False)
