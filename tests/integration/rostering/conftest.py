"""A small rota world on top of the universe: sites, demand, staff with skills and sites."""

import datetime as dt
from decimal import Decimal

import pytest

from openpcn.organisations import actions as registry
from openpcn.rostering import actions as rota
from openpcn.rostering.models import EnhancedAccessHub
from openpcn.workforce import actions as workforce
from openpcn.workforce.models import JobRole, Skill

MONDAY = dt.date(2026, 11, 23)


@pytest.fixture
def rota_world(universe):
    """N1 PCN: P1's surgery needs 1 GP every weekday morning; three GPs can work there."""
    surgery = registry.add_site(by=None, organisation=universe.p1, name="P1 Surgery", kind="main")
    hub = registry.add_site(
        by=None, organisation=universe.n1, name="N1 Hub", kind="hub", offers_enhanced_access=True
    )
    EnhancedAccessHub.objects.create(network=universe.n1, site=hub)
    gp = Skill.objects.get(code="gp")
    for weekday in range(5):
        rota.set_demand(by=None, site=surgery, weekday=weekday, session="am", skill=gp, count=1)
    staff = []
    for name in ("Ada", "Bea", "Cal"):
        person = registry.add_person(
            by=None,
            organisation=universe.p1,
            given_name=name,
            family_name="Gp",
            email=f"{name.lower()}@example.org",
        )
        member = workforce.add_staff_member(by=None, person=person, home_practice=universe.p1)
        workforce.add_contract(
            by=None,
            staff=member,
            employer=universe.p1,
            job_role=JobRole.objects.get(code="salaried-gp"),
            hours_per_week=Decimal("12.5"),
            start_date=dt.date(2024, 1, 1),
            annual_salary=Decimal("27000"),
        )
        workforce.set_sites(by=None, staff=member, sites=[surgery, hub])
        staff.append(member)
    universe.surgery, universe.hub, universe.staff, universe.gp = surgery, hub, staff, gp
    return universe
