"""Independent parts: found correctly, and solving them apart gives the same optimum as together."""

from __future__ import annotations

import dataclasses

from ortools.sat.python import cp_model

from openpcn.rostering.engine import (
    CoverRequirement,
    RotaProblem,
    ShiftRequest,
    ShiftType,
    SolveSettings,
    StaffMember,
)
from openpcn.rostering.engine.decompose import independent_parts
from openpcn.rostering.engine.greedy import greedy_rota
from openpcn.rostering.engine.problem import weeks_of
from openpcn.rostering.engine.solver import build_model, solve_rota

SETTINGS = SolveSettings(time_limit_seconds=10, workers=1, seed=0)


def two_practices() -> RotaProblem:
    shifts = tuple(
        ShiftType(f"{site}-{name}", 300, start_minute=start, site=site, skills=frozenset({"GP"}))
        for site in ("north", "south")
        for name, start in (("am", 480), ("pm", 780))
    )
    staff = tuple(
        StaffMember(
            f"{site}{i}",
            skills=frozenset({"GP"}),
            sites=frozenset({site}),
            max_minutes=3000,
            max_consecutive_days=4,
            shift_off_requests=(ShiftRequest(i, f"{site}-am", 2),),
        )
        for site in ("north", "south")
        for i in range(2)
    )
    cover = tuple(
        CoverRequirement(d, shift.id, 1 + (d % 3 == 0), 100, 3, "GP")
        for d in range(7)
        for shift in shifts
    )
    return RotaProblem("two practices", weeks_of(7), shifts, staff, cover)


def test_parts_follow_who_can_work_where() -> None:
    parts = independent_parts(two_practices())
    assert [sorted(m.id for m in part.staff) for part in parts] == [
        ["north0", "north1"],
        ["south0", "south1"],
    ]
    assert all(c.shift_id.startswith("north") for c in parts[0].cover)


def test_one_floating_gp_joins_the_parts() -> None:
    problem = two_practices()
    floater = StaffMember("float", skills=frozenset({"GP"}))
    assert (
        len(independent_parts(dataclasses.replace(problem, staff=(*problem.staff, floater)))) == 1
    )


def test_parts_solved_apart_match_the_whole() -> None:
    problem = two_practices()
    apart = solve_rota(problem, SETTINGS)
    whole = build_model(problem)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    assert solver.solve(whole.model) == cp_model.OPTIMAL
    assert apart.status == "OPTIMAL"
    assert apart.objective == int(solver.objective_value)
    assert sum(p.cost for p in apart.penalties) == apart.objective


def test_greedy_keeps_the_simple_hard_rules() -> None:
    problem = two_practices()
    rota = greedy_rota(problem)
    assert rota
    for member in problem.staff:
        mine = [a for a in rota if a.staff_id == member.id]
        assert sum(problem.shift(a.shift_id).minutes for a in mine) <= 3000
        assert all(problem.shift(a.shift_id).site in (member.sites or ()) for a in mine)
        worked = sorted({a.day for a in mine})
        runs, run = [], 0
        for day in range(7):
            run = run + 1 if day in worked else 0
            runs.append(run)
        assert max(runs) <= 4
