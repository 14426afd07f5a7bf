"""Staff for the education tests: a practice nurse at P1 (the clinician login) and a pharmacist
employed by N1 with P2 as home practice, plus an event run by N1 next week."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from openpcn.education import actions
from openpcn.organisations.actions import add_person
from openpcn.workforce import actions as workforce
from openpcn.workforce.models import JobRole


def add_staff(universe, *, given, family, home, employer, role, email=None):
    person = add_person(
        by=None,
        organisation=home,
        given_name=given,
        family_name=family,
        email=email or f"{given.lower()}.{family.lower()}@example.nhs.uk",
    )
    staff = workforce.add_staff_member(by=None, person=person, home_practice=home)
    workforce.add_contract(
        by=None,
        staff=staff,
        employer=employer,
        job_role=JobRole.objects.get(code=role),
        hours_per_week=Decimal("30"),
        start_date=dt.date(2024, 1, 1),
        annual_salary=Decimal("36000"),
    )
    return staff


def new_event(organisation, *, by=None, days=7, capacity=10, **extra):
    starts = (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)
    values = dict(
        by=by,
        organisation=organisation,
        kind="plt",
        title="Asthma reviews in primary care",
        learning_outcomes="Use the asthma control test\nPlan a review",
        speakers="Dr Amara Shah",
        venue="Hub meeting room",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        cpd_hours=Decimal("2.5"),
        capacity=capacity,
    )
    values.update(extra)
    return actions.create_event(**values)


@pytest.fixture
def staffed(universe):
    nurse = add_staff(
        universe,
        given="Nia",
        family="Nurse",
        home=universe.p1,
        employer=universe.p1,
        role="practice-nurse",
    )
    universe.users["clinician"].person = nurse.person
    universe.users["clinician"].save()
    pharmacist = add_staff(
        universe,
        given="Pat",
        family="Pharm",
        home=universe.p2,
        employer=universe.n1,
        role="clinical-pharmacist",
    )
    universe.nurse, universe.pharmacist = nurse, pharmacist
    universe.event = new_event(universe.n1)
    return universe


@pytest.fixture
def make_staff():
    return add_staff


@pytest.fixture
def make_event():
    return new_event
