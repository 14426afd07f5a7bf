"""The journal form a finance officer posts with: a date, a description and up to LINES lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from openpcn.ledger.models import Account, AccountKind, Fund

LINES = 6


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _money(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        required=False, min_value=Decimal("0.01"), max_digits=14, decimal_places=2, label=label
    )


class JournalForm(forms.Form):
    date = forms.DateField(label="Date", widget=DateInput(), help_text="For example 2026-04-30")
    description = forms.CharField(max_length=255, label="Description")
    reference = forms.CharField(max_length=100, required=False, label="Reference (optional)")

    def __init__(self, *args: Any, accounts: list[Account], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.accounts = {a.pk: a for a in accounts}
        choices = [("", "–")] + [
            (a.pk, f"{a.organisation.name}: {a.code} {a.name}") for a in accounts
        ]
        for n in range(1, LINES + 1):
            self.fields[f"account_{n}"] = forms.TypedChoiceField(
                coerce=int,
                choices=choices,
                required=False,
                empty_value=None,
                label=f"Line {n}: account",
            )
            self.fields[f"debit_{n}"] = _money(f"Line {n}: debit, in pounds")
            self.fields[f"credit_{n}"] = _money(f"Line {n}: credit, in pounds")

    def line_numbers(self) -> range:
        return range(1, LINES + 1)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lines: list[tuple[Account, Decimal]] = []
        for n in self.line_numbers():
            account_id = cleaned.get(f"account_{n}")
            debit, credit = cleaned.get(f"debit_{n}"), cleaned.get(f"credit_{n}")
            if account_id is None:
                if debit or credit:
                    self.add_error(f"account_{n}", "Choose the account for this amount")
                continue
            if bool(debit) == bool(credit):
                self.add_error(f"debit_{n}", "Enter either a debit or a credit")
                continue
            amount = debit if debit else -(credit or Decimal("0"))
            lines.append((self.accounts[account_id], amount))
        if not lines and not self.errors:
            raise forms.ValidationError("Enter at least one line")
        cleaned["lines"] = lines
        return cleaned


class AccountForm(forms.Form):
    organisation = forms.TypedChoiceField(coerce=int, label="Organisation")
    fund = forms.ChoiceField(choices=Fund.choices, label="Fund or stream")
    kind = forms.ChoiceField(choices=AccountKind.choices, label="Kind of account")
    code = forms.CharField(
        max_length=40, label="Code", help_text="Unique in the organisation, for example 4100"
    )
    name = forms.CharField(max_length=200, label="Name")

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]  # type: ignore[attr-defined]
