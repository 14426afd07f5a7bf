"""A small chart of accounts in North's PCN N1, its practice P1, PCN N2 and South's PCN S1."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from openpcn.ledger import actions
from openpcn.ledger.models import Account

CHART = [
    # (organisation key, code, fund, kind, name)
    ("n1", "1000", "core", "asset", "Bank"),
    ("n1", "4000", "core", "income", "Core PCN funding"),
    ("n1", "4100", "arrs", "income", "ARRS reimbursement"),
    ("n1", "5100", "arrs", "expense", "ARRS salaries"),
    ("n1", "5200", "core", "expense", "Payments to practices"),
    ("p1", "1000", "core", "asset", "Bank"),
    ("p1", "4000", "core", "income", "Income from N1 PCN"),
    ("n2", "1000", "enhanced_access", "asset", "Bank"),
    ("n2", "4000", "enhanced_access", "income", "Enhanced Access"),
    ("s1", "1000", "core", "asset", "Bank"),
    ("s1", "4000", "core", "income", "Core PCN funding"),
]


@dataclass
class Chart:
    universe: object
    accounts: dict[tuple[str, str], Account] = field(default_factory=dict)

    def __getitem__(self, key: tuple[str, str]) -> Account:
        return self.accounts[key]


@pytest.fixture
def chart(universe):
    c = Chart(universe=universe)
    for org, code, fund, kind, name in CHART:
        c.accounts[(org, code)] = actions.open_account(
            by=None, organisation=universe.orgs[org], fund=fund, kind=kind, code=code, name=name
        )
    return c


@pytest.fixture
def verified_client(universe):
    """A fresh browser signed in with two-factor authentication, as admin roles must be."""
    from django.test import Client
    from django.urls import reverse
    from django_otp.oath import totp

    from openpcn.accounts.actions import enrol_totp_device
    from tests.universe import PASSWORD

    def sign_in(role: str) -> Client:
        client = Client()
        user = universe.users[role]
        device = enrol_totp_device(
            by=None, user=user, key_hex="3132333435363738393031323334353637383930"
        )
        client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
        response = client.post(
            reverse("accounts:two_factor_verify"), {"token": f"{totp(device.bin_key):06d}"}
        )
        assert response.status_code == 302
        return client

    return sign_in
