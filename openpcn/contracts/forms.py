"""Forms for the contracts register; the actions check what the forms cannot."""

from __future__ import annotations

from typing import Any

from django import forms

from openpcn.contracts.models import ContractKind, ObligationStatus
from openpcn.core.uploads import MAX_BYTES


def _choices(pairs: list[tuple[int, str]], blank: str | None = None) -> list[tuple[str, str]]:
    return ([("", blank)] if blank is not None else []) + [(str(k), v) for k, v in pairs]


class ContractForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of contract", choices=ContractKind.choices)
    title = forms.CharField(label="Title", max_length=200)
    reference = forms.CharField(label="Reference", max_length=100, required=False)
    holder = forms.ChoiceField(label="Holder", help_text="Who is accountable under it")
    holder_label = forms.CharField(
        label="Holder as named in the contract",
        max_length=200,
        required=False,
        help_text="For example: The partners of Ashgrove Medical Centre",
    )
    counterparty = forms.ChoiceField(
        label="Counterparty in the registry", required=False, help_text="Who the holder answers to"
    )
    counterparty_name = forms.CharField(
        label="Or a counterparty outside the registry",
        max_length=200,
        required=False,
        help_text="For example: NHS Synthetic ICB, or the landlord",
    )
    parent = forms.ChoiceField(
        label="Sub-contract of", required=False, help_text="Only for a sub-contract"
    )
    start_date = forms.DateField(label="Starts on", help_text="For example 2024-04-01")
    end_date = forms.DateField(
        label="Ends on", required=False, help_text="Leave empty if open-ended"
    )
    annual_value = forms.DecimalField(
        label="Value a year (£)", required=False, max_digits=14, decimal_places=2, min_value=0
    )
    notice_months = forms.IntegerField(label="Notice (months)", min_value=0, initial=0)
    renewal_date = forms.DateField(label="Renewal date", required=False)
    site = forms.ChoiceField(label="Premises (for a lease)", required=False)

    def __init__(
        self,
        *args: Any,
        holders: list[tuple[int, str]],
        counterparties: list[tuple[int, str]],
        parents: list[tuple[int, str]],
        sites: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holder"].choices = _choices(holders)  # type: ignore[attr-defined]
        self.fields["counterparty"].choices = _choices(counterparties, "None")  # type: ignore[attr-defined]
        self.fields["parent"].choices = _choices(parents, "Not a sub-contract")  # type: ignore[attr-defined]
        self.fields["site"].choices = _choices(sites, "None")  # type: ignore[attr-defined]


class ObligationForm(forms.Form):
    clause = forms.CharField(label="Clause", max_length=60, help_text="For example: Clause 7.2")
    description = forms.CharField(label="What must be delivered", max_length=300)
    due_date = forms.DateField(label="Due by", required=False)
    recurrence = forms.CharField(
        label="How often", max_length=100, required=False, help_text="For example: monthly"
    )
    evidence = forms.CharField(label="Evidence of delivery", required=False)


class DelegationForm(forms.Form):
    obligation = forms.ChoiceField(label="Obligation taken on")
    clause = forms.CharField(label="Clause of this sub-contract", max_length=60)
    in_whole = forms.TypedChoiceField(
        label="How much of it",
        choices=[("yes", "All of it"), ("no", "Part of it")],
        coerce=lambda v: v == "yes",
    )
    part = forms.CharField(label="Which part", max_length=300, required=False)

    def __init__(self, *args: Any, obligations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["obligation"].choices = _choices(obligations)  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=ObligationStatus.choices)
    evidence = forms.CharField(label="Evidence", required=False)


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Document", help_text=f"PDF, Word or Excel, up to {MAX_BYTES // 1_048_576} MB"
    )
    kind = forms.ChoiceField(
        label="What it is",
        choices=[
            ("contract", "The signed contract"),
            ("schedule", "A schedule"),
            ("variation", "A variation"),
            ("other", "Something else"),
        ],
    )
