"""Forms for managing users and their roles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from openpcn.accounts.models import User
from openpcn.accounts.roles import ROLE_CHOICES


class GrantMembershipForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), label="User")
    organisation = forms.ModelChoiceField(queryset=None, label="Organisation")  # type: ignore[arg-type]
    role = forms.ChoiceField(choices=ROLE_CHOICES, label="Role")
    start_date = forms.DateField(
        label="Start date", initial=dt.date.today, help_text="For example, 2026-04-01"
    )

    def __init__(self, *args: Any, users: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["organisation"].queryset = organisations


class NewUserForm(forms.Form):
    username = forms.CharField(max_length=150, label="Username")
    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")
    email = forms.EmailField(label="Email address")
    password = forms.CharField(
        widget=forms.PasswordInput,
        label="Temporary password",
        help_text="At least 12 characters, not a common password",
    )
    organisation = forms.ModelChoiceField(queryset=None, label="Organisation")  # type: ignore[arg-type]
    role = forms.ChoiceField(choices=ROLE_CHOICES, label="Role")

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError("That username is taken")
        return username
