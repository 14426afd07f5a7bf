"""Forms for the registry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms


class JoinNetworkForm(forms.Form):
    network = forms.ModelChoiceField(queryset=None, label="PCN")  # type: ignore[arg-type]
    start_date = forms.DateField(
        label="From",
        initial=dt.date.today,
        help_text="The first day in the new PCN, for example 2026-04-01",
    )

    def __init__(self, *args: Any, networks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
