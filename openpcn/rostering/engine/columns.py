"""Column generation for rotas whose staff meet only through cover ("price and branch").

Each staff member's own rules (runs, days off, weekends, hours, requests) make a small problem of
its own; only the cover rows tie people together. So the rota is a choice of one whole schedule
(a *column*) per person. A linear master problem (GLOP) prices cover; each person's CP-SAT model
then finds the schedule that is cheapest at those prices; the loop stops when no schedule pays.
Its linear bound is far stronger than the compact model's, and a CP-SAT choice of one column per
person (the integer master) is a near-optimal rota, which the compact model then polishes.

This is how the Curtois benchmark instances were solved to optimality (branch and price); here
only the root is priced, which is a heuristic plus a valid lower bound.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from openpcn.rostering.engine.problem import RotaProblem
from openpcn.rostering.engine.solution import Assignment

PRICE_SCALE = 1000
"""Cover prices are fractions; CP-SAT needs integers, so prices are kept to a thousandth."""

Cell = tuple[int, int]
"""(day index, shift index) of one person's schedule."""


class RotaInfeasible(ValueError):
    """A person's own rules admit no schedule at all."""


@dataclass(frozen=True)
class Column:
    """One person's whole schedule and its own soft cost (requests and other personal rules)."""

    staff: int
    cells: frozenset[Cell]
    cost: int


def couples_only_through_cover(problem: RotaProblem) -> bool:
    """True when no rule other than cover links two people (unsocial fairness does)."""
    return problem.weights.unsocial_fairness == 0 and bool(problem.cover) and len(problem.staff) > 1


class StaffPricer:
    """One person's CP-SAT model, re-solved at each round's cover prices."""

    def __init__(self, problem: RotaProblem, e: int) -> None:
        from openpcn.rostering.engine.solver import build_model

        member = problem.staff[e]
        alone = dataclasses.replace(
            problem,
            staff=(member,),
            cover=(),
            locked=tuple(lock for lock in problem.locked if lock.staff_id == member.id),
            published=tuple(p for p in problem.published if p[0] == member.id),
            weights=dataclasses.replace(problem.weights, unsocial_fairness=0),
        )
        self.e = e
        self.rota = build_model(alone)
        self.cells = {(d, s): var for (_, d, s), var in self.rota.work.by_shift.items()}
        self.own = self.rota.objective

    def column(self, solver: cp_model.CpSolver | cp_model.CpSolverSolutionCallback) -> Column:
        cells = frozenset(cell for cell, var in self.cells.items() if solver.boolean_value(var))
        return Column(self.e, cells, int(round(solver.value(self.own))))

    def price(
        self, prices: dict[Cell, float], time_limit: float, seed: int, deterministic: bool
    ) -> tuple[list[Column], float, bool, float]:
        """Cheapest schedules at these prices: (columns found, best priced cost, proved, time)."""
        gain = [
            (round(PRICE_SCALE * prices[cell]), var)
            for cell, var in self.cells.items()
            if abs(prices.get(cell, 0.0)) > 1e-9
        ]
        self.rota.model.minimize(PRICE_SCALE * self.own - sum(g * var for g, var in gain))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        if deterministic:
            solver.parameters.max_deterministic_time = time_limit
        else:
            solver.parameters.max_time_in_seconds = time_limit
        found: list[Column] = []
        collector = _Collector(self, found)
        status = solver.solve(self.rota.model, collector)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return [], math.inf, False, solver.deterministic_time
        best = solver.objective_value / PRICE_SCALE
        bound = solver.best_objective_bound / PRICE_SCALE
        proved = status == cp_model.OPTIMAL
        return found, bound if proved else best, proved, solver.deterministic_time


class _Collector(cp_model.CpSolverSolutionCallback):
    """Every improving schedule the pricing search meets is a column worth keeping."""

    def __init__(self, pricer: StaffPricer, found: list[Column]) -> None:
        super().__init__()
        self.pricer = pricer
        self.found = found

    def on_solution_callback(self) -> None:
        self.found.append(self.pricer.column(self))


@dataclass
class CoverRow:
    """One cover requirement as a row of the master: who counts, the target and the weights."""

    target: int
    weight_under: int
    weight_over: int
    members: dict[int, set[Cell]]  # staff index -> cells that count towards this row


