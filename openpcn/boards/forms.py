"""The forms for boards, meetings, agendas, attendance, decisions, actions and declarations."""

from __future__ import annotations

from typing import Any

from django import forms

from openpcn.boards.models import AttendanceStatus, Board, BoardMember, InterestType, MemberRole
from openpcn.boards.storage import MAX_PAPER_BYTES, check_paper
from openpcn.organisations.models import Organisation, Person


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


YES_NO = [("no", "No"), ("yes", "Yes")]


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        choices=YES_NO, coerce=lambda v: v == "yes", initial="no", label=label
    )


class _PeopleChoice(forms.Form):
    """A form choosing a person from a given list (by id)."""

    def _people(self, name: str, people: list[Person], blank: str | None) -> None:
        self.people = {p.pk: p for p in people}
        choices = [(p.pk, p.full_name) for p in people]
        self.fields[name].choices = ([("", blank)] if blank else []) + choices  # type: ignore[attr-defined]

    def _person(self, name: str) -> Person | None:
        pk = self.cleaned_data.get(name)
        return None if pk is None else self.people[pk]


class BoardForm(forms.Form):
    organisation = forms.TypedChoiceField(coerce=int, label="Whose board")
    name = forms.CharField(max_length=200, label="Name", help_text="For example Alliance Board")
    quorum = forms.IntegerField(
        min_value=1,
        max_value=99,
        label="Quorum",
        help_text="How many voting members must be present for the board to decide anything",
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            (o.pk, f"{o.name} ({o.kind_label})") for o in organisations
        ]

    def clean_organisation(self) -> Organisation:
        return self.organisations[self.cleaned_data["organisation"]]


class MemberForm(_PeopleChoice):
    person = forms.TypedChoiceField(coerce=int, label="Person")
    role = forms.ChoiceField(choices=MemberRole.choices, initial=MemberRole.MEMBER, label="Role")
    voting = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        initial="yes",
        label="Do they vote?",
        help_text="An observer never votes",
    )
    start_date = forms.DateField(
        label="Term starts", widget=DateInput(), help_text="For example 2027-04-01"
    )
    end_date = forms.DateField(
        required=False,
        label="Term ends (optional)",
        widget=DateInput(),
        help_text="The day after their last day; leave empty if the term is open-ended",
    )

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._people("person", people, "Choose a person")

    def clean_person(self) -> Person | None:
        return self._person("person")


class EndTermForm(forms.Form):
    end_date = forms.DateField(
        label="Term ends on",
        widget=DateInput(),
        help_text="The day after their last day on the board, for example 2027-03-31",
    )


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Date and time",
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="For example 2027-01-20 18:30",
    )
    place = forms.CharField(required=False, max_length=200, label="Place (optional if online)")
    online = _yes_no("Can members join online?")


