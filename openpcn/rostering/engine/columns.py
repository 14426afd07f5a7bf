"""Column generation at the root of the rota problem ("price and branch", without the branching).

Each person's own rules (runs, days off, weekends, hours, requests) make a small problem of its
own; only cover ties people together. So a rota is a choice of one whole schedule (a *column*)
per person. A linear master (GLOP) prices cover; each person's CP-SAT model finds the schedule
that is cheapest at those prices; the loop ends when no schedule pays. Its bound is far stronger
than the compact model's, and CP-SAT's choice of one column per person (the integer master) is a
good rota for the compact model to polish (`solver.solve_by_columns`).

Rules that link people other than through cover (the fair share of unsocial sessions) are left
out of the columns and costed by the compact model only; leaving out costs that are never
negative keeps the bound a bound. This is how the Curtois instances were first solved to
optimality (branch and price); here only the root is priced, in the time given.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from openpcn.rostering.engine.problem import RotaProblem
from openpcn.rostering.engine.schedule_dp import Cell, ScheduleDP, TooManyStates, dp_applies
from openpcn.rostering.engine.solution import Assignment
from openpcn.rostering.engine.variables import cells_of, fix

PRICE_SCALE = 1000
"""Cover prices are fractions; CP-SAT needs integers, so prices are kept to a thousandth."""


class RotaInfeasible(ValueError):
    """No schedule was found for a person's own rules (none exists, or none in the time)."""


@dataclass(frozen=True)
class Column:
    """One person's whole schedule and its own soft cost (requests and other personal rules)."""

    staff: int
    cells: frozenset[Cell]
    cost: int


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
        self.own = cp_model.LinearExpr.weighted_sum(
            [term.amount for term in self.rota.terms], [term.weight for term in self.rota.terms]
        )

    def column(self, solver: cp_model.CpSolver | cp_model.CpSolverSolutionCallback) -> Column:
        cells = frozenset(cell for cell, var in self.cells.items() if solver.boolean_value(var))
        return Column(self.e, cells, int(round(solver.value(self.own))))

    def cost_of(self, cells: frozenset[Cell]) -> Column | None:
        """This person's own cost of working exactly `cells` (None if their rules forbid it)."""
        fixed = self.rota.model.clone()
        for cell, var in self.cells.items():
            fix(fixed, var, int(cell in cells))
        fixed.minimize(self.own)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        if solver.solve(fixed) != cp_model.OPTIMAL:
            return None
        return Column(self.e, cells, int(round(solver.objective_value)))

    def price(
        self, prices: dict[Cell, float], time_limit: float, seed: int, deterministic: bool
    ) -> tuple[list[Column], float, bool, float]:
        """Cheapest schedules at these prices: (columns found, best priced cost, proved, time)."""
        gain = [
            (round(PRICE_SCALE * prices[cell]), var)
            for cell, var in self.cells.items()
            if abs(prices.get(cell, 0.0)) > 1e-9
        ]
        worth = cp_model.LinearExpr.weighted_sum([var for _, var in gain], [g for g, _ in gain])
        own = cp_model.LinearExpr.affine(self.own, PRICE_SCALE, 0)
        self.rota.model.minimize(own - worth)
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


class DynamicPricer:
    """One person priced by dynamic programming (`schedule_dp`): exact, so every round is proved.

    If the counts the person needs outgrow the arrays, CP-SAT prices them from then on.
    """

    def __init__(self, problem: RotaProblem, e: int, dp: ScheduleDP) -> None:
        self.problem = problem
        self.e = e
        self.dp = dp
        self.cells = dp.cells
        self.fallback: StaffPricer | None = None

    def cost_of(self, cells: frozenset[Cell]) -> Column | None:
        cost = self.dp.cost_of(cells)
        return None if cost is None else Column(self.e, cells, cost)

    def price(
        self, prices: dict[Cell, float], time_limit: float, seed: int, deterministic: bool
    ) -> tuple[list[Column], float, bool, float]:
        if self.fallback is None:
            try:
                priced = self.dp.cheapest(prices)
            except TooManyStates:
                self.fallback = StaffPricer(self.problem, self.e)
            else:
                if priced is None:
                    return [], math.inf, False, 0.0
                # Cheapest last, as CP-SAT's collector finds them.
                found = [Column(self.e, cells, cost) for cells, cost in reversed(priced.schedules)]
                return found, priced.best, True, priced.work
        return self.fallback.price(prices, time_limit, seed, deterministic)


