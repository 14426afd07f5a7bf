"""An independent scorer for Curtois rosters: checks every hard rule and computes the objective.

It reads the instance directly and shares no code with the CP-SAT model, so it can judge our
solver, the peer's answer or a roster typed by hand. A roster maps each employee ID to a list with
one entry per day: a shift ID, or "" for a day off.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpcn.rostering.engine.curtois.instance import CurtoisInstance

Roster = dict[str, list[str]]


@dataclass(frozen=True)
class Score:
    """`violations` lists every broken hard rule in words; `objective` is the soft penalty sum."""

    objective: int
    violations: tuple[str, ...]
    shift_on: int
    shift_off: int
    cover_under: int
    cover_over: int

    @property
    def feasible(self) -> bool:
        return not self.violations


def _runs(worked: list[bool], value: bool) -> list[tuple[int, int]]:
    """(first day, length) of every maximal run of days equal to `value`."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for day, flag in enumerate([*worked, not value]):
        if flag == value and start is None:
            start = day
        elif flag != value and start is not None:
            runs.append((start, day - start))
            start = None
    return runs


def score_roster(instance: CurtoisInstance, roster: Roster) -> Score:
    horizon = instance.horizon
    shifts = {shift.id: shift for shift in instance.shifts}
    violations: list[str] = []

    for employee in instance.employees:
        if employee.id not in roster:
            violations.append(f"employee {employee.id} is missing from the roster")
    for employee_id, days in roster.items():
        if employee_id not in {e.id for e in instance.employees}:
            violations.append(f"unknown employee {employee_id}")
        if len(days) != horizon:
            violations.append(f"{employee_id}: {len(days)} days given, horizon is {horizon}")
        for day, shift in enumerate(days):
            if shift and shift not in shifts:
                violations.append(f"{employee_id} day {day}: unknown shift {shift!r}")
    if violations:
        return Score(0, tuple(violations), 0, 0, 0, 0)

    days_off = set(instance.days_off)
    for employee in instance.employees:
        days = roster[employee.id]
        worked = [bool(shift) for shift in days]
        who = employee.id
        # Rule 2: forbidden successions.
        for day in range(horizon - 1):
            if days[day] and days[day + 1] in shifts[days[day]].cannot_follow:
                violations.append(
                    f"{who}: {days[day + 1]} on day {day + 1} may not follow "
                    f"{days[day]} on day {day}"
                )
        # Rule 3: per-shift maxima (a shift missing from the list is unlimited).
        maxima = dict(employee.max_shifts)
        for shift_id, limit in maxima.items():
            count = days.count(shift_id)
            if count > limit:
                violations.append(f"{who}: {count} {shift_id} shifts, maximum {limit}")
        # Rule 4: total minutes.
        minutes = sum(shifts[shift].minutes for shift in days if shift)
        if not employee.min_minutes <= minutes <= employee.max_minutes:
            violations.append(
                f"{who}: {minutes} minutes, allowed {employee.min_minutes}–{employee.max_minutes}"
            )
        # Rules 5 and 6: run lengths; minima skip runs touching the first or last day.
        for start, length in _runs(worked, True):
            if length > employee.max_consecutive:
                violations.append(
                    f"{who}: {length} working days in a row from day {start}, "
                    f"maximum {employee.max_consecutive}"
                )
            interior = start > 0 and start + length < horizon
            if interior and length < employee.min_consecutive:
                violations.append(
                    f"{who}: {length} working days in a row from day {start}, "
                    f"minimum {employee.min_consecutive}"
                )
        for start, length in _runs(worked, False):
            interior = start > 0 and start + length < horizon
            if interior and length < employee.min_consecutive_off:
                violations.append(
                    f"{who}: {length} days off in a row from day {start}, "
                    f"minimum {employee.min_consecutive_off}"
                )
        # Rule 7: weekends (days 5 and 6 of each week).
        weekends = sum(
            1
            for saturday in range(5, horizon, 7)
            if worked[saturday] or (saturday + 1 < horizon and worked[saturday + 1])
        )
        if weekends > employee.max_weekends:
            violations.append(f"{who}: {weekends} weekends worked, maximum {employee.max_weekends}")
        # Rule 8: days off.
        for day in range(horizon):
            if worked[day] and (who, day) in days_off:
                violations.append(f"{who}: works day {day}, which is a day off")

    shift_on = sum(r.weight for r in instance.shift_on if roster[r.employee][r.day] != r.shift)
    shift_off = sum(r.weight for r in instance.shift_off if roster[r.employee][r.day] == r.shift)
    under = over = 0
    for cover in instance.cover:
        count = sum(1 for days in roster.values() if days[cover.day] == cover.shift)
        under += cover.weight_under * max(0, cover.requirement - count)
        over += cover.weight_over * max(0, count - cover.requirement)
    return Score(
        shift_on + shift_off + under + over, tuple(violations), shift_on, shift_off, under, over
    )
