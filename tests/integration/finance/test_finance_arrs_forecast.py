"""The ARRS forecast from workforce contracts: which contracts count, and the cap on real rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openpcn.finance import arrs
from openpcn.finance.entitlements import FinancialYear
from openpcn.organisations import actions as org_actions
from openpcn.workforce import actions as workforce_actions
from openpcn.workforce.models import JobRole

D = Decimal
Y2024 = FinancialYear(2024)


def add_arrs_contract(universe, employer, role="clinical-pharmacist", **kw):  # type: ignore[no-untyped-def]
    person = org_actions.add_person(
        by=None, organisation=employer, given_name="Ada", family_name=kw.pop("name", "Pharm")
    )
    staff = workforce_actions.add_staff_member(by=None, person=person, home_practice=universe.p1)
    values = dict(
        hours_per_week=D("30"),  # 0.8 WTE
        start_date=dt.date(2024, 10, 1),
        annual_salary=D("52000"),
        employer_ni=D("6500"),
        employer_pension=D("11500"),
        arrs_funded=True,
    )
    values.update(kw)
    return workforce_actions.add_contract(
        by=None, staff=staff, employer=employer, job_role=JobRole.objects.get(code=role), **values
    )


def _snapshots(universe) -> None:  # type: ignore[no-untyped-def]
    for practice, weighted in ((universe.p1, "1000.00"), (universe.p2, "1000.00")):
        org_actions.record_population_snapshot(
            by=None,
            practice=practice,
            date=dt.date(2024, 1, 1),
            registered=1000,
            weighted=D(weighted),
            adjusted=D(weighted),
        )


def test_arrs_pharmacist_0_8_wte_6_months_capped_from_the_database(universe) -> None:  # type: ignore[no-untyped-def]
    _snapshots(universe)
    add_arrs_contract(universe, universe.n1)
    result = arrs.network_forecast(universe.n1, Y2024)
    [person] = result.people
    assert person.contract.wte == D("0.80")
    assert person.total == D("0.8") * 6 / 12 * D("65838")
    assert person.actual_cost == D("34999.98")  # 70,000 / 12 = 5,833.33 a month, × 6
    assert result.entitlement == D("45788.00")  # weighted 2,000 × 22.894
    assert result.status == "unclaimed"


def test_arrs_counts_only_arrs_funded_contracts_of_the_pcn_and_its_practices(universe) -> None:  # type: ignore[no-untyped-def]
    add_arrs_contract(universe, universe.n1, name="Network")
    add_arrs_contract(universe, universe.p2, name="Practice")
    add_arrs_contract(universe, universe.n2, name="Other PCN")
    add_arrs_contract(universe, universe.n1, name="Not ARRS", arrs_funded=False)
    add_arrs_contract(
        universe,
        universe.n1,
        name="Ended",
        start_date=dt.date(2023, 4, 1),
        end_date=dt.date(2024, 4, 1),
    )
    names = sorted(c.person for c in arrs.network_contracts(universe.n1, Y2024))
    assert names == ["Ada Network", "Ada Practice"]


def test_arrs_overspend_warning(universe) -> None:  # type: ignore[no-untyped-def]
    _snapshots(universe)
    for name in ("One", "Two"):
        add_arrs_contract(universe, universe.n1, name=name, start_date=dt.date(2024, 4, 1))
    result = arrs.network_forecast(universe.n1, Y2024)
    assert result.total > result.entitlement  # type: ignore[operator]
    assert result.status == "overspent"
    assert "exceed" in (result.warning or "")
