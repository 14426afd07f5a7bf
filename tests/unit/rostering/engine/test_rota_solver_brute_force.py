"""The CP-SAT model against exhaustive search on random tiny Curtois instances.

The brute force uses only the independent scorer: it lists every row each employee could work,
keeps the rows the scorer accepts, and scores every combination. Both the model and the scorer
must agree on the optimum (and on infeasibility).
"""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from rostering_tiny import tiny_instances

from openpcn.rostering.engine.columns import assignments_of, cover_of, generate_columns, rota_cost
from openpcn.rostering.engine.curtois.instance import CurtoisInstance
from openpcn.rostering.engine.curtois.mapping import to_roster, to_rota_problem
from openpcn.rostering.engine.curtois.scorer import score_roster
from openpcn.rostering.engine.solution import SolveSettings
from openpcn.rostering.engine.solver import solve_by_columns, solve_rota


def brute_force(instance: CurtoisInstance) -> int | None:
    options = ["", *[s.id for s in instance.shifts]]
    rows_by_employee = []
    for employee in instance.employees:
        alone = CurtoisInstance(
            instance.name,
            instance.horizon,
            instance.shifts,
            (employee,),
            tuple(d for d in instance.days_off if d[0] == employee.id),
            (),
            (),
            (),
        )
        rows = [
            list(row)
            for row in itertools.product(options, repeat=instance.horizon)
            if score_roster(alone, {employee.id: list(row)}).feasible
        ]
        rows_by_employee.append(rows)
    best: int | None = None
    for combination in itertools.product(*rows_by_employee):
        roster = {e.id: row for e, row in zip(instance.employees, combination, strict=True)}
        objective = score_roster(instance, roster).objective
        best = objective if best is None else min(best, objective)
    return best


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instances())
def test_solver_matches_brute_force(instance: CurtoisInstance) -> None:
    expected = brute_force(instance)
    solution = solve_rota(to_rota_problem(instance), SolveSettings(20.0, 1, 0))
    if expected is None:
        assert solution.status == "INFEASIBLE"
        return
    assert solution.status == "OPTIMAL"
    assert solution.objective == expected
    # The explanation adds up, and the scorer agrees with the model on the rota found.
    assert sum(p.cost for p in solution.penalties) == expected
    assert score_roster(instance, to_roster(instance, solution.assignments)).objective == expected


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instances())
def test_column_generation_matches_brute_force(instance: CurtoisInstance) -> None:
    expected = brute_force(instance)
    problem = to_rota_problem(instance)
    solution = solve_by_columns(problem, SolveSettings(10.0, 1, 0))
    if expected is None:
        assert solution.status == "INFEASIBLE"
        return
    assert solution.status == "OPTIMAL"
    assert solution.objective == expected
    assert score_roster(instance, to_roster(instance, solution.assignments)).objective == expected
    # The root's bound is proved: never above the true optimum, and here close to it.
    generated = generate_columns(
        problem, time_left=lambda: 1.0, spend=lambda _: None, workers=1, seed=0, deterministic=True
    )
    assert generated.lower_bound <= expected
    assert solution.lower_bound == expected
    # The dive (and a drawn one) ends with one schedule per person: a rota the scorer accepts, costed exactly,
    # and the master is freed again after it.
    for draw in (None, random.Random(1)):
        dived = generated.dive(lambda: 1.0, draw)
        assert sorted(col.staff for col in dived) == list(range(len(problem.staff)))
        cost = rota_cost(cover_of(problem), dived)
        roster = to_roster(instance, assignments_of(problem, dived))
        assert score_roster(instance, roster).objective == cost >= expected
    assert generated.generation is not None
    assert generated.generation.master.solve().value == pytest.approx(generated.master.value)
