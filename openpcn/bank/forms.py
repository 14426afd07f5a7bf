"""Forms for the bank's pages: request cover, cancel, approve a timesheet, the bank, API tokens."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from openpcn.bank.models import DocumentKind
from openpcn.organisations.models import Organisation, Site
from openpcn.workforce.models import Skill, StaffMember


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


def local(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


class CoverRequestForm(forms.Form):
    practice = forms.TypedChoiceField(coerce=int, label="Practice")
    site = forms.TypedChoiceField(
        coerce=int, label="Site", help_text="One of the practice's sites, or an alliance hub"
    )
    date = forms.DateField(
        label="Date of the session", widget=DateInput(), help_text="For example 2026-12-01"
    )
    start = forms.TimeField(label="Start time", widget=TimeInput(), help_text="For example 08:30")
    end = forms.TimeField(label="End time", widget=TimeInput(), help_text="For example 12:30")
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.order_by("-is_role", "name"), label="Role or skill needed"
    )
    rate = forms.DecimalField(
        min_value=Decimal("0"),
        max_digits=8,
        decimal_places=2,
        label="Rate for the session, in pounds",
        help_text="What the person is paid for the whole session, for example 320.00",
    )
    notes = forms.CharField(
        max_length=500,
        required=False,
        label="Notes for the person covering (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        practices: list[Organisation],
        sites: dict[int, list[Site]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.practices = {p.pk: p for p in practices}
        self.sites = {s.pk: s for sites_of in sites.values() for s in sites_of}
        self.sites_of = {pk: {s.pk for s in sites_of} for pk, sites_of in sites.items()}
        self.fields["practice"].choices = [(p.pk, p.name) for p in practices]
        multiple = len(practices) > 1
        self.fields["site"].choices = [
            (s.pk, f"{s.name} ({s.organisation.name})" if multiple or s.kind == "hub" else s.name)
            for s in sorted(self.sites.values(), key=lambda s: (s.organisation.name, s.name))
        ]
        self.fields["skill"].label_from_instance = lambda s: s.name

    def clean_practice(self) -> Organisation:
        return self.practices[self.cleaned_data["practice"]]

    def clean_site(self) -> Site:
        return self.sites[self.cleaned_data["site"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        practice, site = data.get("practice"), data.get("site")
        if (
            practice is not None
            and site is not None
            and site.pk not in self.sites_of.get(practice.pk, set())
        ):
            self.add_error("site", f"{site.name} is not a site {practice.name} can use")
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", "The session must end after it starts")
        return data

    def action_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "practice": data["practice"],
            "site": data["site"],
            "starts_at": local(data["date"], data["start"]),
            "ends_at": local(data["date"], data["end"]),
            "skill": data["skill"],
            "rate": data["rate"],
            "notes": data["notes"],
        }


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label="Why is the request cancelled?",
        help_text="The booked person is told; cancelling close to the session is recorded as late",
    )


class TimesheetForm(forms.Form):
    """The times actually worked, on the session's date; they start as the booked times."""

    started = forms.TimeField(label="Started at", widget=TimeInput())
    ended = forms.TimeField(label="Finished at", widget=TimeInput())

    def __init__(self, *args: Any, session_date: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session_date = session_date

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, ended = data.get("started"), data.get("ended")
        if started is not None and ended is not None and ended <= started:
            self.add_error("ended", "The session must finish after it started")
        return data

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        return local(self.session_date, data["started"]), local(self.session_date, data["ended"])


class MemberForm(forms.Form):
    staff = forms.ModelChoiceField(
        queryset=StaffMember.objects.none(),
        label="Staff record",
        help_text="A sessional GP or locum needs a staff record before joining the bank",
    )
    joined_on = forms.DateField(label="Joined the bank on", widget=DateInput())

    def __init__(self, *args: Any, staff: QuerySet[StaffMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda s: s.person.full_name
        self.fields["joined_on"].initial = timezone.localdate()


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices, label="Document")
    reference = forms.CharField(
        max_length=100,
        label="Reference",
        help_text="For example the GMC number, the indemnity policy or the DBS certificate number",
    )
    expires_on = forms.DateField(label="Expires on", widget=DateInput())


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, label="Name of the token", help_text="For example: my phone's bank app"
    )
    days = forms.IntegerField(min_value=1, max_value=365, initial=90, label="Valid for, in days")
