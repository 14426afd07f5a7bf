"""The forms for writing a policy, drafting a version, adopting it and searching the library."""

from __future__ import annotations

from typing import Any

from django import forms

from openpcn.core import uploads
from openpcn.organisations.models import Organisation, Person
from openpcn.policies.actions import Upload
from openpcn.policies.models import Audience, Category
from openpcn.workforce.models import JobRole

YES_NO = [("no", "No"), ("yes", "Yes")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _people(field: Any, people: list[Person], blank: str | None = None) -> dict[int, Person]:
    field.choices = ([("", blank)] if blank else []) + [(p.pk, p.full_name) for p in people]
    return {p.pk: p for p in people}


class _Text(forms.Form):
    """A version's words: written here (Markdown) or an uploaded PDF or Word document."""

    body = forms.CharField(
        required=False,
        widget=forms.Textarea,
        label="Text of the policy",
        help_text="Markdown: # for headings, - for lists, **bold**. Leave empty if you upload it.",
    )
    document = forms.FileField(
        required=False,
        label="Or upload it as a document",
        help_text="A PDF or Word (.docx) file of up to 10 MB.",
    )

    def upload(self) -> Upload | None:
        document = self.cleaned_data.get("document")
        if not document:
            return None
        return Upload(document.name, document.read())

    def clean_document(self) -> Any:
        document = self.cleaned_data.get("document")
        if document and document.size > uploads.MAX_BYTES:
            raise forms.ValidationError(f"{document.name} is over the 10 MB limit")
        return document


class PolicyForm(_Text):
    organisation = forms.TypedChoiceField(coerce=int, label="Written for")
    title = forms.CharField(max_length=200, label="Title")
    category = forms.ChoiceField(choices=Category.choices, label="Category")
    owner = forms.TypedChoiceField(coerce=int, label="Owner")
    approver = forms.TypedChoiceField(coerce=int, label="Approver")
    audience = forms.ChoiceField(choices=Audience.choices, label="Applies to")
    job_roles = forms.TypedMultipleChoiceField(
        coerce=int, required=False, label="Job roles (when it applies to chosen job roles)"
    )
    review_date = forms.DateField(widget=DateInput(), label="Review date")

    def __init__(
        self,
        *args: Any,
        organisations: list[Organisation],
        people: list[Person],
        with_organisation: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]  # type: ignore[attr-defined]
        self.people = _people(self.fields["owner"], people)
        _people(self.fields["approver"], people)
        self.roles = {r.pk: r for r in JobRole.objects.order_by("name")}
        self.fields["job_roles"].choices = [(r.pk, r.name) for r in self.roles.values()]  # type: ignore[attr-defined]
        if not with_organisation:
            for name in ("organisation", "title", "body", "document", "review_date"):
                del self.fields[name]

    def person(self, name: str) -> Person:
        return self.people[self.cleaned_data[name]]

    def chosen_roles(self) -> list[JobRole]:
        return [self.roles[pk] for pk in self.cleaned_data.get("job_roles") or []]


class VersionForm(_Text):
    changes = forms.CharField(
        widget=forms.Textarea, label="What changes in this version", max_length=2000
    )
    significant = forms.TypedChoiceField(
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        initial="no",
        label="Is the change significant?",
        help_text="A significant change asks every member of staff to acknowledge it again.",
    )
    review_date = forms.DateField(widget=DateInput(), label="Review date")


class AdoptForm(forms.Form):
    practice = forms.TypedChoiceField(coerce=int, label="Practice")
    local_variation = forms.CharField(
        required=False,
        widget=forms.Textarea,
        label="Local variation (optional)",
        help_text="Leave empty to adopt the policy as it is.",
    )
    variation_approved_by = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label="Who approved the local variation",
    )

    def __init__(
        self, *args: Any, practices: list[Organisation], people: list[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.practices = {p.pk: p for p in practices}
        self.fields["practice"].choices = [(p.pk, p.name) for p in practices]  # type: ignore[attr-defined]
        self.people = _people(self.fields["variation_approved_by"], people, "No local variation")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("local_variation") or "").strip() and not data.get("variation_approved_by"):
            self.add_error("variation_approved_by", "Say who approved the local variation")
        return data

    def approver(self) -> Person | None:
        pk = self.cleaned_data.get("variation_approved_by")
        return None if pk is None else self.people[pk]
