"""Risk register test data: a few risks in the universe's North alliance and one in South."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from openpcn.governance import actions
from openpcn.governance.models import Risk


@dataclass
class Register:
    p1_staffing: Risk  # practice P1, current 4x4 = 16 extreme
    p1_fire: Risk  # practice P1, current 3x2 = 6 moderate, review overdue
    n1_arrs: Risk  # PCN N1, current 3x3 = 9 high
    p3_lease: Risk  # practice P3 (PCN N2), current 4x3 = 12 high, escalated to North
    north_ig: Risk  # the North alliance itself, current 2x1 = 2 low
    q1_hub: Risk  # practice Q1 in the South alliance, current 5x4 = 20 extreme


def add_risk(organisation, title, consequence, likelihood, **extra):  # type: ignore[no-untyped-def]
    return actions.record_risk(
        by=None,
        organisation=organisation,
        title=title,
        category=extra.pop("category", "operational"),
        consequence=consequence,
        likelihood=likelihood,
        target_consequence=extra.pop("target_consequence", 1),
        target_likelihood=extra.pop("target_likelihood", 1),
        review_date=extra.pop("review_date", dt.date.today() + dt.timedelta(days=30)),
        **extra,
    )


@pytest.fixture
def register(universe) -> Register:  # type: ignore[no-untyped-def]
    lease = add_risk(universe.p3, "Premises lease break clause", 4, 3, category="premises")
    lease = actions.escalate_risk(by=None, risk=lease, note="Board to decide on the lease")
    return Register(
        p1_staffing=add_risk(universe.p1, "GP partner retirements", 4, 4, category="workforce"),
        p1_fire=add_risk(
            universe.p1,
            "Fire risk assessment out of date",
            3,
            2,
            review_date=dt.date.today() - dt.timedelta(days=3),
        ),
        n1_arrs=add_risk(universe.n1, "ARRS underspend", 3, 3, category="financial"),
        p3_lease=lease,
        north_ig=add_risk(universe.north, "Data protection officer cover", 2, 1),
        q1_hub=add_risk(universe.q1, "Enhanced Access hub capacity", 5, 4),
    )


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
