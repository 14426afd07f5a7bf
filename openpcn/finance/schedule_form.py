"""The form for a version of a PCN's Schedule 4: payee, payment day, and a rule per stream, with
each practice's yearly amount for the streams paid in fixed amounts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from openpcn.finance.models import DistributionMethod, FundingStream

# A new schedule's starting point when the PCN has none yet: money for work done centrally
# (Enhanced Access hubs, leadership) is retained; the rest follows the practices' lists.
DEFAULT_METHODS = {
    "core": DistributionMethod.REGISTERED,
    "clinical-director": DistributionMethod.RETAINED,
    "leadership-management": DistributionMethod.RETAINED,
    "enhanced-access": DistributionMethod.RETAINED,
    "care-home-premium": DistributionMethod.REGISTERED,
    "capacity-access": DistributionMethod.REGISTERED,
    "arrs": DistributionMethod.EMPLOYER,
}


class ScheduleForm(forms.Form):
    valid_from = forms.DateField(
        label="Applies from", help_text="The first of a month, for example 2024-04-01"
    )
    agreed_on = forms.DateField(label="Agreed on", help_text="When the member practices signed it")
    nominated_payee = forms.TypedChoiceField(label="Nominated payee", coerce=int)
    payment_day = forms.IntegerField(
        label="Day of the month practices are paid", min_value=1, max_value=28, initial=15
    )
    reference = forms.CharField(label="Reference", max_length=200, required=False)
    holding_terms = forms.CharField(
        label="Payee's holding terms",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the payee holds for the PCN, and when it pays out",
    )

    def __init__(
        self,
        *args: Any,
        streams: list[FundingStream],
        payees: list[tuple[int, str]],
        practices: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.streams, self.practices = streams, practices
        self.fields["nominated_payee"].choices = payees  # type: ignore[attr-defined]
        for stream in streams:
            methods = [
                (value, label)
                for value, label in DistributionMethod.choices
                if stream.is_arrs or value != DistributionMethod.EMPLOYER
            ]
            self.fields[f"method_{stream.code}"] = forms.ChoiceField(
                label=stream.name, choices=methods
            )
            if stream.is_arrs:
                continue
            for pk, name in practices:
                self.fields[f"fixed_{stream.code}_{pk}"] = forms.DecimalField(
                    label=f"{name}, £ a year",
                    required=False,
                    min_value=Decimal("0"),
                    max_digits=12,
                    decimal_places=2,
                )

    def method_field(self, stream: FundingStream) -> forms.BoundField:
        return self[f"method_{stream.code}"]

    def fixed_fields(self, stream: FundingStream) -> list[forms.BoundField]:
        if stream.is_arrs:
            return []
        return [self[f"fixed_{stream.code}_{pk}"] for pk, _ in self.practices]

    def rules(self) -> dict[str, str]:
        return {s.code: self.cleaned_data[f"method_{s.code}"] for s in self.streams}

    def fixed(self) -> dict[str, dict[int, Decimal]]:
        chosen = self.rules()
        return {
            s.code: {
                pk: self.cleaned_data[f"fixed_{s.code}_{pk}"]
                for pk, _ in self.practices
                if self.cleaned_data.get(f"fixed_{s.code}_{pk}") is not None
            }
            for s in self.streams
            if chosen[s.code] == DistributionMethod.FIXED
        }
