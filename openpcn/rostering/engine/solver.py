"""Build the CP-SAT model of a `RotaProblem`, solve it and explain every cost of the answer.

The steps follow the OR-Tools shift scheduling example: variables, hard rules, soft rules, the
objective (the weighted sum of soft terms), solve, explain.
"""

from __future__ import annotations

import dataclasses
import math
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from openpcn.rostering.engine.columns import (
    Generated,
    RotaInfeasible,
    assignments_of,
    choose_columns,
    cover_of,
    generate_columns,
    rota_cost,
)
from openpcn.rostering.engine.decompose import independent_parts
from openpcn.rostering.engine.greedy import greedy_rota
from openpcn.rostering.engine.problem import RotaProblem
from openpcn.rostering.engine.rules import HARD_RULES, SOFT_RULES, PenaltyTerm
from openpcn.rostering.engine.solution import Assignment, Penalty, RotaSolution, SolveSettings
from openpcn.rostering.engine.variables import RotaVariables, cells_of, create_variables, fix


@dataclass
class RotaModel:
    """The CP-SAT model with the handles needed to hint, read and explain it."""

    model: cp_model.CpModel
    work: RotaVariables
    terms: list[PenaltyTerm]
    objective: cp_model.LinearExprT


def build_model(problem: RotaProblem) -> RotaModel:
    model = cp_model.CpModel()
    work = create_variables(model, problem)
    for rule in HARD_RULES:
        rule(model, work, problem)
    terms: list[PenaltyTerm] = []
    for rule in SOFT_RULES:
        terms.extend(rule(model, work, problem))
    objective = sum(term.weight * term.amount for term in terms)
    model.minimize(objective)
    return RotaModel(model=model, work=work, terms=terms, objective=objective)


def add_hint(rota: RotaModel, problem: RotaProblem, assignments: Iterable[Assignment]) -> None:
    """Start the search from a known rota (a published one, or a quick first solution)."""
    chosen = cells_of(problem, assignments)
    # Replace, never add to, an earlier hint: a variable hinted twice makes the model invalid.
    rota.model.clear_hints()  # type: ignore[no-untyped-call]
    for key, var in rota.work.by_shift.items():
        rota.model.add_hint(var, key in chosen)
    working = {(e, d) for e, d, _ in chosen}
    hinted = {var.index for var in rota.work.by_shift.values()}
    for cell, works in rota.work.works.items():
        # 'works' is a variable of its own only when it is not a single shift's Boolean or a sum.
        if isinstance(works, cp_model.IntVar) and works.index not in hinted:
            rota.model.add_hint(works, cell in working)


def solver_for(settings: SolveSettings) -> cp_model.CpSolver:
    """A CP-SAT solver with the caller's seed, workers and time limit.

    With one worker the limit is the solver's deterministic time, so the same seed gives the same
    rota on any machine; a wall-clock cap of three times the limit guards against a slow machine.
    """
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.random_seed = settings.seed
    params.num_workers = settings.workers
    params.log_search_progress = settings.log_progress
    if settings.workers == 1:
        params.max_deterministic_time = settings.time_limit_seconds
        params.max_time_in_seconds = 3 * settings.time_limit_seconds
    else:
        params.max_time_in_seconds = settings.time_limit_seconds
    return solver


class FirstSolutionTimer(cp_model.CpSolverSolutionCallback):
    """Remembers when the first rota was found (a measure the benchmarks report)."""

    def __init__(self, started: float) -> None:
        super().__init__()
        self.started = started
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = time.perf_counter() - self.started


def read_assignments(
    solver: cp_model.CpSolver, rota: RotaModel, problem: RotaProblem
) -> tuple[Assignment, ...]:
    return tuple(
        sorted(
            Assignment(problem.staff[e].id, d, problem.shift_types[s].id)
            for (e, d, s), var in rota.work.by_shift.items()
            if solver.boolean_value(var)
        )
    )


def explain(solver: cp_model.CpSolver, rota: RotaModel) -> tuple[Penalty, ...]:
    """Every non-zero soft term, in words, with its cost; the costs add up to the objective."""
    penalties = []
    for term in rota.terms:
        amount = int(solver.value(term.amount))
        if amount > 0 and term.weight > 0:
            penalties.append(Penalty(term.rule, term.weight * amount, term.describe(amount)))
    return tuple(penalties)


