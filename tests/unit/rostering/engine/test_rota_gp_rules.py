"""The GP rules of the general model, on hand-built problems small enough to reason about."""

from __future__ import annotations

import datetime

from openpcn.rostering.engine import (
    Assignment,
    CoverRequirement,
    Day,
    LockedAssignment,
    RotaProblem,
    RotaWeights,
    ShiftType,
    SolveSettings,
    StaffMember,
)
from openpcn.rostering.engine.repair import repair_rota
from openpcn.rostering.engine.solver import solve_rota

SETTINGS = SolveSettings(time_limit_seconds=10, workers=1, seed=0)
MONDAY = datetime.date(2026, 3, 2)
DAYS = tuple(Day(i, i % 7, MONDAY + datetime.timedelta(days=i)) for i in range(7))


def session(site: str, name: str, start: int, minutes: int, unsocial: bool = False) -> ShiftType:
    return ShiftType(
        id=f"{site}/{name}",
        minutes=minutes,
        start_minute=start,
        site=site,
        skills=frozenset({"GP"}),
        unsocial=unsocial,
        label=name,
    )


BROOKSIDE_AM = session("Brookside", "AM", 8 * 60, 300)
BROOKSIDE_PM = session("Brookside", "PM", 13 * 60, 330)
HILLTOP_PM = session("Hilltop", "PM", 13 * 60, 330)
HUB_EVENING = session("Brookside", "EA", 18 * 60 + 30, 90, unsocial=True)
LATE = ShiftType(
    id="late",
    minutes=360,
    start_minute=17 * 60,
    site="Brookside",
    skills=frozenset({"GP"}),
    label="late",
)


def gp(staff_id: str, **kwargs: object) -> StaffMember:
    return StaffMember(id=staff_id, name=f"Dr {staff_id}", skills=frozenset({"GP"}), **kwargs)  # type: ignore[arg-type]


def problem(**kwargs: object) -> RotaProblem:
    """A one-week Brookside/Hilltop rota; every session without a listed need wants nobody."""
    wanted = {(c.day, c.shift_id) for c in kwargs.get("cover", ())}  # type: ignore[attr-defined]
    days = kwargs.get("days", DAYS)
    nobody = tuple(
        CoverRequirement(day.index, shift.id, 0, 100, 1, "GP")
        for day in days  # type: ignore[attr-defined]
        for shift in (BROOKSIDE_AM, BROOKSIDE_PM, HILLTOP_PM, HUB_EVENING, LATE)
        if (day.index, shift.id) not in wanted
    )
    kwargs["cover"] = (*kwargs.get("cover", ()), *nobody)  # type: ignore[misc]
    base: dict[str, object] = {
        "name": "test",
        "days": DAYS,
        "shift_types": (BROOKSIDE_AM, BROOKSIDE_PM, HILLTOP_PM, HUB_EVENING, LATE),
        "staff": (gp("A"),),
        "min_rest_minutes": 11 * 60,
    }
    base.update(kwargs)
    return RotaProblem(**base)  # type: ignore[arg-type]


def test_short_cover_is_explained_in_planner_words() -> None:
    tuesday_am = CoverRequirement(
        day=1, shift_id="Brookside/AM", target=2, weight_under=100, skill="GP"
    )
    solution = solve_rota(problem(cover=(tuesday_am,)), SETTINGS)
    assert solution.objective == 100
    assert [p.text for p in solution.penalties] == ["Tuesday 3 March AM at Brookside: 1 GP short"]


def test_am_and_pm_on_one_day_but_not_overlapping() -> None:
    cover = tuple(
        CoverRequirement(0, s.id, 1, 100, 1, "GP") for s in (BROOKSIDE_AM, BROOKSIDE_PM, HILLTOP_PM)
    )
    solution = solve_rota(problem(cover=cover), SETTINGS)
    # One GP can do AM and one PM on Monday, never both PMs (they overlap).
    assert solution.objective == 100
    assert len(solution.assignments) == 2


def test_eleven_hours_rest_between_days() -> None:
    cover = (
        CoverRequirement(0, "late", 1, 100, 0, "GP"),
        CoverRequirement(1, "Brookside/AM", 1, 100, 0, "GP"),
    )
    solution = solve_rota(problem(cover=cover), SETTINGS)
    # 23:00 to 08:00 is 9 hours' rest, so one of the two sessions goes short.
    assert solution.objective == 100
    relaxed = solve_rota(problem(cover=cover, min_rest_minutes=None), SETTINGS)
    assert relaxed.objective == 0


