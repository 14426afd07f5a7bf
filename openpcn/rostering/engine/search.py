"""Large neighbourhood search around CP-SAT, for rotas too big to solve outright in the time given.

A first rota comes from CP-SAT. Then, until the budget is spent, most of the rota is frozen and
CP-SAT re-optimises the rest: a few staff members' whole rotas, or every staff member over a window
of days. The neighbourhood grows when CP-SAT closes it quickly and shrinks when it cannot. A full
CP-SAT run with the best rota as hint takes a share of the time, so small problems are still
proved optimal.

With one worker every step is limited by CP-SAT's deterministic clock and the random choices come
from the seed, so a run is reproducible; with more workers the wall clock is the limit.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from openpcn.rostering.engine.problem import RotaProblem
from openpcn.rostering.engine.solution import RotaSolution, SolveSettings
from openpcn.rostering.engine.solver import (
    FirstSolutionTimer,
    RotaModel,
    build_model,
    explain,
    read_assignments,
)


@dataclass
class _Budget:
    """Spends either wall-clock seconds or (one worker) CP-SAT deterministic seconds."""

    total: float
    deterministic: bool
    started: float
    spent_deterministic: float = 0.0
    first_found: float | None = None

    def spent(self) -> float:
        if self.deterministic:
            return self.spent_deterministic
        return time.perf_counter() - self.started

    def left(self) -> float:
        return self.total - self.spent()

    def charge(self, solver: cp_model.CpSolver, timer: FirstSolutionTimer | None = None) -> None:
        self.spent_deterministic += solver.response_proto.deterministic_time
        if self.first_found is None and timer is not None and timer.first is not None:
            self.first_found = timer.first


@dataclass
class _Incumbent:
    values: dict[int, int]
    objective: int
    found_after: float


def _solver(
    settings: SolveSettings, budget: _Budget, seconds: float, seed: int
) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.random_seed = seed
    params.num_workers = settings.workers
    params.log_search_progress = settings.log_progress
    if budget.deterministic:
        params.max_deterministic_time = max(0.01, seconds)
    else:
        params.max_time_in_seconds = max(0.01, seconds)
    return solver


def _decision_indices(rota: RotaModel) -> list[int]:
    return [var.index for var in rota.work.by_shift.values()]


def _read(solver: cp_model.CpSolver, indices: list[int]) -> dict[int, int]:
    values = solver.response_proto.solution
    return {i: values[i] for i in indices}


def _fix(model: cp_model.CpModel, index: int, value: int) -> None:
    domain = model.proto.variables[index].domain
    domain.clear()
    domain.extend([value, value])


def _with_hint(rota: RotaModel, incumbent: _Incumbent | None) -> cp_model.CpModel:
    model = rota.model.clone()
    if incumbent is not None:
        for index, value in incumbent.values.items():
            model.proto.solution_hint.vars.append(index)
            model.proto.solution_hint.values.append(value)
    return model


def _neighbourhood(
    rota: RotaModel, problem: RotaProblem, rng: random.Random, size: float
) -> set[int]:
    """Decision variables left free: some staff members' rotas, or a window of days for everyone."""
    staff, horizon = len(problem.staff), len(problem.days)
    if rng.random() < 0.5:
        count = max(1, min(staff, round(size * staff)))
        chosen_staff = set(rng.sample(range(staff), count))
        return {v.index for (e, _, _), v in rota.work.by_shift.items() if e in chosen_staff}
    width = max(2, min(horizon, round(size * horizon * 1.5)))
    first = rng.randrange(0, horizon - width + 1)
    share = min(1.0, 0.5 + size)
    chosen_staff = set(rng.sample(range(staff), max(1, round(share * staff))))
    return {
        v.index
        for (e, d, _), v in rota.work.by_shift.items()
        if first <= d < first + width and e in chosen_staff
    }


def _status_name(status: int) -> str:
    return cp_model.CpSolver().status_name(status)