def _bound(solver: cp_model.CpSolver) -> int:
    """The proved lower bound (0 when the search stopped before proving any)."""
    bound = solver.best_objective_bound
    return max(0, int(bound)) if math.isfinite(bound) else 0


@dataclasses.dataclass
class _Clock:
    """Time left: CP-SAT's deterministic time with one worker (reproducible), else wall clock."""

    settings: SolveSettings
    started: float
    deterministic: float = 0.0

    def left(self) -> float:
        if self.settings.workers == 1:
            return self.settings.time_limit_seconds - self.deterministic
        return self.settings.time_limit_seconds - (time.perf_counter() - self.started)


def _settle_costs(rota: RotaModel, solver: cp_model.CpSolver, seed: int) -> cp_model.CpSolver:
    """Re-solve with the rota fixed, so every soft cost takes its exact value.

    During search a cover slack may be both short and over at once (costing more than the rota
    really does); pinning the rota and minimising again removes that. Slack variables with such
    freedom search better than ones forced exact, which is why this is done afterwards.
    """
    settled = rota.model.clone()
    for var in rota.work.by_shift.values():
        fix(settled, var, solver.value(var))
    exact = cp_model.CpSolver()
    exact.parameters.num_workers = 1
    exact.parameters.random_seed = seed
    exact.parameters.max_time_in_seconds = 10.0
    if exact.solve(settled) == cp_model.OPTIMAL:
        return exact
    return solver


def _solve_model(
    rota: RotaModel,
    problem: RotaProblem,
    settings: SolveSettings,
    started: float,
    first_only: bool = False,
    clock: _Clock | None = None,
    in_parts: bool = False,
) -> RotaSolution:
    solver = solver_for(settings)
    solver.parameters.stop_after_first_solution = first_only
    # For a quick first rota, and for the many small parts of a GP rota, presolve costs more
    # than it saves (measured on the GP benchmark).
    solver.parameters.cp_model_presolve = not first_only and not in_parts
    timer = FirstSolutionTimer(started)
    status = solver.solve(rota.model, timer)
    if clock is not None:
        clock.deterministic += solver.deterministic_time
    seconds = time.perf_counter() - started
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return RotaSolution(name, (), None, _bound(solver), seconds, ())
    bound = _bound(solver)
    if status == cp_model.FEASIBLE:
        solver = _settle_costs(rota, solver, settings.seed)
    objective = int(round(solver.objective_value))
    if status == cp_model.OPTIMAL:
        bound = objective
    return RotaSolution(
        status=name,
        assignments=read_assignments(solver, rota, problem),
        objective=objective,
        lower_bound=bound,
        seconds=seconds,
        penalties=explain(solver, rota),
        seconds_to_first_solution=timer.first,
    )