class AgendaItemForm(_PeopleChoice):
    title = forms.CharField(max_length=200, label="Title")
    presenter = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Presenter"
    )
    for_decision = _yes_no("Is the item for decision?")
    related_organisations = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        label="Organisations the item is about (optional)",
        help_text="For example the practice or company a contract is with. Members with a "
        "declared interest in one are flagged.",
    )
    keywords = forms.CharField(
        required=False,
        max_length=300,
        label="Keywords (optional)",
        help_text="Separate them with commas. A member whose declared interest mentions one is "
        "flagged.",
    )
    paper = forms.FileField(
        required=False,
        label="Paper (optional)",
        help_text=f"A PDF, Word (.docx) or Excel (.xlsx) file, at most "
        f"{MAX_PAPER_BYTES // (1024 * 1024)} MB",
    )

    def __init__(
        self, *args: Any, people: list[Person], organisations: list[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._people("presenter", people, "No presenter named")
        self.organisations = {o.pk: o for o in organisations}
        self.fields["related_organisations"].choices = [  # type: ignore[attr-defined]
            (o.pk, f"{o.name} ({o.kind_label})") for o in organisations
        ]

    def clean_presenter(self) -> Person | None:
        return self._person("presenter")

    def clean_related_organisations(self) -> list[Organisation]:
        return [self.organisations[pk] for pk in self.cleaned_data["related_organisations"]]

    def clean_paper(self) -> Any:
        paper = self.cleaned_data.get("paper")
        if paper:
            refusal = check_paper(paper)
            if refusal:
                raise forms.ValidationError(refusal)
        return paper


class AttendanceForm(forms.Form):
    """One choice per member serving on the meeting's day: present, apologies or not recorded."""

    def __init__(
        self, *args: Any, members: list[BoardMember], recorded: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            role = member.get_role_display() + ("" if member.voting else ", does not vote")
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                choices=[("", "Not recorded"), *AttendanceStatus.choices],
                required=False,
                initial=recorded.get(member.pk, ""),
                label=f"{member.person.full_name} ({role})",
            )

    def attendance(self) -> dict[BoardMember, str]:
        return {
            m: self.cleaned_data[f"member_{m.pk}"]
            for m in self.members
            if self.cleaned_data.get(f"member_{m.pk}")
        }


class DecisionForm(forms.Form):
    wording = forms.CharField(widget=forms.Textarea, label="What was decided")
    votes_for = forms.IntegerField(min_value=0, label="Votes for")
    votes_against = forms.IntegerField(min_value=0, label="Votes against")
    abstentions = forms.IntegerField(min_value=0, initial=0, label="Abstentions")


class ActionForm(_PeopleChoice):
    description = forms.CharField(max_length=300, label="Action")
    owner = forms.TypedChoiceField(coerce=int, label="Owner")
    due_date = forms.DateField(label="Due", widget=DateInput(), help_text="For example 2027-03-31")
    agenda_item = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Agenda item (optional)"
    )

    def __init__(self, *args: Any, people: list[Person], items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._people("owner", people, None)
        self.items = {i.pk: i for i in items}
        self.fields["agenda_item"].choices = [("", "None")] + [  # type: ignore[attr-defined]
            (i.pk, str(i)) for i in items
        ]

    def clean_owner(self) -> Person | None:
        return self._person("owner")

    def clean_agenda_item(self) -> Any:
        pk = self.cleaned_data.get("agenda_item")
        return None if pk is None else self.items[pk]


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        widget=forms.Textarea,
        label="Minutes",
        help_text="Recording the minutes marks the meeting as held.",
    )


class DeclarationForm(_PeopleChoice):
    board = forms.TypedChoiceField(coerce=int, label="Board")
    person = forms.TypedChoiceField(coerce=int, label="Who is declaring")
    interest_type = forms.ChoiceField(
        choices=InterestType.choices,
        label="Type of interest",
        help_text="As in NHS England's guidance on managing conflicts of interest",
    )
    interest = forms.CharField(widget=forms.Textarea, label="The interest")
    related_organisation = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="Organisation it concerns (optional)"
    )
    declared_on = forms.DateField(label="Declared on", widget=DateInput())

    def __init__(
        self,
        *args: Any,
        boards: list[Board],
        people: list[Person],
        organisations: list[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.boards = {b.pk: b for b in boards}
        self.fields["board"].choices = [  # type: ignore[attr-defined]
            (b.pk, f"{b.name} ({b.organisation.name})") for b in boards
        ]
        self._people("person", people, None)
        self.organisations = {o.pk: o for o in organisations}
        self.fields["related_organisation"].choices = [("", "None")] + [  # type: ignore[attr-defined]
            (o.pk, f"{o.name} ({o.kind_label})") for o in organisations
        ]

    def clean_board(self) -> Board:
        return self.boards[self.cleaned_data["board"]]

    def clean_person(self) -> Person | None:
        return self._person("person")

    def clean_related_organisation(self) -> Organisation | None:
        pk = self.cleaned_data.get("related_organisation")
        return None if pk is None else self.organisations[pk]