def solve_with_search(problem: RotaProblem, settings: SolveSettings) -> RotaSolution:
    """Best rota within the budget: CP-SAT for a first rota, then neighbourhood search, then CP-SAT."""
    rota = build_model(problem)
    indices = _decision_indices(rota)
    deterministic = settings.workers == 1
    budget = _Budget(settings.time_limit_seconds, deterministic, time.perf_counter())
    rng = random.Random(settings.seed)
    incumbent: _Incumbent | None = None
    lower_bound = 0

    # First rota (and, for easy problems, the proof of optimality).
    solver = _solver(settings, budget, min(budget.left(), 0.25 * budget.total), settings.seed)
    timer = FirstSolutionTimer(budget.started)
    status = solver.solve(_with_hint(rota, None), timer)
    budget.charge(solver, timer)
    lower_bound = int(solver.best_objective_bound)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        incumbent = _Incumbent(_read(solver, indices), int(solver.objective_value), budget.spent())
        if status == cp_model.OPTIMAL:
            return _finish(rota, problem, settings, incumbent, lower_bound, "OPTIMAL", budget)
    if status == cp_model.INFEASIBLE:
        return _finish(rota, problem, settings, None, lower_bound, "INFEASIBLE", budget)

    size = 0.15
    step = 0
    final_share = 0.2 * budget.total
    while incumbent is not None and budget.left() > final_share:
        step += 1
        free = _neighbourhood(rota, problem, rng, size)
        model = _with_hint(rota, incumbent)
        for index, value in incumbent.values.items():
            if index not in free:
                _fix(model, index, value)
        # Only accept strictly better rotas from a neighbourhood.
        model.add(rota.objective <= incumbent.objective - 1)
        seconds = min(budget.left() - final_share, max(0.5, 0.02 * budget.total))
        solver = _solver(settings, budget, seconds, rng.randrange(1 << 30))
        status = solver.solve(model)
        budget.charge(solver)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            incumbent = _Incumbent(
                _read(solver, indices), int(solver.objective_value), budget.spent()
            )
        if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
            size = min(1.0, size * 1.1)
        else:
            size = max(0.02, size * 0.9)

    # The rest of the time: the whole model from the best rota, which may also prove optimality.
    if budget.left() > 0:
        solver = _solver(settings, budget, budget.left(), settings.seed + 1)
        status = solver.solve(_with_hint(rota, incumbent))
        budget.charge(solver)
        lower_bound = max(lower_bound, int(solver.best_objective_bound))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            objective = int(solver.objective_value)
            if incumbent is None or objective < incumbent.objective:
                incumbent = _Incumbent(_read(solver, indices), objective, budget.spent())
            if status == cp_model.OPTIMAL:
                lower_bound = objective
    name = "UNKNOWN"
    if incumbent is not None:
        name = "OPTIMAL" if lower_bound >= incumbent.objective else "FEASIBLE"
    return _finish(rota, problem, settings, incumbent, lower_bound, name, budget)


def _finish(
    rota: RotaModel,
    problem: RotaProblem,
    settings: SolveSettings,
    incumbent: _Incumbent | None,
    lower_bound: int,
    status: str,
    budget: _Budget,
) -> RotaSolution:
    seconds = time.perf_counter() - budget.started
    if incumbent is None or budget.first_found is None:
        return RotaSolution(status, (), None, lower_bound, seconds, ())
    # Re-read the incumbent through a solver fixed to it, to explain its costs.
    model = rota.model.clone()
    for index, value in incumbent.values.items():
        _fix(model, index, value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = settings.seed
    solver.solve(model)
    return RotaSolution(
        status=status,
        assignments=read_assignments(solver, rota, problem),
        objective=incumbent.objective,
        lower_bound=min(lower_bound, incumbent.objective),
        seconds=seconds,
        penalties=explain(solver, rota),
        seconds_to_first_solution=budget.first_found,
    )
