"""Maps a Curtois instance onto the general `RotaProblem`, and solutions back to Curtois rosters.

Curtois shifts have no start time, so every pair overlaps and each employee works at most one
shift a day; the minimum run lengths follow the benchmark's boundary convention.
"""

from __future__ import annotations

from openpcn.rostering.engine.curtois.instance import CurtoisInstance
from openpcn.rostering.engine.problem import (
    CoverRequirement,
    RotaProblem,
    ShiftRequest,
    ShiftType,
    StaffMember,
    weeks_of,
)
from openpcn.rostering.engine.solution import Assignment

Roster = dict[str, list[str]]


def to_rota_problem(instance: CurtoisInstance) -> RotaProblem:
    days_off: dict[str, set[int]] = {}
    for employee_id, day in instance.days_off:
        days_off.setdefault(employee_id, set()).add(day)

    def requests(employee_id: str, on: bool) -> tuple[ShiftRequest, ...]:
        source = instance.shift_on if on else instance.shift_off
        return tuple(
            ShiftRequest(r.day, r.shift, r.weight) for r in source if r.employee == employee_id
        )

    staff = tuple(
        StaffMember(
            id=e.id,
            max_shifts=e.max_shifts,
            min_minutes=e.min_minutes,
            max_minutes=e.max_minutes,
            min_consecutive_days=e.min_consecutive,
            max_consecutive_days=e.max_consecutive,
            min_consecutive_days_off=e.min_consecutive_off,
            max_weekends=e.max_weekends,
            unavailable_days=frozenset(days_off.get(e.id, ())),
            shift_on_requests=requests(e.id, on=True),
            shift_off_requests=requests(e.id, on=False),
        )
        for e in instance.employees
    )
    return RotaProblem(
        name=instance.name,
        days=weeks_of(instance.horizon),
        shift_types=tuple(
            ShiftType(id=s.id, minutes=s.minutes, not_followed_by=frozenset(s.cannot_follow))
            for s in instance.shifts
        ),
        staff=staff,
        cover=tuple(
            CoverRequirement(c.day, c.shift, c.requirement, c.weight_under, c.weight_over)
            for c in instance.cover
        ),
        min_runs_at_edges=False,
    )


def to_roster(instance: CurtoisInstance, assignments: tuple[Assignment, ...]) -> Roster:
    roster: Roster = {e.id: [""] * instance.horizon for e in instance.employees}
    for a in assignments:
        roster[a.staff_id][a.day] = a.shift_id
    return roster


def from_roster(roster: Roster) -> list[Assignment]:
    return [
        Assignment(employee_id, day, shift)
        for employee_id, days in roster.items()
        for day, shift in enumerate(days)
        if shift
    ]
