"""GP-scale synthetic rostering benchmark (run by hand, not in CI).

A made-up alliance: sites grouped into PCNs of about six, each PCN with a hub that runs Enhanced
Access evenings (18:30–20:00, Monday to Friday) and Saturdays (09:00–17:00). Every site runs AM
(08:00–13:00) and PM (13:00–18:30) sessions on weekdays. Staff are GPs, nurses, HCAs and clinical
pharmacists on 3–9 session contracts, working at their home site and up to two others in their PCN,
with some leave and preferences. Cover is set at about 75% of each role's contracted supply.

Reports, for each staff count, the time to the first feasible rota, the final objective, cover
filled and the penalties by rule:

    .venv/bin/python benchmarks/rostering/gp_scale.py --time-limit 60 --workers 2 --seed 1 \
        --staff 50 100 200 350 700
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import math
import random
import sys
import time

from openpcn.rostering.engine import (
    CoverRequirement,
    Day,
    RotaProblem,
    RotaWeights,
    ShiftRequest,
    ShiftType,
    SolveSettings,
    StaffMember,
)
from openpcn.rostering.engine.solver import solve_rota

ROLES = (("GP", 0.43, 250), ("Nurse", 0.26, 250), ("HCA", 0.17, 250), ("Pharmacist", 0.14, 250))
"""(skill, share of staff, minutes per session is taken from the shift)."""

SESSIONS = {
    "AM": (8 * 60, 300, False),
    "PM": (13 * 60, 330, False),
    "EA": (18 * 60 + 30, 90, True),
    "SAT": (9 * 60, 480, True),
}
FIRST_MONDAY = datetime.date(2026, 1, 5)


def generate(staff_count: int, seed: int, weeks: int = 4) -> RotaProblem:
    rng = random.Random(seed)
    site_count = max(6, round(47 * staff_count / 350))
    sites = [f"Site {i + 1:02d}" for i in range(site_count)]
    pcns = [sites[i : i + 6] for i in range(0, site_count, 6)]
    hubs = {pcn[0] for pcn in pcns}
    pcn_of = {site: pcn for pcn in pcns for site in pcn}
    days = tuple(
        Day(index=i, weekday=i % 7, date=FIRST_MONDAY + datetime.timedelta(days=i))
        for i in range(7 * weeks)
    )

    shift_types: list[ShiftType] = []
    for site in sites:
        for session, (start, minutes, unsocial) in SESSIONS.items():
            if unsocial and site not in hubs:
                continue
            for role, _, _ in ROLES:
                shift_types.append(
                    ShiftType(
                        id=f"{site}/{session}/{role}",
                        minutes=minutes,
                        start_minute=start,
                        site=site,
                        skills=frozenset({role}),
                        unsocial=unsocial,
                        label=session,
                    )
                )

    staff: list[StaffMember] = []
    supply: collections.Counter[tuple[str, str]] = collections.Counter()
    for index in range(staff_count):
        role = rng.choices([r for r, _, _ in ROLES], weights=[w for _, w, _ in ROLES])[0]
        home = rng.choice(sites)
        others = [s for s in pcn_of[home] if s != home]
        member_sites = frozenset({home, *rng.sample(others, min(len(others), rng.randint(0, 2)))})
        sessions_per_week = rng.randint(3, 9)
        supply[(role, home)] += sessions_per_week
        contract = sessions_per_week * 315 * weeks
        leave_start = rng.randrange(0, 7 * weeks - 5)
        leave = range(leave_start, leave_start + 5) if rng.random() < 0.2 else range(0)
        non_working = {d.index for d in days if d.weekday == rng.randrange(0, 5)}
        requests_off = tuple(
            ShiftRequest(d, f"{home}/PM/{role}", rng.randint(1, 3))
            for d in rng.sample(range(7 * weeks), 2)
            if days[d].weekday < 5
        )
        unavailable = frozenset(leave) | frozenset(non_working)
        # Contracts are pro rata to the weekdays the person is here (leave, non-working day).
        here = sum(1 for d in days if d.weekday < 5 and d.index not in unavailable)
        contract = contract * here // (5 * weeks)
        staff.append(
            StaffMember(
                id=f"S{index + 1:04d}",
                name=f"{role} {index + 1}",
                skills=frozenset({role}),
                sites=member_sites,
                min_minutes=int(contract * 0.8),
                max_minutes=int(contract * 1.1),
                max_consecutive_days=6,
                max_weekends=2,
                unavailable_days=unavailable,
                shift_off_requests=requests_off,
            )
        )

    cover: list[CoverRequirement] = []
    for role, _, _ in ROLES:
        for site in sites:
            # Weekday AM and PM need about 75% of the sessions contracted at the site.
            per_session = 0.75 * supply[(role, site)] / 10
            for day in days:
                if day.weekday >= 5:
                    continue
                for session in ("AM", "PM"):
                    target = math.floor(per_session + rng.random())
                    if target > 0:
                        cover.append(
                            CoverRequirement(
                                day.index, f"{site}/{session}/{role}", target, 100, 5, role
                            )
                        )
        for hub in hubs:
            for day in days:
                if day.weekday < 5 and role in ("GP", "Nurse"):
                    cover.append(CoverRequirement(day.index, f"{hub}/EA/{role}", 1, 100, 5, role))
                if day.weekday == 5 and role != "Pharmacist":
                    cover.append(CoverRequirement(day.index, f"{hub}/SAT/{role}", 1, 100, 5, role))
    return RotaProblem(
        name=f"gp-{staff_count}",
        days=days,
        shift_types=tuple(shift_types),
        staff=tuple(staff),
        cover=tuple(cover),
        min_rest_minutes=11 * 60,
        max_average_weekly_minutes=48 * 60,
        weights=RotaWeights(two_sites_one_day=10, site_continuity=2, unsocial_fairness=5),
    )


def measure(staff_count: int, settings: SolveSettings) -> dict[str, object]:
    built = time.perf_counter()
    problem = generate(staff_count, settings.seed)
    solution = solve_rota(problem, settings)
    wanted = sum(req.target for req in problem.cover)
    short = sum(p.cost // 100 for p in solution.penalties if p.rule == "cover short")
    by_rule: collections.Counter[str] = collections.Counter()
    for penalty in solution.penalties:
        by_rule[penalty.rule] += penalty.cost
    return {
        "staff": staff_count,
        "sites": len({s.site for s in problem.shift_types}),
        "shift_types": len(problem.shift_types),
        "status": solution.status,
        "seconds_to_first_rota": solution.seconds_to_first_solution,
        "seconds": round(time.perf_counter() - built, 1),
        "objective": solution.objective,
        "lower_bound": solution.lower_bound,
        "sessions_wanted": wanted,
        "cover_filled_percent": round(100 * (wanted - short) / wanted, 1)
        if solution.has_rota
        else None,
        "penalties_by_rule": dict(by_rule),
        "example_penalties": [p.text for p in solution.penalties[:3]],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--time-limit", type=float, required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--staff", type=int, nargs="+", default=[50, 100, 200, 350, 700])
    args = parser.parse_args(argv)
    settings = SolveSettings(args.time_limit, args.workers, args.seed)
    rows = []
    for count in args.staff:
        row = measure(count, settings)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print(
        "\n| staff | sites | status | first rota (s) | objective | cover filled | penalties by rule |"
    )
    print("|---:|---:|---|---:|---:|---:|---|")
    for row in rows:
        first = row["seconds_to_first_rota"]
        first_text = f"{first:.1f}" if isinstance(first, float) else "none"
        rules = ", ".join(f"{k} {v}" for k, v in sorted(row["penalties_by_rule"].items()))  # type: ignore[attr-defined]
        print(
            f"| {row['staff']} | {row['sites']} | {row['status']} | {first_text} | "
            f"{row['objective']} | {row['cover_filled_percent']}% | {rules} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
