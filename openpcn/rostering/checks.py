"""Live checks on a rota: skills, sites, double booking, absence and working time.

The planner sees these as they edit; a rota with breaches publishes only with an audited override.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from openpcn.rostering.models import RotaAssignment, RotaPlan
from openpcn.rostering.problem_builder import MAX_AVERAGE_WEEKLY_MINUTES, MIN_REST_MINUTES
from openpcn.rostering.sessions import times_for
from openpcn.workforce.models import Absence, AbsenceStatus


@dataclass(frozen=True)
class Breach:
    rule: str
    staff_id: int
    date: dt.date
    text: str


def _minutes(a: RotaAssignment) -> tuple[int, int] | None:
    times = times_for(a.date.weekday(), a.session)
    return None if times is None else (times.start, times.end)


def breaches(plan: RotaPlan, assignments: list[RotaAssignment] | None = None) -> list[Breach]:
    rows = (
        assignments
        if assignments is not None
        else list(
            plan.assignments.select_related("staff__person", "site", "skill").prefetch_related(
                "staff__skills", "staff__sites"
            )
        )
    )
    found: list[Breach] = []
    by_staff: dict[int, list[RotaAssignment]] = defaultdict(list)
    for a in rows:
        by_staff[a.staff_id].append(a)
    absences = defaultdict(list)
    for absence in Absence.objects.filter(
        staff_id__in=by_staff,
        status=AbsenceStatus.APPROVED,
        first_day__lte=plan.last_day,
        last_day__gte=plan.first_day,
    ):
        absences[absence.staff_id].append(absence)
    for staff_id, mine in by_staff.items():
        person = mine[0].staff.person.full_name
        skills = {s.pk for s in mine[0].staff.skills.all()}
        sites = {s.pk for s in mine[0].staff.sites.all()}
        for a in mine:
            when = f"{a.date:%a %d %b} {a.get_session_display().lower()}"
            if a.skill_id is not None and a.skill_id not in skills:
                found.append(
                    Breach(
                        "skill",
                        staff_id,
                        a.date,
                        f"{person} lacks {a.skill.name} for {when} at {a.site.name}",
                    )
                )
            if sites and a.site_id not in sites:
                found.append(
                    Breach(
                        "site",
                        staff_id,
                        a.date,
                        f"{person} is not set up to work at {a.site.name} ({when})",
                    )
                )
            if any(x.first_day <= a.date <= x.last_day for x in absences[staff_id]):
                found.append(Breach("absence", staff_id, a.date, f"{person} is on leave on {when}"))
        found += _double_bookings(person, staff_id, mine)
        found += _rest(person, staff_id, mine)
        worked = sum(end - start for a in mine if (t := _minutes(a)) for start, end in [t])
        if worked > MAX_AVERAGE_WEEKLY_MINUTES * plan.weeks:
            found.append(
                Breach(
                    "weekly_hours",
                    staff_id,
                    plan.first_day,
                    f"{person} averages {worked / 60 / plan.weeks:.1f} hours a week "
                    f"(the limit is 48)",
                )
            )
    return sorted(found, key=lambda b: (b.date, b.text))


def _double_bookings(person: str, staff_id: int, mine: list[RotaAssignment]) -> list[Breach]:
    found = []
    by_day: dict[dt.date, list[RotaAssignment]] = defaultdict(list)
    for a in mine:
        by_day[a.date].append(a)
    for date, day in by_day.items():
        for i, first in enumerate(day):
            for second in day[i + 1 :]:
                one, other = _minutes(first), _minutes(second)
                if one and other and one[0] < other[1] and other[0] < one[1]:
                    found.append(
                        Breach(
                            "double_booking",
                            staff_id,
                            date,
                            f"{person} is booked twice on {date:%a %d %b}: "
                            f"{first.site.name} and {second.site.name}",
                        )
                    )
    return found


def _rest(person: str, staff_id: int, mine: list[RotaAssignment]) -> list[Breach]:
    found = []
    spans: dict[dt.date, tuple[int, int]] = {}
    for assignment in mine:
        times = _minutes(assignment)
        if times is None:
            continue
        start, end = spans.get(assignment.date, times)
        spans[assignment.date] = (min(start, times[0]), max(end, times[1]))
    for date, (_, end) in spans.items():
        following = spans.get(date + dt.timedelta(days=1))
        if following and 24 * 60 + following[0] - end < MIN_REST_MINUTES:
            found.append(
                Breach(
                    "rest",
                    staff_id,
                    date,
                    f"{person} has less than 11 hours' rest after {date:%a %d %b}",
                )
            )
    return found
