"""The rota rules, one function each: `add_<rule>(model, work, problem) -> list[PenaltyTerm]`.

Hard rules add constraints and return no terms. Soft rules add whatever helper variables they need
and return `PenaltyTerm`s: a weight, an amount the solver minimises, and a way to say in words what
a non-zero amount means. `HARD_RULES` and `SOFT_RULES` list them in the order the solver adds them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from openpcn.rostering.engine.problem import WEEKDAY_NAMES, RotaProblem
from openpcn.rostering.engine.variables import RotaVariables


@dataclass(frozen=True)
class PenaltyTerm:
    """A soft cost in the model: `weight * amount`, explained in `words` when non-zero.

    `words` may use {n} (the amount), {more} (amount + 1, for "works at 2 sites") and {s} (a
    plural ending). Names put into it go through `_literal` so braces in them stay as typed.
    """

    rule: str
    weight: int
    amount: cp_model.LinearExprT
    words: str

    def describe(self, amount: int) -> str:
        return self.words.format(n=amount, more=amount + 1, s="" if amount == 1 else "s")


Rule = Callable[[cp_model.CpModel, RotaVariables, RotaProblem], list[PenaltyTerm]]


def _literal(text: str) -> str:
    """Escape a name for use inside `PenaltyTerm.words`."""
    return text.replace("{", "{{").replace("}", "}}")


# --- hard rules ---------------------------------------------------------------------------------


def add_one_shift_at_a_time(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """Nobody works two overlapping shifts on one day (untimed shifts overlap everything)."""
    types = problem.shift_types
    for cell in work.shifts.values():
        clashes = [
            (a, b)
            for i, (s, a) in enumerate(cell)
            for t, b in cell[i + 1 :]
            if types[s].overlaps(types[t])
        ]
        if len(clashes) == len(cell) * (len(cell) - 1) // 2:
            model.add_at_most_one(var for _, var in cell)
            continue
        for a, b in clashes:
            model.add_bool_or([a.Not(), b.Not()])
    return []


def add_unavailable_days(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """Leave, non-working days and Curtois days off: no shift at all that day."""
    for e, member in enumerate(problem.staff):
        for day in member.unavailable_days:
            works = work.work(e, day)
            if works is not None:
                model.add(works == 0)
    return []


def add_locked_assignments(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """Cells the planner has fixed (already published or agreed) stay exactly as they are."""
    shift_index = {shift.id: s for s, shift in enumerate(problem.shift_types)}
    staff_index = {member.id: e for e, member in enumerate(problem.staff)}
    for lock in problem.locked:
        e = staff_index[lock.staff_id]
        if lock.shift_id is None:
            works = work.work(e, lock.day)
            if works is not None:
                model.add(works == 0)
            continue
        var = work.get(e, lock.day, shift_index[lock.shift_id])
        if var is None:
            raise ValueError(
                f"{lock.staff_id} cannot be locked onto {lock.shift_id} on day {lock.day}: "
                "their skills, sites or limits rule that shift out"
            )
        model.add(var == 1)
    return []


def add_forbidden_successions(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """Listed 'may not follow' pairs and too little rest (e.g. 11 hours) between days."""
    forbidden = {
        (s, t)
        for s, first in enumerate(problem.shift_types)
        for t, second in enumerate(problem.shift_types)
        if problem.must_not_follow(first, second)
    }
    if not forbidden:
        return []
    for (e, d), cell in work.shifts.items():
        following = work.shifts.get((e, d + 1), [])
        for s, var in cell:
            for t, other in following:
                if (s, t) in forbidden:
                    model.add_bool_or([var.Not(), other.Not()])
    return []


def add_max_shifts_per_type(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """Per staff member, at most the contracted number of each shift type."""
    for e, member in enumerate(problem.staff):
        for s, shift in enumerate(problem.shift_types):
            limit = member.max_count(shift.id)
            if limit is None:
                continue
            used = [v for d in range(len(problem.days)) if (v := work.get(e, d, s)) is not None]
            if len(used) > limit:
                model.add(sum(used) <= limit)
    return []


def _minutes_worked(work: RotaVariables, problem: RotaProblem, e: int) -> cp_model.LinearExprT:
    return sum(
        problem.shift_types[s].minutes * var
        for d in range(len(problem.days))
        for s, var in work.shifts.get((e, d), [])
    )


def add_total_minutes(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """Contracted minimum and maximum minutes over the whole rota period."""
    for e, member in enumerate(problem.staff):
        minutes = _minutes_worked(work, problem, e)
        if member.min_minutes > 0:
            model.add(minutes >= member.min_minutes)
        if member.max_minutes is not None:
            model.add(minutes <= member.max_minutes)
    return []


def add_average_weekly_hours(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """Working Time Regulations: at most 48 hours a week on average over the period."""
    if problem.max_average_weekly_minutes is None:
        return []
    limit = problem.max_average_weekly_minutes * len(problem.days) // 7
    for e in range(len(problem.staff)):
        model.add(_minutes_worked(work, problem, e) <= limit)
    return []


def add_max_consecutive_days(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """Every window of max+1 days holds a day off, so no run is longer than the maximum."""
    horizon = len(problem.days)
    for e, member in enumerate(problem.staff):
        limit = member.max_consecutive_days
        if limit is None or limit >= horizon:
            continue
        for start in range(horizon - limit):
            window = [
                v for d in range(start, start + limit + 1) if (v := work.work(e, d)) is not None
            ]
            if len(window) > limit:
                model.add(sum(window) <= limit)
    return []


def _min_run(
    model: cp_model.CpModel,
    problem: RotaProblem,
    work: RotaVariables,
    e: int,
    length: int,
    working: bool,
) -> None:
    """A run of days with `works == working` that starts on day d lasts at least `length` days.

    Runs touching the first or last day are exempt unless `problem.min_runs_at_edges`. Each rule
    is the clause "not a start on `start`, or `day` continues the run", written linearly.
    """
    horizon = len(problem.days)

    def holds(day: int) -> cp_model.LinearExprT:
        """1 when the day is in the kind of run we look at (working, or off)."""
        works = work.work(e, day)
        # A cell without variables is a day that cannot be worked.
        if works is None:
            works = 0
        return works if working else 1 - works

    def add_clause(terms: list[cp_model.LinearExprT]) -> None:
        clause = sum(terms) >= 1
        if isinstance(clause, bool):
            if not clause:
                model.add_bool_or([])
            return
        model.add(clause)

    first_start = 0 if problem.min_runs_at_edges else 1
    for start in range(first_start, horizon):
        # The run starts on `start` when `start` holds and `start - 1` does not.
        not_a_start: list[cp_model.LinearExprT] = [1 - holds(start)]
        if start > 0:
            not_a_start.append(holds(start - 1))
        for offset in range(1, length):
            day = start + offset
            if day >= horizon:
                if problem.min_runs_at_edges:
                    # A run that starts here would be cut short by the end of the period.
                    add_clause(not_a_start)
                break
            add_clause([*not_a_start, holds(day)])


def add_min_consecutive_days(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """Runs of working days are at least the minimum long (no isolated single days)."""
    for e, member in enumerate(problem.staff):
        if member.min_consecutive_days > 1:
            _min_run(model, problem, work, e, member.min_consecutive_days, True)
    return []


def add_min_consecutive_days_off(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """Runs of days off are at least the minimum long, so a break is a real break."""
    for e, member in enumerate(problem.staff):
        if member.min_consecutive_days_off > 1:
            _min_run(
                model,
                problem,
                work,
                e,
                member.min_consecutive_days_off,
                False,
            )
    return []


def add_max_weekends(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """A weekend counts as worked if any of its days is; at most the contracted number."""
    weekends = problem.weekends()
    for e, member in enumerate(problem.staff):
        if member.max_weekends is None or member.max_weekends >= len(weekends):
            continue
        worked = []
        for days in weekends:
            cells = [v for d in days if (v := work.work(e, d)) is not None]
            if not cells:
                continue
            weekend = model.new_bool_var(f"weekend[{member.id},{days[0]}]")
            for cell in cells:
                model.add(weekend >= cell)
            worked.append(weekend)
        if len(worked) > member.max_weekends:
            model.add(sum(worked) <= member.max_weekends)
    return []


HARD_RULES: tuple[Rule, ...] = (
    add_one_shift_at_a_time,
    add_unavailable_days,
    add_locked_assignments,
    add_forbidden_successions,
    add_max_shifts_per_type,
    add_total_minutes,
    add_average_weekly_hours,
    add_max_consecutive_days,
    add_min_consecutive_days,
    add_min_consecutive_days_off,
    add_max_weekends,
)


# --- soft rules ---------------------------------------------------------------------------------


def _cover_where(problem: RotaProblem, shift_id: str, day: int) -> str:
    shift = problem.shift(shift_id)
    where = f" at {shift.site}" if shift.site else ""
    return _literal(f"{problem.days[day].label} {shift.name}{where}")


def add_cover(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """Each session needs its target head-count (of a skill); short and over are both costed."""
    shift_index = {shift.id: s for s, shift in enumerate(problem.shift_types)}
    terms: list[PenaltyTerm] = []
    for req in problem.cover:
        s = shift_index[req.shift_id]
        on_shift = [
            var
            for e, member in enumerate(problem.staff)
            if req.skill is None or req.skill in member.skills
            if (var := work.get(e, req.day, s)) is not None
        ]
        where = _cover_where(problem, req.shift_id, req.day)
        # "1 GP short", "2 GPs short"; without a skill just "2 short".
        who = f" {_literal(req.skill)}{{s}}" if req.skill else ""
        short = model.new_int_var(0, req.target, f"short[{req.day},{req.shift_id},{req.skill}]")
        over = model.new_int_var(0, max(0, len(on_shift) - req.target), f"over[{req.day},{s}]")
        model.add(sum(on_shift) + short - over == req.target)
        # Short and over may both be non-zero during search; the solver settles them afterwards.
        terms.append(
            PenaltyTerm(
                "cover short",
                req.weight_under,
                short,
                f"{where}: {{n}}{who} short",
            )
        )
        if req.weight_over > 0:
            terms.append(
                PenaltyTerm(
                    "cover over",
                    req.weight_over,
                    over,
                    f"{where}: {{n}}{who} over",
                )
            )
    return terms


def add_shift_on_requests(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """A staff member who asked to work a shift and is not given it."""
    shift_index = {shift.id: s for s, shift in enumerate(problem.shift_types)}
    terms: list[PenaltyTerm] = []
    for e, member in enumerate(problem.staff):
        for req in member.shift_on_requests:
            var = work.get(e, req.day, shift_index[req.shift_id])
            amount: cp_model.LinearExprT = 1 if var is None else 1 - var
            text = (
                f"{member.display_name} asked to work {problem.shift(req.shift_id).name} "
                f"on {problem.days[req.day].label} and is not rostered"
            )
            terms.append(PenaltyTerm("shift-on request", req.weight, amount, _literal(text)))
    return terms


def add_shift_off_requests(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """A staff member who asked not to work a shift and is rostered on it."""
    shift_index = {shift.id: s for s, shift in enumerate(problem.shift_types)}
    terms: list[PenaltyTerm] = []
    for e, member in enumerate(problem.staff):
        for req in member.shift_off_requests:
            var = work.get(e, req.day, shift_index[req.shift_id])
            if var is None:
                continue
            text = (
                f"{member.display_name} asked not to work {problem.shift(req.shift_id).name} "
                f"on {problem.days[req.day].label} and is rostered"
            )
            terms.append(PenaltyTerm("shift-off request", req.weight, var, _literal(text)))
    return terms


def add_unsocial_fairness(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """Evenings and Saturdays spread fairly: each session above a fair share is costed."""
    weight = problem.weights.unsocial_fairness
    unsocial = {s for s, shift in enumerate(problem.shift_types) if shift.unsocial}
    if weight == 0 or not unsocial:
        return []
    counts: dict[int, list[cp_model.IntVar]] = {}
    for (e, _), cell in work.shifts.items():
        counts.setdefault(e, []).extend(var for s, var in cell if s in unsocial)
    eligible = {e: vars_ for e, vars_ in counts.items() if vars_}
    demand = sum(req.target for req in problem.cover if problem.shift(req.shift_id).unsocial)
    if not eligible or demand == 0:
        return []
    fair_share = math.ceil(demand / len(eligible))
    terms: list[PenaltyTerm] = []
    for e, sessions in eligible.items():
        if len(sessions) <= fair_share:
            continue
        above = model.new_int_var(0, len(sessions) - fair_share, f"unsocial_above[{e}]")
        model.add_max_equality(above, [sum(sessions) - fair_share, 0])
        name = _literal(problem.staff[e].display_name)
        terms.append(
            PenaltyTerm(
                "unsocial fairness",
                weight,
                above,
                f"{name}: {{n}} unsocial session{{s}} above a fair share of {fair_share}",
            )
        )
    return terms


def _site_flags(
    model: cp_model.CpModel,
    problem: RotaProblem,
    vars_by_site: dict[str, list[cp_model.IntVar]],
    label: str,
) -> list[cp_model.IntVar]:
    flags = []
    for site, site_vars in sorted(vars_by_site.items()):
        flag = model.new_bool_var(f"{label}[{site}]")
        for var in site_vars:
            model.add_implication(var, flag)
        # The flag is exactly "works at this site", so the count of sites is exact.
        model.add_bool_or(site_vars).only_enforce_if(flag)
        flags.append(flag)
    return flags


def add_two_sites_one_day(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """Travelling between sites within a day wastes clinical time."""
    weight = problem.weights.two_sites_one_day
    if weight == 0:
        return []
    terms: list[PenaltyTerm] = []
    for (e, d), cell in work.shifts.items():
        by_site: dict[str, list[cp_model.IntVar]] = {}
        for s, var in cell:
            site = problem.shift_types[s].site
            if site is not None:
                by_site.setdefault(site, []).append(var)
        if len(by_site) < 2:
            continue
        flags = _site_flags(model, problem, by_site, f"site_day[{e},{d}]")
        extra = model.new_int_var(0, len(flags) - 1, f"extra_sites[{e},{d}]")
        model.add_max_equality(extra, [sum(flags) - 1, 0])
        name, day = _literal(problem.staff[e].display_name), problem.days[d].label
        terms.append(
            PenaltyTerm(
                "two sites in a day",
                weight,
                extra,
                f"{name} works at {{more}} sites on {day}",
            )
        )
    return terms


def add_site_continuity(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """Patients and teams prefer the same clinician at the same site on the same weekday."""
    weight = problem.weights.site_continuity
    if weight == 0:
        return []
    by_weekday: dict[tuple[int, int], dict[str, list[cp_model.IntVar]]] = {}
    for (e, d), cell in work.shifts.items():
        for s, var in cell:
            site = problem.shift_types[s].site
            if site is not None:
                key = (e, problem.days[d].weekday)
                by_weekday.setdefault(key, {}).setdefault(site, []).append(var)
    terms: list[PenaltyTerm] = []
    for (e, weekday), by_site in sorted(by_weekday.items()):
        if len(by_site) < 2:
            continue
        flags = _site_flags(model, problem, by_site, f"site_weekday[{e},{weekday}]")
        extra = model.new_int_var(0, len(flags) - 1, f"extra_weekday_sites[{e},{weekday}]")
        model.add_max_equality(extra, [sum(flags) - 1, 0])
        name = _literal(problem.staff[e].display_name)
        terms.append(
            PenaltyTerm(
                "site continuity",
                weight,
                extra,
                f"{name} works {WEEKDAY_NAMES[weekday]}s at {{more}} different sites",
            )
        )
    return terms


def add_changes_from_published(
    model: cp_model.CpModel, work: RotaVariables, problem: RotaProblem
) -> list[PenaltyTerm]:
    """Repair: every cell that differs from the published rota costs a change."""
    weight = problem.weights.change_from_published
    if weight == 0 or not problem.published:
        return []
    shift_index = {shift.id: s for s, shift in enumerate(problem.shift_types)}
    staff_index = {member.id: e for e, member in enumerate(problem.staff)}
    published = {
        (staff_index[sid], day, shift_index[shift]) for sid, day, shift in problem.published
    }
    touched = {(e, d) for e, d, _ in published}
    terms: list[PenaltyTerm] = []
    for (e, d), cell in sorted(work.shifts.items()):
        if (e, d) not in touched:
            continue
        name, day = _literal(problem.staff[e].display_name), problem.days[d].label
        for s, var in cell:
            shift = _literal(problem.shift_types[s].name)
            if (e, d, s) in published:
                terms.append(
                    PenaltyTerm(
                        "change to published rota",
                        weight,
                        1 - var,
                        f"{name} taken off {shift} on {day}",
                    )
                )
    for e, d, s in sorted(published):
        if work.get(e, d, s) is None:
            name, day = _literal(problem.staff[e].display_name), problem.days[d].label
            shift = _literal(problem.shift_types[s].name)
            terms.append(
                PenaltyTerm(
                    "change to published rota",
                    weight,
                    1,
                    f"{name} taken off {shift} on {day}",
                )
            )
    for (e, d), cell in sorted(work.shifts.items()):
        name, day = _literal(problem.staff[e].display_name), problem.days[d].label
        for s, var in cell:
            if (e, d, s) not in published:
                shift = _literal(problem.shift_types[s].name)
                terms.append(
                    PenaltyTerm(
                        "change to published rota",
                        weight,
                        var,
                        f"{name} newly put on {shift} on {day}",
                    )
                )
    return terms


SOFT_RULES: tuple[Rule, ...] = (
    add_cover,
    add_shift_on_requests,
    add_shift_off_requests,
    add_unsocial_fairness,
    add_two_sites_one_day,
    add_site_continuity,
    add_changes_from_published,
)
