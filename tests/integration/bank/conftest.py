"""A bank world on the universe: a GP in each pool for P1's sessions, each with a login."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from openpcn.accounts import actions as accounts
from openpcn.bank import actions as bank
from openpcn.organisations import actions as registry
from openpcn.workforce import actions as workforce
from openpcn.workforce.models import JobRole, Skill
from tests.universe import PASSWORD, START

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def claim_by_token(token: str, request_id: int, key: str):
    """An API claim from a fresh client, as a phone sends it (no session cookie)."""
    return Client().post(
        f"/api/v1/offers/{request_id}/claim",
        data={"idempotency_key": key},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def session(days: int, hour: int = 9, hours: int = 4) -> tuple[dt.datetime, dt.datetime]:
    start = NOW + dt.timedelta(days=days, hours=hour - 9)
    return start, start + dt.timedelta(hours=hours)


@pytest.fixture
def bank_world(universe):
    u = universe
    u.gp = Skill.objects.get(code="gp")
    u.surgery = registry.add_site(by=None, organisation=u.p1, name="P1 Surgery", kind="main")
    salaried = JobRole.objects.get(code="salaried-gp")
    u.claimers = {}
    for key, home, employer in (
        ("own", u.p1, u.p1),
        ("pcn", u.p2, u.p2),
        ("alliance", u.p3, u.north),
        ("locum", None, None),
    ):
        person = registry.add_person(
            by=None,
            organisation=u.p1,
            given_name=key.title(),
            family_name="Doctor",
            email=f"{key}@example.org",
        )
        staff = workforce.add_staff_member(by=None, person=person, home_practice=home)
        if employer is not None:
            workforce.add_contract(
                by=None,
                staff=staff,
                employer=employer,
                job_role=salaried,
                hours_per_week=Decimal("20"),
                start_date=START,
                annual_salary=Decimal("40000"),
            )
        else:
            workforce.set_skills(by=None, staff=staff, skills=[u.gp])
            member = bank.register_bank_member(
                by=None, staff=staff, alliance=u.north, joined_on=START
            )
            for kind in ("registration", "indemnity", "dbs"):
                bank.record_compliance_document(
                    by=None,
                    member=member,
                    kind=kind,
                    reference="REF",
                    expires_on=dt.date(2027, 6, 30),
                )
            u.locum_member = member
        user = accounts.create_user(by=None, username=f"gp_{key}", password=PASSWORD, person=person)
        accounts.grant_membership(
            by=None, user=user, organisation=home or u.north, role="clinician", start_date=START
        )
        u.claimers[key] = (staff, user)
    return u


@pytest.fixture
def post(bank_world):
    def post_request(days=3, hour=9, hours=4, rate="320.00", posted=NOW):
        start, end = session(days, hour, hours)
        return bank.post_cover_request(
            by=None,
            practice=bank_world.p1,
            site=bank_world.surgery,
            starts_at=start,
            ends_at=end,
            skill=bank_world.gp,
            rate=Decimal(rate),
            now=posted,
        )

    return post_request


@pytest.fixture(autouse=True)
def _frozen_now(monkeypatch):
    # Claims compare with "now"; the tests fix it so escalation timings are exact.
    monkeypatch.setattr(timezone, "now", lambda: NOW)