Pricer = StaffPricer | DynamicPricer


def pricer_for(problem: RotaProblem, e: int) -> Pricer:
    """Dynamic programming where the person's rules allow it and the states fit, else CP-SAT."""
    if dp_applies(problem, e):
        dp = ScheduleDP(problem, e)
        if dp.fits():
            return DynamicPricer(problem, e, dp)
    return StaffPricer(problem, e)


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
    """One cover requirement as a row of the master: the target and the cost of missing it."""

    target: int
    weight_under: int
    weight_over: int


@dataclass
class Cover:
    """The master's cover rows, and for each person which of their cells count towards which row."""

    rows: list[CoverRow]
    counts: list[dict[Cell, list[int]]]  # per staff index: cell -> row indexes

    def rows_of(self, col: Column) -> list[int]:
        counted = self.counts[col.staff]
        return [r for cell in col.cells for r in counted.get(cell, ())]


def cover_of(problem: RotaProblem) -> Cover:
    shift_index = {shift.id: s for s, shift in enumerate(problem.shift_types)}
    rows = []
    counts: list[dict[Cell, list[int]]] = [{} for _ in problem.staff]
    for r, req in enumerate(problem.cover):
        cell = (req.day, shift_index[req.shift_id])
        for e, member in enumerate(problem.staff):
            if req.skill is None or req.skill in member.skills:
                counts[e].setdefault(cell, []).append(r)
        rows.append(CoverRow(req.target, req.weight_under, req.weight_over))
    return Cover(rows, counts)


@dataclass
class MasterResult:
    value: float
    weights: dict[int, float]  # column index -> LP value
    duals: list[float]  # per cover row
    convexity: list[float]  # per staff index


class Master:
    """The linear master (GLOP), kept between rounds so new columns are simply added to it."""

    def __init__(self, cover: Cover, staff: int) -> None:
        lp = pywraplp.Solver.CreateSolver("GLOP")
        assert lp is not None
        self.lp = lp
        self.cover = cover
        self.objective = lp.Objective()
        self.objective.SetMinimization()
        self.one = [lp.Constraint(1, 1, f"one{e}") for e in range(staff)]
        self.rows = []
        for r, row in enumerate(cover.rows):
            con = lp.Constraint(row.target, row.target, f"c{r}")
            short = lp.NumVar(0, lp.infinity(), f"s{r}")
            over = lp.NumVar(0, lp.infinity(), f"o{r}")
            con.SetCoefficient(short, 1)
            con.SetCoefficient(over, -1)
            self.objective.SetCoefficient(short, row.weight_under)
            self.objective.SetCoefficient(over, row.weight_over)
            self.rows.append(con)
        self.columns: list[Column] = []
        self.lam: list[pywraplp.Variable] = []

    def add(self, col: Column) -> None:
        var = self.lp.NumVar(0, self.lp.infinity(), f"l{len(self.lam)}")
        self.one[col.staff].SetCoefficient(var, 1)
        self.objective.SetCoefficient(var, col.cost)
        for r in self.cover.rows_of(col):
            self.rows[r].SetCoefficient(var, self.rows[r].GetCoefficient(var) + 1)
        self.columns.append(col)
        self.lam.append(var)

    def fix(self, i: int, on: bool) -> None:
        """Make column i the only one its person may take (or free it again)."""
        self.lam[i].SetLb(1 if on else 0)

    def solve(self) -> MasterResult:
        status = self.lp.Solve()
        assert status == pywraplp.Solver.OPTIMAL, f"master LP status {status}"
        return MasterResult(
            value=self.objective.Value(),
            weights={
                i: v.solution_value() for i, v in enumerate(self.lam) if v.solution_value() > 1e-9
            },
            duals=[con.dual_value() for con in self.rows],
            convexity=[con.dual_value() for con in self.one],
        )


