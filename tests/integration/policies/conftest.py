"""Policy test data: North's chaperone policy published, and staff at P1 with job roles.

Olu Owen (an N1 GP partner) owns the policies and Ada Ames (P1's practice manager) approves
local variations. The clinician user is Cal Cole, a salaried GP at P1; Nia Noor is a social
prescribing link worker (non-clinical) at P1. The policy applies to all staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from openpcn.organisations import actions as registry
from openpcn.organisations.models import Organisation, Person
from openpcn.policies import actions
from openpcn.policies.models import PolicyVersion
from openpcn.workforce import actions as workforce
from openpcn.workforce.models import JobRole, StaffMember

CHAPERONE = """# Chaperone policy

## Purpose
Every patient may ask for a chaperone at any consultation.

## Who may chaperone
- A trained clinician
- A trained member of staff
"""


@dataclass
class PolicySetUp:
    universe: object
    owner: Person
    variation_approver: Person
    cal: StaffMember  # the clinician user's own staff record: salaried GP at P1
    nia: StaffMember  # social prescribing link worker at P1, non-clinical
    chaperone: PolicyVersion  # version 1, published by North


def appointed(organisation: Organisation, given: str, family: str, title: str) -> Person:
    person = registry.add_person(
        by=None, organisation=organisation, given_name=given, family_name=family
    )
    registry.appoint(
        by=None,
        person=person,
        organisation=organisation,
        title=title,
        start_date=dt.date(2024, 4, 1),
    )
    return person


def staff_at(practice: Organisation, person: Person, role_code: str) -> StaffMember:
    staff = workforce.add_staff_member(by=None, person=person, home_practice=practice)
    workforce.add_contract(
        by=None,
        staff=staff,
        employer=practice,
        job_role=JobRole.objects.get(code=role_code),
        hours_per_week=Decimal("30"),
        start_date=dt.date(2024, 4, 1),
        annual_salary=Decimal("60000"),
    )
    return staff


def published(version: PolicyVersion) -> PolicyVersion:
    actions.approve_version(by=None, version=version)
    return actions.publish_version(by=None, version=version)


@pytest.fixture(autouse=True)
def _documents_in_a_temporary_folder(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def policies(universe) -> PolicySetUp:  # type: ignore[no-untyped-def]
    owner = appointed(universe.n1, "Olu", "Owen", "gp_partner")
    approver = appointed(universe.p1, "Ada", "Ames", "practice_manager")
    cal_person = appointed(universe.p1, "Cal", "Cole", "salaried_gp")
    clinician = universe.users["clinician"]
    clinician.person = cal_person
    clinician.save(update_fields=["person"])
    nia_person = appointed(universe.p1, "Nia", "Noor", "social_prescriber")
    draft = actions.create_policy(
        by=None,
        organisation=universe.north,
        title="Chaperone policy",
        category="clinical",
        owner=owner,
        approver=owner,
        review_date=dt.date.today() + dt.timedelta(days=365),
        body=CHAPERONE,
    )
    return PolicySetUp(
        universe=universe,
        owner=owner,
        variation_approver=approver,
        cal=staff_at(universe.p1, cal_person, "salaried-gp"),
        nia=staff_at(universe.p1, nia_person, "social-prescriber"),
        chaperone=published(draft),
    )
