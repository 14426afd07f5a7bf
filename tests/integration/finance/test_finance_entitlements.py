"""A PCN's entitlements from the seeded rates and its practices' snapshots, by hand calculation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openpcn.finance.entitlements import FinancialYear, network_entitlement
from openpcn.finance.models import CareHomeBeds, FundingRate
from openpcn.organisations import actions

D = Decimal
Y2023, Y2024 = FinancialYear(2023), FinancialYear(2024)


def _snapshot(practice, date, registered, weighted, adjusted):  # type: ignore[no-untyped-def]
    actions.record_population_snapshot(
        by=None,
        practice=practice,
        date=date,
        registered=registered,
        weighted=D(weighted),
        adjusted=D(adjusted),
    )


def _populate(universe) -> None:  # type: ignore[no-untyped-def]
    # N1 = P1 + P2. For 2024/25 the 1 January 2024 snapshot counts; later ones do not.
    _snapshot(universe.p1, dt.date(2024, 1, 1), 30000, "31000.00", "30000.00")
    _snapshot(universe.p2, dt.date(2024, 1, 1), 20000, "19000.00", "20000.00")
    _snapshot(universe.p1, dt.date(2024, 1, 2), 99999, "99999.00", "99999.00")
    # For 2023/24 there is no 1 January 2023 snapshot: the latest before it is used.
    _snapshot(universe.p1, dt.date(2022, 10, 1), 10000, "10500.00", "10200.00")
    _snapshot(universe.p1, dt.date(2021, 10, 1), 1, "1.00", "1.00")
    _snapshot(universe.p2, dt.date(2023, 1, 1), 8000, "7600.00", "7800.00")


def test_entitlement_2024_enhanced_access_for_50000_adjusted(universe) -> None:  # type: ignore[no-untyped-def]
    _populate(universe)
    result = network_entitlement(universe.n1, Y2024)
    assert result.units["adjusted"] == D("50000.00")
    ea = result.stream("enhanced-access")
    assert ea is not None and ea.annual == D("383700.00")  # £7.674 × 50,000


def test_entitlement_2024_streams_by_hand(universe) -> None:  # type: ignore[no-untyped-def]
    _populate(universe)
    result = network_entitlement(universe.n1, Y2024)
    annual = {s.code: s.annual for s in result.streams}
    # Core: 50,000 × 2.218 + 50,000 × 0.698 = 110,900 + 34,900
    assert annual["core"] == D("145800.00")
    # ARRS: weighted 50,000 × 22.894
    assert annual["arrs"] == D("1144700.00")
    # Capacity and access: 50,000 × 3.248
    assert annual["capacity-access"] == D("162400.00")
    # No 2024/25 rates for the streams merged into Core
    assert "clinical-director" not in annual and "leadership-management" not in annual
    # Care home beds not recorded: counted as nothing, with a warning
    assert annual["care-home-premium"] == D("0")
    assert any("care home beds" in w for w in result.warnings)


def test_entitlement_2023_uses_latest_snapshot_before_1_january(universe) -> None:  # type: ignore[no-untyped-def]
    _populate(universe)
    result = network_entitlement(universe.n1, Y2023)
    p1 = next(p for p in result.practices if p.practice.pk == universe.p1.pk)
    assert p1.snapshot_date == dt.date(2022, 10, 1)
    assert result.units["registered"] == D("18000")
    annual = {s.code: s.annual for s in result.streams}
    assert annual["core"] == D("27000.00")  # 18,000 × 1.50
    assert annual["clinical-director"] == D("13133.34")  # 18,000 × 0.72963 = 13,133.34
    assert annual["leadership-management"] == D("12312.00")  # 18,000 × 0.684
    assert annual["enhanced-access"] == D("136404.00")  # 18,000 × 7.578
    # CASP 18,000 × 2.765 = 49,770 + CAIP 18,000 × 1.185 = 21,330
    assert annual["capacity-access"] == D("71100.00")
    assert annual["arrs"] == D("410345.10")  # weighted 18,100 × 22.671


def test_entitlement_care_home_beds(universe) -> None:  # type: ignore[no-untyped-def]
    _populate(universe)
    CareHomeBeds.objects.create(network=universe.n1, year=2024, beds=85)
    result = network_entitlement(universe.n1, Y2024)
    premium = result.stream("care-home-premium")
    assert premium is not None and premium.annual == D("10200.00")  # 85 × £120
    assert premium.monthly == [D("850.00")] * 12


def test_entitlement_practice_moving_pcn_counts_where_it_was_on_1_april(universe) -> None:  # type: ignore[no-untyped-def]
    _populate(universe)
    actions.join_network(
        by=None, practice=universe.p2, network=universe.n2, start_date=dt.date(2024, 6, 1)
    )
    _snapshot(universe.p3, dt.date(2024, 1, 1), 5000, "5000.00", "5000.00")
    # 2024/25: P2 was in N1 on 1 April 2024
    assert network_entitlement(universe.n1, Y2024).units["adjusted"] == D("50000.00")
    assert network_entitlement(universe.n2, Y2024).units["adjusted"] == D("5000.00")
    # 2025/26: P2 counts in N2 (with its latest snapshot before 1 January 2025)
    _snapshot(universe.p2, dt.date(2025, 1, 1), 21000, "20000.00", "21000.00")
    n2 = network_entitlement(universe.n2, FinancialYear(2025))
    assert [p.practice.pk for p in n2.practices] == [universe.p2.pk, universe.p3.pk]
    assert n2.units["adjusted"] == D("26000.00")


def test_entitlement_schedule_sums_exactly_to_the_year(universe) -> None:  # type: ignore[no-untyped-def]
    _populate(universe)
    result = network_entitlement(universe.n1, Y2023)
    months = [amount for _, amount in result.schedule]
    assert len(months) == 12 and sum(months) == result.total
    assert result.schedule[0][0] == dt.date(2023, 4, 1)


def test_entitlement_without_rates_or_snapshots_warns(universe) -> None:  # type: ignore[no-untyped-def]
    result = network_entitlement(universe.n1, FinancialYear(2030))
    assert result.streams == []
    assert any("No funding rates" in w for w in result.warnings)
    early = network_entitlement(universe.n1, FinancialYear(2020))
    assert any("no population snapshot" in w for w in early.warnings)


def test_entitlement_rates_come_from_the_table(universe) -> None:  # type: ignore[no-untyped-def]
    _populate(universe)
    FundingRate.objects.filter(stream__code="enhanced-access", valid_from=Y2024.start).update(
        rate=D("8")
    )
    ea = network_entitlement(universe.n1, Y2024).stream("enhanced-access")
    assert ea is not None and ea.annual == D("400000.00")