def rota_cost(cover: Cover, picked: list[Column]) -> int:
    """The whole rota's cost when each person works their column."""
    staffed = [0] * len(cover.rows)
    for col in picked:
        for r in cover.rows_of(col):
            staffed[r] += 1
    missing = sum(
        row.weight_under * max(0, row.target - n) + row.weight_over * max(0, n - row.target)
        for row, n in zip(cover.rows, staffed, strict=True)
    )
    return sum(col.cost for col in picked) + missing


def reduced_cost(cover: Cover, col: Column, result: MasterResult) -> float:
    """What the column would lower the master's value by per unit taken (negative pays)."""
    return col.cost - sum(result.duals[r] for r in cover.rows_of(col)) - result.convexity[col.staff]


def cell_prices(cover: Cover, e: int, duals: list[float]) -> dict[Cell, float]:
    """What each of a person's cells is worth to cover at these row prices."""
    prices = {}
    for cell, rows in cover.counts[e].items():
        value = sum(duals[r] for r in rows)
        if abs(value) > 1e-9:
            prices[cell] = value
    return prices


@dataclass
class Generated:
    """The columns priced so far, the master's last answer and the bound the root proved."""

    columns: list[Column]
    master: MasterResult
    lower_bound: int
    start: tuple[int, ...] = ()  # indexes of the columns of the rota the search started from
    generation: ColumnGeneration | None = dataclasses.field(default=None, repr=False)

    def dive(
        self, time_left: Callable[[], float], draw: random.Random | None = None
    ) -> list[Column]:
        """A rota by price and fix from the root's answer (`ColumnGeneration.dive`)."""
        assert self.generation is not None, "only a generated root can be dived from"
        with ThreadPoolExecutor(max_workers=self.generation.workers) as pool:
            picked = self.generation.dive(self.master, pool, time_left, draw)
        return [self.columns[i] for i in picked]


SMOOTHING = 0.5
"""Prices are a mix of the round's and the best-bound round's (Wentges), which stops them swinging."""