def cover_rows(problem: RotaProblem) -> list[CoverRow]:
    shift_index = {shift.id: s for s, shift in enumerate(problem.shift_types)}
    rows = []
    for req in problem.cover:
        cell = (req.day, shift_index[req.shift_id])
        members = {
            e: {cell}
            for e, member in enumerate(problem.staff)
            if req.skill is None or req.skill in member.skills
        }
        rows.append(CoverRow(req.target, req.weight_under, req.weight_over, members))
    return rows


@dataclass
class MasterResult:
    value: float
    weights: dict[int, float]  # column index -> LP value
    prices: list[dict[Cell, float]]  # per staff index: price of each cell
    convexity: list[float]


def solve_master_lp(columns: list[Column], rows: list[CoverRow], staff: int) -> MasterResult:
    lp = pywraplp.Solver.CreateSolver("GLOP")
    assert lp is not None
    inf = lp.infinity()
    lam = [lp.NumVar(0, inf, f"l{i}") for i in range(len(columns))]
    one = [lp.Constraint(1, 1, f"one{e}") for e in range(staff)]
    objective = lp.Objective()
    for i, col in enumerate(columns):
        one[col.staff].SetCoefficient(lam[i], 1)
        objective.SetCoefficient(lam[i], col.cost)
    cons = []
    for r, row in enumerate(rows):
        con = lp.Constraint(row.target, row.target, f"c{r}")
        short = lp.NumVar(0, inf, f"s{r}")
        over = lp.NumVar(0, inf, f"o{r}")
        con.SetCoefficient(short, 1)
        con.SetCoefficient(over, -1)
        objective.SetCoefficient(short, row.weight_under)
        objective.SetCoefficient(over, row.weight_over)
        for i, col in enumerate(columns):
            counted = row.members.get(col.staff)
            if counted and counted & col.cells:
                con.SetCoefficient(lam[i], len(counted & col.cells))
        cons.append(con)
    objective.SetMinimization()
    status = lp.Solve()
    assert status == pywraplp.Solver.OPTIMAL, f"master LP status {status}"
    prices: list[dict[Cell, float]] = [{} for _ in range(staff)]
    for row, con in zip(rows, cons, strict=True):
        dual = con.dual_value()
        if abs(dual) < 1e-9:
            continue
        for e, counted in row.members.items():
            for cell in counted:
                prices[e][cell] = prices[e].get(cell, 0.0) + dual
    return MasterResult(
        value=objective.Value(),
        weights={i: v.solution_value() for i, v in enumerate(lam) if v.solution_value() > 1e-9},
        prices=prices,
        convexity=[c.dual_value() for c in one],
    )


@dataclass
class Generated:
    """The columns priced at the root, the master's last answer and the bound it proves."""

    columns: list[Column]
    master: MasterResult
    lower_bound: int
    rounds: int


def generate_columns(
    problem: RotaProblem,
    start: list[Column],
    time_left: Callable[[], float],
    spend: Callable[[float], None],
    workers: int,
    seed: int,
    deterministic: bool,
) -> Generated:
    """Price every person until no schedule has a negative reduced cost or time runs out."""
    rows = cover_rows(problem)
    pricers = [StaffPricer(problem, e) for e in range(len(problem.staff))]
    columns = list(start)
    seen = {(c.staff, c.cells) for c in columns}
    lower_bound = 0
    rounds = 0
    with ThreadPoolExecutor(max_workers=workers) as pool:
        # Everyone needs a schedule before the master has an answer: their cheapest one unpriced.
        missing = [e for e in range(len(pricers)) if e not in {c.staff for c in columns}]
        first = max(0.05, min(2.0, time_left() / 4))
        for e, (found, _, _, used) in zip(
            missing,
            pool.map(lambda e: pricers[e].price({}, first, seed, deterministic), missing),
            strict=True,
        ):
            spend(used / workers)
            if not found:
                raise RotaInfeasible(f"no schedule satisfies the rules of {problem.staff[e].id}")
            columns.append(found[-1])
            seen.add((e, found[-1].cells))
        while True:
            master = solve_master_lp(columns, rows, len(problem.staff))
            rounds += 1
            left = time_left()
            if left <= 0:
                break
            per_call = max(0.05, min(2.0, left / 2))

            def price(e: int) -> tuple[list[Column], float, bool, float]:
                return pricers[e].price(master.prices[e], per_call, seed, deterministic)

            results = list(pool.map(price, range(len(pricers))))
            added = 0
            all_proved = True
            reduced_total = 0.0
            for e, (found, best, proved, used) in enumerate(results):
                spend(used / workers)
                all_proved &= proved
                reduced = best - master.convexity[e]
                reduced_total += min(0.0, reduced)
                for col in found:
                    rc = col.cost - _priced(col, master.prices[e]) - master.convexity[e]
                    if rc < -1e-6 and (col.staff, col.cells) not in seen:
                        seen.add((col.staff, col.cells))
                        columns.append(col)
                        added += 1
            if all_proved:
                # Lagrangian bound; each priced cell was rounded by at most half a thousandth.
                slack = sum(len(p.cells) for p in pricers) / (2 * PRICE_SCALE)
                bound = master.value + reduced_total - slack
                lower_bound = max(lower_bound, math.ceil(bound - 1e-6))
            if added == 0:
                break
    return Generated(columns, master, lower_bound, rounds)


