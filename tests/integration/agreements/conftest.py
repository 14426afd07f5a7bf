"""Finance reference data for every test, and N1's people: a Clinical Director, partners at P1
and P2 who must sign, a salaried GP at P1 who must not, and a Schedule 4 naming P1 as payee."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

EFFECTIVE = dt.date(2024, 4, 1)


@pytest.fixture(autouse=True)
def _finance_reference(db):  # type: ignore[no-untyped-def]
    # A test that committed for real may have emptied the tables the migration seeded.
    from openpcn.finance.reference import ensure_reference_data
    from openpcn.workforce.reference import ensure_reference_data as ensure_roles

    ensure_roles()
    ensure_reference_data()


@dataclass
class N1People:
    director: object
    p1_partners: list[object]
    p2_partner: object
    salaried: object


@pytest.fixture
def n1_people(universe):  # type: ignore[no-untyped-def]
    from openpcn.finance.actions import agree_finance_schedule
    from openpcn.organisations import actions
    from openpcn.organisations.models import RoleTitle

    def person(org, given, family, title, since=dt.date(2019, 4, 1)):  # type: ignore[no-untyped-def]
        someone = actions.add_person(
            by=None, organisation=org, given_name=given, family_name=family, is_synthetic=True
        )
        actions.appoint(by=None, person=someone, organisation=org, title=title, start_date=since)
        return someone

    director = person(universe.p1, "Asha", "Director", RoleTitle.GP_PARTNER)
    actions.appoint(
        by=None,
        person=director,
        organisation=universe.n1,
        title=RoleTitle.CLINICAL_DIRECTOR,
        start_date=dt.date(2020, 4, 1),
    )
    second = person(universe.p1, "Ben", "Partner", RoleTitle.GP_PARTNER)
    p2_partner = person(universe.p2, "Cara", "Partner", RoleTitle.GP_PARTNER)
    salaried = person(universe.p1, "Dev", "Salaried", RoleTitle.SALARIED_GP)
    agree_finance_schedule(
        by=None,
        network=universe.n1,
        valid_from=EFFECTIVE,
        nominated_payee=universe.p1,
        agreed_on=dt.date(2024, 3, 20),
        rules={"core": "registered", "arrs": "employer"},
        payment_day=20,
        holding_terms="The payee pays out within 5 working days of receipt.",
    )
    return N1People(director, [director, second], p2_partner, salaried)
