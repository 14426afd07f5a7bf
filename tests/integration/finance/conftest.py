"""Finance reference data for every test, and a browser signed in with two-factor authentication."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _finance_reference(db):  # type: ignore[no-untyped-def]
    # A test that committed for real may have emptied the tables the migration seeded.
    from openpcn.finance.reference import ensure_reference_data
    from openpcn.workforce.reference import ensure_reference_data as ensure_roles

    ensure_roles()
    ensure_reference_data()


@pytest.fixture
def verified_client(universe):  # type: ignore[no-untyped-def]
    """A fresh browser signed in (with two-factor authentication, as admin roles must be)."""
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
