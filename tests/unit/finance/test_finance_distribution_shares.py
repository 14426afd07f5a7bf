"""Sharing a stream among practices on plain data: exact pennies, and each method by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from openpcn.finance.distribution import (
    Member,
    Rule,
    StreamIncome,
    arrs_received,
    plan_month,
    share_stream,
    split_by_weights,
)

D = Decimal
A, B, C = (
    Member(1, "A Surgery", 5000, D("5200")),
    Member(2, "B Surgery", 3000, D("2900")),
    Member(3, "C Surgery", 2000, None),
)
PCN = 99


def test_split_by_largest_remainder_by_hand() -> None:
    # £100 in thirds: 33.33 each and the odd penny to the first
    assert split_by_weights(D("100.00"), [(1, D(1)), (2, D(1)), (3, D(1))]) == {
        1: D("33.34"),
        2: D("33.33"),
        3: D("33.33"),
    }
    # £10 by 1:2 = 3.333… and 6.666…: the larger remainder (6.666…) gets the penny
    assert split_by_weights(D("10.00"), [(1, D(1)), (2, D(2))]) == {1: D("3.33"), 2: D("6.67")}


@given(
    pennies=st.integers(min_value=0, max_value=10**11),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=60).filter(
        lambda w: sum(w) > 0
    ),
)
def test_shares_add_up_exactly_and_are_within_a_penny(pennies: int, weights: list[int]) -> None:
    amount = D(pennies) / 100
    keyed = [(i, D(w)) for i, w in enumerate(weights)]
    shares = split_by_weights(amount, keyed)
    assert sum(shares.values(), D("0")) == amount
    total = sum(weights)
    for key, weight in keyed:
        exact = amount * weight / total
        assert abs(shares[key] - exact) < D("0.01")
        assert shares[key] >= 0


def test_each_method_by_hand() -> None:
    income = StreamIncome("core", "Core PCN funding", D("1000.00"))
    members = [A, B, C]

    def share(method: str, **fixed: Decimal):  # type: ignore[no-untyped-def]
        rule = Rule("core", method, {int(k[1:]): v for k, v in fixed.items()})
        return share_stream(income, rule, members, 0, network_key=PCN)

    assert share("registered").payments == {1: D("500.00"), 2: D("300.00"), 3: D("200.00")}
    weighted = share("weighted")  # C has no weighted population: 52:29 between A and B
    assert weighted.payments == {1: D("641.98"), 2: D("358.02")}
    assert any("C Surgery" in n for n in weighted.notes)
    assert share("equal").payments == {1: D("333.34"), 2: D("333.33"), 3: D("333.33")}
    retained = share("retained")
    assert retained.payments == {} and retained.retained == D("1000.00")
    fixed = share("fixed", k1=D("1200"), k2=D("2400"))  # twelfths: 100 and 200
    assert fixed.payments == {1: D("100.00"), 2: D("200.00")} and fixed.retained == D("700.00")
    too_much = share("fixed", k1=D("24000"))
    assert too_much.problems and "more than the money received" in too_much.problems[0]
    unruled = share_stream(income, None, members, 0, network_key=PCN)
    assert unruled.retained == D("1000.00") and unruled.notes


def test_arrs_paid_to_employers_and_scaled_when_over_the_sum() -> None:
    claims = {1: D("300.00"), PCN: D("200.00"), 7: D("100.00")}
    rule = Rule("arrs", "employer")
    full = share_stream(
        StreamIncome("arrs", "ARRS", D("600.00"), claims), rule, [A], 0, network_key=PCN
    )
    assert full.payments == {1: D("300.00"), 7: D("100.00")} and full.retained == D("200.00")
    scaled = share_stream(
        StreamIncome("arrs", "ARRS", D("300.00"), claims), rule, [A], 0, network_key=PCN
    )
    assert scaled.payments == {1: D("150.00"), 7: D("50.00")} and scaled.retained == D("100.00")


def test_arrs_received_stops_at_the_years_sum() -> None:
    claims = [D("400"), D("400"), D("400")]
    assert arrs_received(claims, D("1000")) == [D("400"), D("400"), D("200")]
    assert arrs_received(claims, None) == claims


def test_a_month_without_a_schedule_is_not_payable() -> None:
    month = plan_month(
        dt.date(2024, 4, 1),
        0,
        [StreamIncome("core", "Core", D("10"))],
        None,
        [A],
        network_key=PCN,
        schedule_key=None,
    )
    assert not month.payable and month.retained == D("10")
