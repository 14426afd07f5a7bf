"""One demo login per role, each a real account with a membership in the demo alliance."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass

from openpcn.accounts import actions as account_actions
from openpcn.accounts.models import User
from openpcn.demo.registry import DemoRegistry

DEMO_PASSWORD = "openpcn-demo-2026"  # noqa: S105 - printed to the console; synthetic data only


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str
    totp_secret: str | None  # base32, for roles that must use two-factor authentication


def totp_key_hex(username: str, seed: int) -> str:
    """A deterministic authenticator key so the demo's admin codes can be reproduced."""
    return hashlib.sha256(f"openpcn-demo:{seed}:{username}".encode()).hexdigest()[:40]


def create_logins(demo: DemoRegistry, *, seed: int) -> list[DemoLogin]:
    first_network = demo.networks[0]
    first_practice = next(p for p in demo.practices if demo.network_of[p.pk] == first_network)
    director = demo.clinical_directors[0]
    clinician = next(
        person for person, org in demo.clinicians if org == first_practice and person != director
    )
    plan = [
        ("admin", "alliance_admin", demo.alliance, demo.chief_executive),
        ("analyst", "alliance_analyst", demo.alliance, demo.analyst),
        ("board", "board_member", demo.alliance, demo.clinical_directors[1]),
        ("pcn.manager", "pcn_manager", first_network, demo.pcn_managers[first_network.pk]),
        ("clinical.director", "clinical_director", first_network, director),
        (
            "practice.manager",
            "practice_manager",
            first_practice,
            demo.practice_managers[first_practice.pk],
        ),
        ("finance", "finance_officer", demo.alliance, demo.finance_lead),
        ("clinician", "clinician", first_practice, clinician),
    ]
    logins = []
    for username, role, organisation, person in plan:
        user = account_actions.create_user(
            by=None,
            username=username,
            password=DEMO_PASSWORD,
            first_name=person.given_name if person else "",
            last_name=person.family_name if person else "",
            email=person.email if person else "",
            person=person,
        )
        account_actions.grant_membership(
            by=None,
            user=user,
            organisation=organisation,
            role=role,
            start_date=dt.date(2024, 4, 1),
        )
        secret = None
        if user.requires_two_factor:
            key = totp_key_hex(username, seed)
            account_actions.enrol_totp_device(by=None, user=user, key_hex=key)
            secret = base64.b32encode(bytes.fromhex(key)).decode()
        logins.append(DemoLogin(username, role, organisation.name, secret))
    return logins


def existing_logins(*, seed: int) -> list[DemoLogin]:
    """The logins of an already-loaded demo, to print them again."""
    logins = []
    for user in User.objects.filter(memberships__organisation__is_synthetic=True).distinct():
        for membership in user.memberships.select_related("organisation"):
            secret = None
            if membership.role_obj.requires_two_factor:
                secret = base64.b32encode(bytes.fromhex(totp_key_hex(user.username, seed))).decode()
            logins.append(
                DemoLogin(user.username, membership.role, membership.organisation.name, secret)
            )
    return logins


def current_code(username: str) -> str:
    """The current TOTP code of a demo login (synthetic accounts only)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(
        user__username=username, user__person__is_synthetic=True, confirmed=True
    ).first()
    if device is None:
        raise LookupError(f"{username} is not a demo login with two-factor authentication")
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
