"""The forms that open an appointment, nominate, record a practice's vote and declare the result."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from openpcn.appointments.actions import NOMINABLE_TITLES
from openpcn.appointments.models import Appointment, Elector
from openpcn.organisations.models import Organisation, Person, RoleHolding


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _date(label: str, today: dt.date, initial: dt.date | None = None) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        initial=initial or today,
        help_text=f"For example {today.isoformat()}",
        error_messages={"invalid": f"{label}: give a date such as {today.isoformat()}"},
    )


class OpenForm(forms.Form):
    network = forms.TypedChoiceField(label="PCN", coerce=int)

    def __init__(self, networks: list[Organisation], *args: Any, today: dt.date) -> None:
        super().__init__(*args)
        self.networks = {n.pk: n for n in networks}
        self.fields["network"].choices = [(n.pk, n.name) for n in networks]  # type: ignore[attr-defined]
        self.fields["vote_date"] = _date("Date of the vote", today)
        self.fields["term_starts"] = _date("The new term of office starts on", today)

    def clean_network(self) -> Organisation:
        return self.networks[self.cleaned_data["network"]]


def nominees(
    appointment: Appointment, electors: list[Elector]
) -> list[tuple[Organisation, Person]]:
    """GP partners and clinicians of these member practices on the vote's date, not yet nominated."""
    taken = set(appointment.nominations.values_list("person_id", flat=True))
    holdings = (
        RoleHolding.objects.current_on(appointment.vote_date)
        .filter(organisation_id__in=[e.practice_id for e in electors], title__in=NOMINABLE_TITLES)
        .exclude(person_id__in=taken)
        .select_related("person", "organisation")
        .order_by("organisation__name", "person__family_name", "person__given_name")
    )
    seen: set[tuple[int, int]] = set()
    found = []
    for h in holdings:
        if (h.organisation_id, h.person_id) not in seen:
            seen.add((h.organisation_id, h.person_id))
            found.append((h.organisation, h.person))
    return found


class NominationForm(forms.Form):
    nominee = forms.ChoiceField(label="Nominee")
    statement = forms.CharField(label="Statement (optional)", required=False, max_length=2000)

    def __init__(self, appointment: Appointment, electors: list[Elector], *args: Any) -> None:
        super().__init__(*args)
        self.choices = {
            f"{practice.pk}:{person.pk}": (practice, person)
            for practice, person in nominees(appointment, electors)
        }
        self.fields["nominee"].choices = [("", "Choose a GP partner or clinician")] + [  # type: ignore[attr-defined]
            (key, f"{person} ({practice.name})") for key, (practice, person) in self.choices.items()
        ]

    def clean_nominee(self) -> tuple[Organisation, Person]:
        return self.choices[self.cleaned_data["nominee"]]


class VoteForm(forms.Form):
    practice = forms.TypedChoiceField(label="Practice", coerce=int)
    nomination = forms.TypedChoiceField(label="Votes for", coerce=int)

    def __init__(
        self, appointment: Appointment, electors: list[Elector], *args: Any, manage: bool
    ) -> None:
        super().__init__(*args)
        self.electors = {e.pk: e for e in electors}
        self.nominations = {n.pk: n for n in appointment.nominations.select_related("person")}
        self.fields["practice"].choices = [(e.pk, e.practice.name) for e in electors]  # type: ignore[attr-defined]
        self.fields["nomination"].choices = [("", "Choose a nominee")] + [  # type: ignore[attr-defined]
            (n.pk, str(n.person)) for n in self.nominations.values()
        ]
        if manage:
            self.fields["cast_by"] = forms.CharField(
                label="Who cast the practice's vote",
                max_length=200,
                help_text="The partner or manager who cast it for the practice",
                error_messages={"required": "Say who cast the practice's vote"},
            )

    def clean_practice(self) -> Elector:
        return self.electors[self.cleaned_data["practice"]]

    def clean_nomination(self) -> Any:
        return self.nominations[self.cleaned_data["nomination"]]


class DeclareForm(forms.Form):
    def __init__(self, *args: Any, today: dt.date) -> None:
        super().__init__(*args)
        self.fields["on"] = _date("Declared on", today)
