"""A quick greedy rota, used as CP-SAT's starting hint.

Sessions are filled day by day, each by the eligible staff member furthest below their contracted
minimum, while the greedy keeps the simple hard rules (one session at a time, leave, rest between
days, per-shift and total maxima, longest run, weekends). It ignores minimum run lengths and may
leave people under their minimum, so it is only a hint; CP-SAT repairs and improves it.
"""

from __future__ import annotations

from openpcn.rostering.engine.problem import RotaProblem
from openpcn.rostering.engine.solution import Assignment


def greedy_rota(problem: RotaProblem) -> list[Assignment]:
    horizon = len(problem.days)
    shifts = {shift.id: shift for shift in problem.shift_types}
    weekend_of = {day: w for w, days in enumerate(problem.weekends()) for day in days}
    rota: dict[tuple[int, int], list[str]] = {}
    minutes = [0] * len(problem.staff)
    counts: list[dict[str, int]] = [{} for _ in problem.staff]
    weekends: list[set[int]] = [set() for _ in problem.staff]
    locked_off = {(lock.staff_id, lock.day) for lock in problem.locked if lock.shift_id is None}

    def works(e: int, day: int) -> bool:
        return bool(rota.get((e, day)))

    def run_through(e: int, day: int) -> int:
        """Length of the working run that day would join."""
        before = 0
        while day - before - 1 >= 0 and works(e, day - before - 1):
            before += 1
        after = 0
        while day + after + 1 < horizon and works(e, day + after + 1):
            after += 1
        return before + 1 + after

    def allowed(e: int, day: int, shift_id: str) -> bool:
        member, shift = problem.staff[e], shifts[shift_id]
        if not member.can_work(shift) or day in member.unavailable_days:
            return False
        if (member.id, day) in locked_off:
            return False
        today = rota.get((e, day), [])
        if any(shifts[other].overlaps(shift) for other in today):
            return False
        if any(problem.must_not_follow(shifts[prev], shift) for prev in rota.get((e, day - 1), [])):
            return False
        if any(problem.must_not_follow(shift, shifts[nxt]) for nxt in rota.get((e, day + 1), [])):
            return False
        limit = member.max_count(shift_id)
        if limit is not None and counts[e].get(shift_id, 0) >= limit:
            return False
        cap = member.max_minutes
        if problem.max_average_weekly_minutes is not None:
            weekly_cap = problem.max_average_weekly_minutes * horizon // 7
            cap = weekly_cap if cap is None else min(cap, weekly_cap)
        if cap is not None and minutes[e] + shift.minutes > cap:
            return False
        too_long = member.max_consecutive_days is not None and not today
        if too_long and run_through(e, day) > (member.max_consecutive_days or 0):
            return False
        weekend = weekend_of.get(day)
        new_weekend = weekend is not None and weekend not in weekends[e]
        return not (
            new_weekend
            and member.max_weekends is not None
            and len(weekends[e]) >= member.max_weekends
        )

    def assign(e: int, day: int, shift_id: str) -> None:
        rota.setdefault((e, day), []).append(shift_id)
        minutes[e] += shifts[shift_id].minutes
        counts[e][shift_id] = counts[e].get(shift_id, 0) + 1
        if day in weekend_of:
            weekends[e].add(weekend_of[day])

    staff_index = {member.id: e for e, member in enumerate(problem.staff)}
    for lock in problem.locked:
        if lock.shift_id is not None:
            assign(staff_index[lock.staff_id], lock.day, lock.shift_id)

    def neediness(e: int) -> float:
        member = problem.staff[e]
        return -(member.min_minutes - minutes[e]) / max(1, member.min_minutes)

    ordered = sorted(problem.cover, key=lambda c: (c.day, shifts[c.shift_id].start_minute or 0))
    for req in ordered:
        have = sum(
            1
            for e, member in enumerate(problem.staff)
            if req.shift_id in rota.get((e, req.day), [])
            and (req.skill is None or req.skill in member.skills)
        )
        candidates = [
            e
            for e, member in enumerate(problem.staff)
            if req.skill is None or req.skill in member.skills
        ]
        for e in sorted(candidates, key=neediness):
            if have >= req.target:
                break
            if allowed(e, req.day, req.shift_id):
                assign(e, req.day, req.shift_id)
                have += 1
    return [
        Assignment(problem.staff[e].id, day, shift_id)
        for (e, day), shift_ids in sorted(rota.items())
        for shift_id in shift_ids
    ]