def test_two_sites_in_a_day_is_penalised() -> None:
    cover = (
        CoverRequirement(0, "Brookside/AM", 1, 100, 0, "GP"),
        CoverRequirement(0, "Hilltop/PM", 1, 100, 0, "GP"),
    )
    weights = RotaWeights(two_sites_one_day=10)
    solution = solve_rota(problem(cover=cover, weights=weights), SETTINGS)
    assert solution.objective == 10
    assert [p.text for p in solution.penalties] == ["Dr A works at 2 sites on Monday 2 March"]


def test_site_continuity_prefers_the_same_site_each_weekday() -> None:
    days = tuple(Day(i, i % 7, MONDAY + datetime.timedelta(days=i)) for i in range(14))
    cover = (
        CoverRequirement(0, "Brookside/PM", 1, 100, 0, "GP"),
        CoverRequirement(7, "Hilltop/PM", 1, 100, 0, "GP"),
    )
    solution = solve_rota(
        problem(days=days, cover=cover, weights=RotaWeights(site_continuity=3)), SETTINGS
    )
    assert solution.objective == 3
    assert solution.penalties[0].text == "Dr A works Mondays at 2 different sites"


def test_unsocial_sessions_are_shared_fairly() -> None:
    cover = tuple(CoverRequirement(d, "Brookside/EA", 1, 100, 0, "GP") for d in range(4))
    staff = (gp("A", shift_on_requests=()), gp("B"))
    solution = solve_rota(
        problem(staff=staff, cover=cover, weights=RotaWeights(unsocial_fairness=5)), SETTINGS
    )
    assert solution.objective == 0
    evenings = [a.staff_id for a in solution.assignments if a.shift_id == "Brookside/EA"]
    assert sorted(evenings) == ["A", "A", "B", "B"]


def test_locked_assignment_is_kept_even_if_costly() -> None:
    lock = LockedAssignment("A", 2, "Hilltop/PM")
    solution = solve_rota(problem(locked=(lock,)), SETTINGS)
    assert Assignment("A", 2, "Hilltop/PM") in solution.assignments


def test_average_weekly_hours_cap() -> None:
    cover = tuple(
        CoverRequirement(d, s.id, 1, 100, 0, "GP")
        for d in range(7)
        for s in (BROOKSIDE_AM, BROOKSIDE_PM)
    )
    solution = solve_rota(problem(cover=cover, max_average_weekly_minutes=48 * 60), SETTINGS)
    minutes = sum(5 * 60 if a.shift_id.endswith("AM") else 330 for a in solution.assignments)
    assert minutes <= 48 * 60
    assert solution.objective == 100 * (14 - len(solution.assignments))


def test_repair_changes_nothing_when_nothing_changed() -> None:
    staff = (gp("A", max_consecutive_days=3), gp("B", max_consecutive_days=3), gp("C"))
    cover = tuple(CoverRequirement(d, "Brookside/AM", 2, 100, 1, "GP") for d in range(7))
    rota = problem(staff=staff, cover=cover)
    published = solve_rota(rota, SETTINGS)
    assert published.status == "OPTIMAL"
    repair = repair_rota(rota, published.assignments, SETTINGS, change_weight=5)
    assert repair.changes == 0
    assert repair.solution.assignments == published.assignments


def test_repair_after_sickness_moves_only_what_it_must() -> None:
    staff = (gp("A"), gp("B"), gp("C"))
    cover = tuple(CoverRequirement(d, "Brookside/AM", 1, 100, 1, "GP") for d in range(5))
    rota = problem(staff=staff, cover=cover)
    published = solve_rota(rota, SETTINGS)
    sick = published.assignments[0]
    sick_rota = problem(
        staff=tuple(
            gp(m.id, unavailable_days=frozenset({sick.day})) if m.id == sick.staff_id else m
            for m in staff
        ),
        cover=cover,
    )
    repair = repair_rota(sick_rota, published.assignments, SETTINGS, change_weight=5)
    assert repair.removed == (sick,)
    assert len(repair.added) == 1
    assert repair.added[0].day == sick.day
    assert repair.solution.objective == 10
    assert {p.rule for p in repair.solution.penalties} == {"change to published rota"}
