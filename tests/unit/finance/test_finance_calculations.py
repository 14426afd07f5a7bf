"""Entitlement and ARRS arithmetic on plain data, checked against hand calculations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openpcn.finance import arrs
from openpcn.finance.entitlements import (
    FinancialYear,
    Rate,
    monthly_schedule,
    pennies,
    stream_entitlements,
)

D = Decimal
Y2024 = FinancialYear(2024)


def test_financial_year_dates_and_label() -> None:
    assert Y2024.start == dt.date(2024, 4, 1)
    assert Y2024.end == dt.date(2025, 3, 31)
    assert Y2024.population_date == dt.date(2024, 1, 1)
    assert Y2024.label == "2024/25"
    assert Y2024.months[0] == dt.date(2024, 4, 1)
    assert Y2024.months[-1] == dt.date(2025, 3, 1)
    assert FinancialYear.containing(dt.date(2025, 3, 31)) == Y2024
    assert FinancialYear.containing(dt.date(2025, 4, 1)) == FinancialYear(2025)


def test_entitlement_enhanced_access_2024_matches_issue() -> None:
    rates = [Rate("enhanced-access", "Enhanced Access", "adjusted", D("7.674"))]
    [ea] = stream_entitlements(rates, {"adjusted": D("50000")})
    assert ea.annual == D("383700.00")


def test_entitlement_core_2024_adds_registered_and_adjusted_parts() -> None:
    rates = [
        Rate("core", "Core", "registered", D("2.218")),
        Rate("core", "Core", "adjusted", D("0.698")),
    ]
    [core] = stream_entitlements(rates, {"registered": D("30000"), "adjusted": D("29500.50")})
    # 30,000 × 2.218 = 66,540.00; 29,500.50 × 0.698 = 20,591.349 -> 20,591.35
    assert [c.amount for c in core.components] == [D("66540.00"), D("20591.35")]
    assert core.annual == D("87131.35")


def test_entitlement_missing_basis_is_not_counted() -> None:
    rates = [Rate("care-home-premium", "Care home premium", "beds", D("120"))]
    [premium] = stream_entitlements(rates, {"beds": None})
    assert not premium.complete
    assert premium.annual == D("0")


@pytest.mark.parametrize("annual", ["383700.00", "87131.35", "0.05", "12345.67", "0"])
def test_monthly_schedule_sums_exactly(annual: str) -> None:
    months = monthly_schedule(D(annual))
    assert len(months) == 12
    assert sum(months) == D(annual)
    assert max(months) - min(months) <= D("0.01")


def test_monthly_schedule_odd_pennies_go_to_the_first_months() -> None:
    # 87,131.35 = 8,713,135p; / 12 = 726,094 r 7: April-October get 7,260.95, the rest 7,260.94
    months = monthly_schedule(D("87131.35"))
    assert months[:7] == [D("7260.95")] * 7
    assert months[7:] == [D("7260.94")] * 5


def test_pennies_round_half_up() -> None:
    assert pennies(D("0.125")) == D("0.13")
    assert pennies(D("2.675")) == D("2.68")


def _pharmacist(**kw: object) -> arrs.ArrsContract:
    values: dict[str, object] = dict(
        key=1,
        person="A Pharmacist",
        role_code="clinical-pharmacist",
        role_name="Clinical pharmacist",
        employer="N1 PCN",
        wte=D("0.8"),
        start=dt.date(2024, 10, 1),
        end=None,
        annual_cost=D("70000"),
    )
    values.update(kw)
    return arrs.ArrsContract(**values)  # type: ignore[arg-type]


MAXIMA = [
    arrs.RoleMaximum("clinical-pharmacist", dt.date(2022, 10, 1), dt.date(2024, 10, 1), D("59312")),
    arrs.RoleMaximum("clinical-pharmacist", dt.date(2024, 10, 1), dt.date(2025, 4, 1), D("65838")),
]


def test_arrs_pharmacist_0_8_wte_for_6_months_is_capped() -> None:
    claims = arrs.person_claims(_pharmacist(), Y2024, MAXIMA)
    assert len(claims.months) == 6
    assert claims.total == D("0.8") * D("6") / D("12") * D("65838")  # 26,335.20
    assert claims.total == D("26335.20")
    assert claims.capped


def test_arrs_below_cap_claims_actual_cost() -> None:
    claims = arrs.person_claims(_pharmacist(annual_cost=D("48000")), Y2024, MAXIMA)
    assert [m.claim for m in claims.months] == [D("4000.00")] * 6
    assert not claims.capped


def test_arrs_part_month_is_pro_rata_by_days() -> None:
    # 16 to 30 April 2024 = 15 of 30 days; cap 59,312 × 1.0 / 12 × 15/30 = 2,471.33
    contract = _pharmacist(
        wte=D("1.00"), start=dt.date(2024, 4, 16), end=dt.date(2024, 5, 1), annual_cost=D("80000")
    )
    [april] = arrs.person_claims(contract, Y2024, MAXIMA).months
    assert (april.days, april.days_in_month) == (15, 30)
    assert april.actual_cost == D("3333.33")
    assert april.maximum == D("2471.33")
    assert april.claim == D("2471.33")


def test_arrs_cap_changes_with_the_maximum_in_october() -> None:
    contract = _pharmacist(wte=D("1.00"), start=dt.date(2024, 4, 1), annual_cost=D("90000"))
    claims = arrs.person_claims(contract, Y2024, MAXIMA)
    assert claims.total == pennies(D("59312") / 12) * 6 + pennies(D("65838") / 12) * 6


def test_arrs_role_without_maximum_is_claimed_at_cost_and_flagged() -> None:
    contract = _pharmacist(role_code="care-coordinator", annual_cost=D("30000"))
    claims = arrs.person_claims(contract, Y2024, MAXIMA)
    assert claims.total == D("15000.00")
    assert claims.uncapped_months == 6


def test_arrs_forecast_warns_when_money_would_go_unclaimed() -> None:
    result = arrs.forecast(
        year=Y2024, entitlement=D("100000"), contracts=[_pharmacist()], maxima=MAXIMA
    )
    assert result.total == D("26335.20")
    assert result.status == "unclaimed"
    assert "£73,664.80" in (result.warning or "")


def test_arrs_forecast_warns_when_overspent() -> None:
    result = arrs.forecast(
        year=Y2024, entitlement=D("20000"), contracts=[_pharmacist()], maxima=MAXIMA
    )
    assert result.status == "overspent"
    assert "£6,335.20" in (result.warning or "")


def test_arrs_forecast_within_threshold_is_on_track() -> None:
    result = arrs.forecast(
        year=Y2024, entitlement=D("27000"), contracts=[_pharmacist()], maxima=MAXIMA
    )
    assert result.status == "on track"
    assert result.warning is None


def test_arrs_claim_csv_has_a_row_per_person_for_the_month() -> None:
    result = arrs.forecast(
        year=Y2024, entitlement=D("27000"), contracts=[_pharmacist()], maxima=MAXIMA
    )
    text = arrs.claim_csv(result, dt.date(2024, 11, 1))
    lines = text.strip().splitlines()
    assert len(lines) == 2
    assert "A Pharmacist" in lines[1] and "4389.20" in lines[1] and "capped" in lines[1]
    assert len(arrs.claim_csv(result, dt.date(2024, 5, 1)).strip().splitlines()) == 1
