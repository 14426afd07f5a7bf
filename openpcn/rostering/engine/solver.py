"""Build the CP-SAT model of a `RotaProblem`, solve it and explain every cost of the answer.

The steps follow the OR-Tools shift scheduling example: variables, hard rules, soft rules, the
objective (the weighted sum of soft terms), solve, explain.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from openpcn.rostering.engine.problem import RotaProblem
from openpcn.rostering.engine.rules import HARD_RULES, SOFT_RULES, PenaltyTerm
from openpcn.rostering.engine.solution import Assignment, Penalty, RotaSolution, SolveSettings
from openpcn.rostering.engine.variables import RotaVariables, create_variables


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
    shift_index = {shift.id: s for s, shift in enumerate(problem.shift_types)}
    staff_index = {member.id: e for e, member in enumerate(problem.staff)}
    chosen = {
        (staff_index[a.staff_id], a.day, shift_index[a.shift_id])
        for a in assignments
        if a.staff_id in staff_index and a.shift_id in shift_index
    }
    for key, var in rota.work.by_shift.items():
        rota.model.add_hint(var, key in chosen)
    for (e, d), works in rota.work.works.items():
        rota.model.add_hint(works, any(key[:2] == (e, d) for key in chosen if key[0] == e))


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


def solve_model(rota: RotaModel, problem: RotaProblem, settings: SolveSettings) -> RotaSolution:
    solver = solver_for(settings)
    started = time.perf_counter()
    timer = FirstSolutionTimer(started)
    status = solver.solve(rota.model, timer)
    seconds = time.perf_counter() - started
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return RotaSolution(name, (), None, int(solver.best_objective_bound), seconds, ())
    objective = int(round(solver.objective_value))
    bound = objective if status == cp_model.OPTIMAL else int(solver.best_objective_bound)
    return RotaSolution(
        status=name,
        assignments=read_assignments(solver, rota, problem),
        objective=objective,
        lower_bound=bound,
        seconds=seconds,
        penalties=explain(solver, rota),
        seconds_to_first_solution=timer.first,
    )


def solve_rota(
    problem: RotaProblem,
    settings: SolveSettings,
    hint: Iterable[Assignment] | None = None,
) -> RotaSolution:
    """Solve a rota problem; `hint` is an optional starting rota."""
    rota = build_model(problem)
    if hint is not None:
        add_hint(rota, problem, hint)
    return solve_model(rota, problem, settings)