class ColumnGeneration:
    """The pricing loop at the root: the pricers, the master and the bound proved so far."""

    def __init__(
        self,
        problem: RotaProblem,
        spend: Callable[[float], None],
        workers: int,
        seed: int,
        deterministic: bool,
    ) -> None:
        self.problem = problem
        self.cover = cover_of(problem)
        self.pricers = [pricer_for(problem, e) for e in range(len(problem.staff))]
        self.master = Master(self.cover, len(problem.staff))
        self.spend = spend
        self.workers = workers
        self.seed = seed
        self.deterministic = deterministic
        self.seen: set[tuple[int, frozenset[Cell]]] = set()
        self.lower_bound = 0
        # Each priced cell was rounded by at most half a thousandth.
        self.rounding = sum(len(p.cells) for p in self.pricers) / (2 * PRICE_SCALE)

    def _price_all(
        self,
        staff: list[int],
        prices: list[dict[Cell, float]],
        limit: float,
        pool: ThreadPoolExecutor,
    ) -> list[tuple[list[Column], float, bool, float]]:
        def price(e: int) -> tuple[list[Column], float, bool, float]:
            return self.pricers[e].price(prices[e], limit, self.seed, self.deterministic)

        results = list(pool.map(price, staff))
        for *_, used in results:
            self.spend(used / self.workers)
        return results

    def start(self, pool: ThreadPoolExecutor, time_left: Callable[[], float]) -> MasterResult:
        """Everyone needs a schedule before the master has an answer: their cheapest unpriced."""
        covered = {col.staff for col in self.master.columns}
        staff = [e for e in range(len(self.pricers)) if e not in covered]
        unpriced: list[dict[Cell, float]] = [{} for _ in self.pricers]
        limit = max(0.05, min(2.0, time_left() / 4))
        found_all = self._price_all(staff, unpriced, limit, pool)
        for e, (found, *_) in zip(staff, found_all, strict=True):
            if not found:
                raise RotaInfeasible(
                    f"no schedule found in time for the rules of {self.problem.staff[e].id}"
                )
            self._add(found[-1])
        return self.master.solve()

    def seed_with(self, rota: tuple[Assignment, ...]) -> tuple[int, ...]:
        """A whole rota's schedules as the first columns; their indexes if every one was kept."""
        cells: dict[int, set[Cell]] = {}
        for e, d, s in cells_of(self.problem, rota):
            cells.setdefault(e, set()).add((d, s))
        if not rota:
            return ()
        for e, pricer in enumerate(self.pricers):
            col = pricer.cost_of(frozenset(cells.get(e, ())))
            if col is None or not self._add(col):
                return ()
        return tuple(range(len(self.pricers)))

    def _add_paying(self, found: list[Column], result: MasterResult) -> int:
        """Add the columns with a negative reduced cost at `result`'s prices; how many were new."""
        return sum(
            1 for col in found if reduced_cost(self.cover, col, result) < -1e-6 and self._add(col)
        )

    def _add(self, col: Column) -> bool:
        if (col.staff, col.cells) in self.seen:
            return False
        self.seen.add((col.staff, col.cells))
        self.master.add(col)
        return True

    def price_out(
        self,
        result: MasterResult,
        pool: ThreadPoolExecutor,
        time_left: Callable[[], float],
        patience: Callable[[], float],
    ) -> MasterResult:
        """Rounds of pricing until no schedule pays or time runs out; if no bound has been proved
        when `patience` runs out, the rota is too big to price in time and the loop gives up."""
        staff = list(range(len(self.pricers)))
        best_bound = -math.inf
        centre: list[float] | None = None
        alpha = SMOOTHING
        while staff:
            left = time_left()
            if left <= 0 or (self.lower_bound == 0 and patience() <= 0):
                break
            duals = result.duals
            if centre is not None and alpha > 0:
                duals = [alpha * c + (1 - alpha) * d for c, d in zip(centre, duals, strict=True)]
            prices = [
                cell_prices(self.cover, e, duals) if e in staff else {}
                for e in range(len(self.pricers))
            ]
            results = self._price_all(staff, prices, max(0.05, min(2.0, left / 2)), pool)
            added = 0
            all_proved = True
            lagrangian = sum(d * row.target for d, row in zip(duals, self.cover.rows, strict=True))
            for found, best, proved, _ in results:
                all_proved &= proved
                lagrangian += best
                added += self._add_paying(found, result)
            if all_proved and lagrangian - self.rounding > best_bound:
                best_bound = lagrangian - self.rounding
                centre = duals
                self.lower_bound = max(self.lower_bound, math.ceil(best_bound - 1e-6))
            if added == 0:
                if alpha == 0 or centre is None:
                    break
                alpha = 0.0  # a mispriced round: price at the master's own prices once
                continue
            alpha = SMOOTHING
            result = self.master.solve()
            if self.lower_bound >= math.ceil(result.value - 1e-6):
                break  # the bound meets the linear optimum: nothing left to price
        return result

    def dive(
        self,
        result: MasterResult,
        pool: ThreadPoolExecutor,
        time_left: Callable[[], float],
        draw: random.Random | None = None,
    ) -> tuple[int, ...]:
        """Price and fix: a rota from the linear answer, one person's schedule fixed at a time.

        Each step fixes everyone whose schedule the linear answer already takes whole (else the
        one it takes most; with a `draw`, one of those it takes nearly as much, at random) and
        prices the others again, so they fit round the fixed. When time runs out everyone left
        takes their heaviest column. Returns the rota's column indexes; the master is freed
        again after.
        """
        fixed: dict[int, int] = {}
        staff = len(self.pricers)
        tolerance = max(1.0, DIVE_TOLERANCE * result.value)
        while len(fixed) < staff:
            heaviest: dict[int, tuple[float, int]] = {}
            for i, weight in result.weights.items():
                e = self.master.columns[i].staff
                if e not in fixed and (e not in heaviest or weight > heaviest[e][0]):
                    heaviest[e] = (weight, i)
            if time_left() <= 0:
                fixed.update((e, i) for e, (_, i) in heaviest.items())
                break
            whole = {e: i for e, (weight, i) in heaviest.items() if weight > DIVE_WHOLE}
            if not whole:
                e, (most, i) = max(heaviest.items(), key=lambda item: (item[1][0], -item[0]))
                if draw is not None:
                    near = sorted(e for e, (w, _) in heaviest.items() if w >= DIVE_NEAR * most)
                    e = draw.choice(near)
                    i = heaviest[e][1]
                whole = {e: i}
            for e, i in whole.items():
                fixed[e] = i
                self.master.fix(i, True)
            result = self._settle(result.value, fixed, pool, time_left, tolerance)
        for i in fixed.values():
            self.master.fix(i, False)
        return tuple(sorted(fixed.values()))

    def _settle(
        self,
        value: float,
        fixed: dict[int, int],
        pool: ThreadPoolExecutor,
        time_left: Callable[[], float],
        tolerance: float,
    ) -> MasterResult:
        """The master after a fixing, the people still free priced again until no round could
        lower it by more than `tolerance` (none if the fixing left its `value` as it was)."""
        result = self.master.solve()
        if result.value <= value + 1e-6:
            return result
        free = [e for e in range(len(self.pricers)) if e not in fixed]
        for _ in range(DIVE_ROUNDS):
            if not free or time_left() <= 0:
                break
            gain = self._reprice(free, result, pool, time_left)
            if gain == 0.0:
                break
            result = self.master.solve()
            if gain > -tolerance:
                break
        return result

    def _reprice(
        self,
        staff: list[int],
        result: MasterResult,
        pool: ThreadPoolExecutor,
        time_left: Callable[[], float],
    ) -> float:
        """One round of pricing at the master's own prices: how much the columns it added could
        at most lower the linear optimum (the sum of the best reduced costs; 0 if none added)."""
        prices = [
            cell_prices(self.cover, e, result.duals) if e in staff else {}
            for e in range(len(self.pricers))
        ]
        added = 0
        gain = 0.0
        found_all = self._price_all(staff, prices, max(0.05, min(2.0, time_left() / 2)), pool)
        for e, (found, best, *_) in zip(staff, found_all, strict=True):
            gain += min(0.0, best - result.convexity[e])
            added += self._add_paying(found, result)
        return gain if added else 0.0


