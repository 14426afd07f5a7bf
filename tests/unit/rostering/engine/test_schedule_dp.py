"""The dynamic-programming pricer against exhaustive search and against CP-SAT's pricer.

At any cover prices the cheapest schedule it finds must be the true cheapest one (every row the
independent scorer accepts, tried in turn), every schedule it returns must keep the person's
rules, and its own cost must be the scorer's.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rostering_tiny import tiny_instances

from openpcn.rostering.engine.columns import DynamicPricer, StaffPricer, pricer_for
from openpcn.rostering.engine.curtois.instance import CurtoisInstance, parse_instance
from openpcn.rostering.engine.curtois.mapping import to_rota_problem
from openpcn.rostering.engine.curtois.scorer import score_roster
from openpcn.rostering.engine.problem import RotaProblem
from openpcn.rostering.engine.schedule_dp import Cell


def alone(instance: CurtoisInstance, employee_id: str) -> CurtoisInstance:
    """One employee with their days off and requests, and no cover: the scorer gives own cost."""
    return dataclasses.replace(
        instance,
        employees=tuple(e for e in instance.employees if e.id == employee_id),
        days_off=tuple(d for d in instance.days_off if d[0] == employee_id),
        shift_on=tuple(r for r in instance.shift_on if r.employee == employee_id),
        shift_off=tuple(r for r in instance.shift_off if r.employee == employee_id),
        cover=(),
    )


def random_prices(problem: RotaProblem, seed: int) -> dict[Cell, float]:
    rng = random.Random(seed)
    return {
        (d, s): rng.choice([0.0, rng.uniform(-20, 150)])
        for d in range(len(problem.days))
        for s in range(len(problem.shift_types))
    }


def as_row(instance: CurtoisInstance, cells: frozenset[Cell]) -> list[str]:
    row = [""] * instance.horizon
    for d, s in cells:
        row[d] = instance.shifts[s].id
    return row


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instances(), st.integers(0, 10_000))
def test_cheapest_schedule_matches_exhaustive_search(instance: CurtoisInstance, seed: int) -> None:
    problem = to_rota_problem(instance)
    prices = random_prices(problem, seed)
    shift_of = {shift.id: s for s, shift in enumerate(instance.shifts)}
    for e, employee in enumerate(instance.employees):
        pricer = pricer_for(problem, e)
        assert isinstance(pricer, DynamicPricer)
        single = alone(instance, employee.id)
        best = None
        options = ["", *shift_of]
        for row in itertools.product(options, repeat=instance.horizon):
            score = score_roster(single, {employee.id: list(row)})
            if score.feasible:
                worth = sum(prices[(d, shift_of[x])] for d, x in enumerate(row) if x)
                value = score.objective - worth
                best = value if best is None else min(best, value)
        found, cheapest, proved, _ = pricer.price(prices, 1.0, 0, True)
        if best is None:
            assert found == [] and not proved
            continue
        assert proved
        assert cheapest == pytest.approx(best, abs=1e-6)
        for col in found:
            score = score_roster(single, {employee.id: as_row(instance, col.cells)})
            assert score.feasible, score.violations
            assert col.cost == score.objective
            assert pricer.cost_of(col.cells) == col
        assert found[-1].cost - sum(prices[c] for c in found[-1].cells) == pytest.approx(best)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instances(), st.integers(0, 10_000))
def test_minimum_runs_at_the_edges_agree_with_cp_sat(instance: CurtoisInstance, seed: int) -> None:
    """With minimum runs applied at the period's edges too, the two pricers still agree."""
    problem = dataclasses.replace(to_rota_problem(instance), min_runs_at_edges=True)
    prices = random_prices(problem, seed)
    for e in range(len(problem.staff)):
        dp, cp = pricer_for(problem, e), StaffPricer(problem, e)
        found, cheapest, proved, _ = dp.price(prices, 1.0, 0, True)
        expected, reference, cp_proved, _ = cp.price(prices, 5.0, 0, True)
        if not expected:
            assert found == []
            continue
        assert cp_proved and proved
        # CP-SAT prices to a thousandth of a unit per cell.
        assert cheapest == pytest.approx(reference, abs=len(dp.cells) / 1000)
        for col in found:
            assert cp.cost_of(col.cells) == col


def test_a_rota_that_breaks_the_rules_has_no_cost() -> None:
    instance = parse_instance(
        "\n".join(
            [
                "SECTION_HORIZON",
                "7",
                "",
                "SECTION_SHIFTS",
                "D,480,",
                "",
                "SECTION_STAFF",
                "A,D=3,3360,960,3,2,2,1",
                "",
                "SECTION_COVER",
                "0,D,1,100,1",
            ]
        ),
        name="rules",
    )
    pricer = pricer_for(to_rota_problem(instance), 0)
    assert pricer.cost_of(frozenset({(1, 0), (2, 0)})) is not None
    assert (
        pricer.cost_of(frozenset({(1, 0)})) is None
    )  # a run of one day (min 2), and too few minutes
    assert pricer.cost_of(frozenset({(1, 0), (2, 0), (3, 0), (4, 0)})) is None  # four D (max 3)
    assert (
        pricer.cost_of(frozenset({(1, 0), (2, 0), (4, 0), (5, 0)})) is None
    )  # one day off (min 2)


def test_counts_join_the_state_only_when_a_maximum_is_broken() -> None:
    instance = parse_instance(
        "\n".join(
            [
                "SECTION_HORIZON",
                "14",
                "",
                "SECTION_SHIFTS",
                "D,480,",
                "N,480,D",
                "",
                "SECTION_STAFF",
                "A,D=14|N=2,6720,0,5,1,1,2",
                "",
                "SECTION_COVER",
                "0,D,1,100,1",
            ]
        ),
        name="counts",
    )
    problem = to_rota_problem(instance)
    pricer = pricer_for(problem, 0)
    assert isinstance(pricer, DynamicPricer)
    nights = {(d, 1): 50.0 for d in range(14)}
    found, _, proved, _ = pricer.price(nights, 1.0, 0, True)
    assert proved and pricer.dp.counted == (1,)
    assert sum(1 for _, s in found[-1].cells if s == 1) == 2  # nights capped at the maximum
    days = {(d, 0): 50.0 for d in range(14)}
    pricer.price(days, 1.0, 0, True)
    assert pricer.dp.counted == (1,)  # D's maximum cannot bind in 14 days: never counted


@pytest.mark.engine
def test_agrees_with_cp_sat_on_curtois_instance8(curtois_dir: Path) -> None:
    """Real rules: per-shift maxima that bind, weekends, minutes; random prices."""
    path = curtois_dir / "Instance8.txt"
    problem = to_rota_problem(parse_instance(path.read_text(), name="Instance8"))
    for e in (0, 7, 15, 29):
        dp, cp = pricer_for(problem, e), StaffPricer(problem, e)
        assert isinstance(dp, DynamicPricer)
        for seed in range(2):
            prices = random_prices(problem, seed)
            _, cheapest, proved, _ = dp.price(prices, 10.0, 0, True)
            expected, reference, cp_proved, _ = cp.price(prices, 20.0, 0, True)
            assert proved and cp_proved
            assert cheapest == pytest.approx(reference, abs=len(dp.cells) / 1000)