def _priced(col: Column, prices: dict[Cell, float]) -> float:
    return sum(prices.get(cell, 0.0) for cell in col.cells)


def choose_columns(
    problem: RotaProblem,
    generated: Generated,
    time_limit: float,
    workers: int,
    seed: int,
    deterministic: bool,
) -> tuple[list[Column], int] | None:
    """The integer master: one column per person, cover costed exactly, solved by CP-SAT."""
    rows = cover_rows(problem)
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"y{i}") for i in range(len(generated.columns))]
    by_staff: dict[int, list[int]] = {}
    for i, col in enumerate(generated.columns):
        by_staff.setdefault(col.staff, []).append(i)
    for indexes in by_staff.values():
        model.add_exactly_one(chosen[i] for i in indexes)
    objective = [col.cost * chosen[i] for i, col in enumerate(generated.columns)]
    for r, row in enumerate(rows):
        terms = []
        for i, col in enumerate(generated.columns):
            counted = row.members.get(col.staff)
            if counted and counted & col.cells:
                terms.append(len(counted & col.cells) * chosen[i])
        short = model.new_int_var(0, row.target, f"short{r}")
        over = model.new_int_var(0, max(0, len(terms)), f"over{r}")
        model.add(sum(terms) + short - over == row.target)
        objective.append(row.weight_under * short + row.weight_over * over)
    model.minimize(sum(objective))
    # Start from the column each person uses most in the linear answer.
    best: dict[int, tuple[float, int]] = {}
    for i, weight in generated.master.weights.items():
        e = generated.columns[i].staff
        if e not in best or weight > best[e][0]:
            best[e] = (weight, i)
    for i, var in enumerate(chosen):
        model.add_hint(var, best.get(generated.columns[i].staff, (0, -1))[1] == i)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if deterministic:
        solver.parameters.max_deterministic_time = time_limit
    else:
        solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    picked = [col for i, col in enumerate(generated.columns) if solver.boolean_value(chosen[i])]
    return picked, int(round(solver.objective_value))


def columns_of(problem: RotaProblem, assignments: tuple[Assignment, ...]) -> list[Column]:
    """Cut a whole rota into one column per person (costs from each person's own model)."""
    shift_index = {shift.id: s for s, shift in enumerate(problem.shift_types)}
    staff_index = {member.id: e for e, member in enumerate(problem.staff)}
    cells: dict[int, set[Cell]] = {e: set() for e in range(len(problem.staff))}
    for a in assignments:
        cells[staff_index[a.staff_id]].add((a.day, shift_index[a.shift_id]))
    return [Column(e, frozenset(c), -1) for e, c in cells.items()]


def assignments_of(problem: RotaProblem, picked: list[Column]) -> tuple[Assignment, ...]:
    return tuple(
        sorted(
            Assignment(problem.staff[col.staff].id, d, problem.shift_types[s].id)
            for col in picked
            for d, s in col.cells
        )
    )