DIVE_WHOLE = 0.99
"""A column the linear answer takes at least this much of is taken whole by the dive."""

DIVE_NEAR = 0.75
"""A drawn dive chooses among the columns taken at least this share of the heaviest's weight."""

DIVE_TOLERANCE = 0.0025
"""The dive prices again after a fixing until a round could lower the linear optimum by less
than this share of it (pricing tails off: measured on Instance8, 1296.6 to 1297 took 20 rounds)."""

DIVE_ROUNDS = 20
"""At most this many pricing rounds after each fixing in the dive: pricing tails off."""


def generate_columns(
    problem: RotaProblem,
    time_left: Callable[[], float],
    spend: Callable[[float], None],
    workers: int,
    seed: int,
    deterministic: bool,
    start: tuple[Assignment, ...] = (),
    patience: Callable[[], float] | None = None,
) -> Generated:
    """Price at the root until no schedule has a negative reduced cost or time runs out.

    `start` is a whole rota (a quick first one) whose schedules join the columns, so the
    integer master can never do worse than it.
    """
    generation = ColumnGeneration(problem, spend, workers, seed, deterministic)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        first = generation.seed_with(start)
        result = generation.start(pool, time_left)
        result = generation.price_out(result, pool, time_left, patience or time_left)
    return Generated(generation.master.columns, result, generation.lower_bound, first, generation)