def solve_by_columns(problem: RotaProblem, settings: SolveSettings) -> RotaSolution:
    """Column generation first (see `columns`), then the compact model polishes its rota.

    Of the time: the compact model's first rota (stopping at the first, capped at 20%), then up
    to 45% in all prices columns at the root, up to 15% chooses one column per person, about
    half the rest searches where that rota and the linear answer disagree, and the last fifth
    lets the compact model improve the result as a whole. The lower bound is the better of the
    columns' linear bound and the compact model's.
    """
    started = time.perf_counter()
    clock = _Clock(settings, started)
    limit = settings.time_limit_seconds
    deterministic = settings.workers == 1

    def spend(seconds: float) -> None:
        clock.deterministic += seconds

    # A quick first rota from the compact model: usable at once, and its schedules are columns.
    rota = build_model(problem)
    quick = dataclasses.replace(settings, time_limit_seconds=max(0.1, 0.2 * limit))
    # Without one (one worker on Instance8 finds none in its 12 s) the columns start unseeded.
    first = _solve_model(rota, problem, quick, started, first_only=True, clock=clock)
    if first.status == "INFEASIBLE":
        return first
    first_rota_at = first.seconds_to_first_solution
    try:
        generated = generate_columns(
            problem,
            time_left=lambda: clock.left() - 0.55 * limit,
            spend=spend,
            workers=settings.workers,
            seed=settings.seed,
            deterministic=deterministic,
            start=first.assignments,
            # Without a first rota nothing else is coming: price for as long as the root may.
            patience=(lambda: clock.left() - 0.75 * limit) if first.has_rota else None,
        )
    except RotaInfeasible:
        return first
    if generated.lower_bound < 0.9 * generated.master.value and first.has_rota:
        # The root was not priced out in time: its columns would only mislead; polish the first
        # (without a first rota, the columns are all there is).
        return _polish(rota, problem, settings, clock, started, first.assignments, first_rota_at, 0)
    choice_time = max(0.1, min(0.15 * limit, clock.left() - 0.4 * limit))
    chosen = choose_columns(
        problem, generated, choice_time, settings.workers, settings.seed, deterministic
    )
    incumbent, cost = assignments_of(problem, chosen[0]), chosen[1]
    if first_rota_at is None:
        first_rota_at = time.perf_counter() - started
    best: RotaSolution | None = None
    clock.deterministic += choice_time if deterministic else 0.0
    # The integer master can be far from the bound (Instance8: 2707 against 1296): dive, and
    # dive again with drawn choices while the rota is still far and the time allows.
    draw: random.Random | None = None
    # A dive prices about as much as the root did: after a slow root there is no time for one.
    dives = DIVES if limit - clock.left() <= DIVE_ROOT_BY * limit else 0
    for _ in range(dives):
        if cost <= DIVE_ABOVE * generated.lower_bound or clock.left() < 0.45 * limit:
            break
        dived = generated.dive(lambda: clock.left() - 0.35 * limit, draw)
        dived_cost = rota_cost(cover_of(problem), dived)
        if dived_cost < cost:
            incumbent, cost = assignments_of(problem, dived), dived_cost
        draw = draw or random.Random(settings.seed)
    # RINS again from each better rota: where it and the linear answer agree has moved, so the
    # next neighbourhood is new; stop when one brings nothing or the polish's fifth is reached.
    while clock.left() - 0.2 * limit > 0.05 * limit:
        nearby = _relaxation_neighbourhood(problem, settings, clock, started, generated, incumbent)
        if nearby is None or nearby.objective is None or nearby.objective >= cost:
            break
        incumbent, cost, best = nearby.assignments, nearby.objective, nearby
    polished = _polish(
        rota, problem, settings, clock, started, incumbent, first_rota_at, generated.lower_bound
    )
    if best is None or (polished.objective is not None and polished.objective <= cost):
        return polished
    # The polish may not rebuild its starting rota in the time (measured on Instance11: RINS
    # 3443, polish 3736): then the RINS rota stands, with the whole problem's bound, not its own.
    bound = polished.lower_bound
    return dataclasses.replace(
        best,
        status="OPTIMAL" if cost <= bound else "FEASIBLE",
        lower_bound=bound,
        seconds=polished.seconds,
        seconds_to_first_solution=first_rota_at,
    )


DIVES = 3
"""At most this many dives: the first takes the heaviest columns, the others drawn ones."""

DIVE_ROOT_BY = 0.35
"""Dives only if the root and the integer master were done by this share of the time
(Instance12's 60 people took 27 s of 60, and its dive did not finish)."""

DIVE_ABOVE = 1.01
"""An integer master's rota more than 1% above the proved bound is followed by a dive, whose
rota replaces it if cheaper (measured: Instance6 and 8 gain, Instance7's dive rota is worse)."""


def _relaxation_neighbourhood(
    problem: RotaProblem,
    settings: SolveSettings,
    clock: _Clock,
    started: float,
    generated: Generated,
    incumbent: tuple[Assignment, ...],
) -> RotaSolution | None:
    """Search only the cells where the linear answer and the incumbent rota disagree (RINS).

    Where the two agree the cell is fixed; a tight linear answer leaves few cells free, and the
    compact model searches those few far better than the whole rota. Up to half the time left
    (keeping a fifth of the limit for the final polish); None if no rota was found.
    """
    rota = build_model(problem)
    value: dict[tuple[int, int, int], float] = {}
    for i, weight in generated.master.weights.items():
        col = generated.columns[i]
        for d, s in col.cells:
            value[(col.staff, d, s)] = value.get((col.staff, d, s), 0.0) + weight
    worked = cells_of(problem, incumbent)
    for key, var in rota.work.by_shift.items():
        on = int(key in worked)
        if abs(value.get(key, 0.0) - on) < 0.01:
            fix(rota.model, var, on)
    add_hint(rota, problem, incumbent)
    time_limit = max(0.1, min(clock.left() / 2, clock.left() - 0.2 * settings.time_limit_seconds))
    budget = dataclasses.replace(settings, time_limit_seconds=time_limit)
    found = _solve_model(rota, problem, budget, started, clock=clock)
    return found if found.has_rota else None