KEPT_PER_PERSON = 30
"""The integer master keeps each person's columns of least reduced cost (measured on Instance12:
with all 6,000 columns CP-SAT found no rota in 9 s)."""


def _kept_columns(generated: Generated, cover: Cover, start: set[int]) -> list[int]:
    """Columns the integer master chooses from: each person's cheapest at the final prices, the
    ones the linear answer uses and the starting rota's."""
    by_staff: dict[int, list[tuple[float, int]]] = {}
    for i, col in enumerate(generated.columns):
        reduced = reduced_cost(cover, col, generated.master)
        by_staff.setdefault(col.staff, []).append((reduced, i))
    kept = set(start) | set(generated.master.weights)
    for ranked in by_staff.values():
        kept.update(i for _, i in sorted(ranked)[:KEPT_PER_PERSON])
    return sorted(kept)


def choose_columns(
    problem: RotaProblem,
    generated: Generated,
    time_limit: float,
    workers: int,
    seed: int,
    deterministic: bool,
) -> tuple[list[Column], int]:
    """The integer master: one column per person, cover costed exactly, solved by CP-SAT.

    It starts from the cheaper of the first rota and the columns the linear answer uses most,
    and returns that start if CP-SAT finds nothing better in the time.
    """
    cover = cover_of(problem)
    best: dict[int, tuple[float, int]] = {}
    for i, weight in generated.master.weights.items():
        e = generated.columns[i].staff
        if e not in best or weight > best[e][0]:
            best[e] = (weight, i)
    starts = [sorted(i for _, i in best.values())]
    if generated.start:
        starts.append(list(generated.start))
    start = set(min(starts, key=lambda s: rota_cost(cover, [generated.columns[i] for i in s])))
    start_cols = [generated.columns[i] for i in sorted(start)]
    kept = _kept_columns(generated, cover, start)
    model = cp_model.CpModel()
    chosen = {i: model.new_bool_var(f"y{i}") for i in kept}
    by_staff: dict[int, list[int]] = {}
    on_row: list[list[cp_model.IntVar]] = [[] for _ in cover.rows]
    for i in kept:
        col = generated.columns[i]
        by_staff.setdefault(col.staff, []).append(i)
        for r in cover.rows_of(col):
            on_row[r].append(chosen[i])
    for indexes in by_staff.values():
        model.add_exactly_one(chosen[i] for i in indexes)
    objective = [generated.columns[i].cost * var for i, var in chosen.items()]
    for r, row in enumerate(cover.rows):
        short = model.new_int_var(0, row.target, f"short{r}")
        over = model.new_int_var(0, max(0, len(by_staff)), f"over{r}")
        model.add(sum(on_row[r]) + short - over == row.target)
        objective.append(row.weight_under * short + row.weight_over * over)
    model.minimize(sum(objective))
    for i, var in chosen.items():
        model.add_hint(var, i in start)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if deterministic:
        solver.parameters.max_deterministic_time = time_limit
    else:
        solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start_cols, rota_cost(cover, start_cols)
    picked = [generated.columns[i] for i, var in chosen.items() if solver.boolean_value(var)]
    return picked, int(round(solver.objective_value))


def assignments_of(problem: RotaProblem, picked: list[Column]) -> tuple[Assignment, ...]:
    return tuple(
        sorted(
            Assignment(problem.staff[col.staff].id, d, problem.shift_types[s].id)
            for col in picked
            for d, s in col.cells
        )
    )