def _polish(
    rota: RotaModel,
    problem: RotaProblem,
    settings: SolveSettings,
    clock: _Clock,
    started: float,
    start: tuple[Assignment, ...],
    first_rota_at: float | None,
    lower_bound: int,
) -> RotaSolution:
    """The compact model, from `start`, for the time left; it may stop at the proved bound."""
    rota.model.add(rota.objective >= lower_bound)
    add_hint(rota, problem, start)
    budget = dataclasses.replace(settings, time_limit_seconds=max(0.1, clock.left()))
    polished = _solve_model(rota, problem, budget, started)
    return dataclasses.replace(
        polished,
        lower_bound=max(polished.lower_bound, lower_bound),
        seconds_to_first_solution=first_rota_at,
    )


def solve_rota(
    problem: RotaProblem,
    settings: SolveSettings,
    hint: Iterable[Assignment] | None = None,
    *,
    greedy_start: bool = True,
) -> RotaSolution:
    """Solve a rota problem within the settings' time; `hint` is an optional starting rota.

    Without a hint the greedy rota (`greedy.py`) is the start when `greedy_start`; that helps GP
    rotas a lot but hurts tightly patterned ones such as the Curtois instances, whose minimum runs
    the greedy ignores.

    Independent parts (see `decompose`) are solved separately: first each until it has a rota, so
    a complete rota exists early, then each again from that rota with a share of the time left in
    proportion to its size. Times in the solution count from the start, model building included.
    """
    started = time.perf_counter()
    # Without a rota to start from, a greedy one gives CP-SAT a far better first solution.
    if hint is not None:
        hinted: tuple[Assignment, ...] = tuple(hint)
    else:
        hinted = tuple(greedy_rota(problem)) if greedy_start else ()
    parts = independent_parts(problem)
    if len(parts) == 1:
        rota = build_model(problem)
        add_hint(rota, problem, hinted)
        return _solve_model(rota, problem, settings, started)

    models = [build_model(part) for part in parts]
    clock = _Clock(settings, started)
    first: list[RotaSolution] = []
    for part, rota in zip(parts, models, strict=True):
        add_hint(rota, part, hinted)
        budget = dataclasses.replace(settings, time_limit_seconds=max(0.1, clock.left()))
        first.append(_solve_model(rota, part, budget, started, first_only=True, clock=clock))
    if any(not solution.has_rota for solution in first):
        return _combine(first, started, first_rota_at=None)
    first_rota_at = time.perf_counter() - started

    sizes = [len(rota.work.by_shift) + 1 for rota in models]
    final: list[RotaSolution] = []
    for index, (part, rota, found) in enumerate(zip(parts, models, first, strict=True)):
        share = clock.left() * sizes[index] / sum(sizes[index:])
        if share < 0.05 or found.status == "OPTIMAL":
            final.append(found)
            continue
        add_hint(rota, part, found.assignments)
        budget = dataclasses.replace(settings, time_limit_seconds=share)
        better = _solve_model(rota, part, budget, started, clock=clock, in_parts=True)
        final.append(
            better
            if better.has_rota
            and better.objective is not None
            and found.objective is not None
            and better.objective <= found.objective
            else found
        )
    return _combine(final, started, first_rota_at)


def _combine(
    parts: list[RotaSolution], started: float, first_rota_at: float | None
) -> RotaSolution:
    if any(p.status == "INFEASIBLE" for p in parts):
        status = "INFEASIBLE"
    elif any(not p.has_rota for p in parts):
        status = "UNKNOWN"
    elif all(p.status == "OPTIMAL" for p in parts):
        status = "OPTIMAL"
    else:
        status = "FEASIBLE"
    has_rota = status in ("OPTIMAL", "FEASIBLE")
    return RotaSolution(
        status=status,
        assignments=tuple(sorted(a for p in parts for a in p.assignments)) if has_rota else (),
        objective=sum(p.objective or 0 for p in parts) if has_rota else None,
        lower_bound=sum(p.lower_bound for p in parts),
        seconds=time.perf_counter() - started,
        penalties=tuple(penalty for p in parts for penalty in p.penalties) if has_rota else (),
        seconds_to_first_solution=first_rota_at,
    )
