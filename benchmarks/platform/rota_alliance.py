"""Benchmark: plan a 4-week rota for the whole demo alliance (47 practices, ~350 clinical staff).

Run by hand (not in CI):  .venv/bin/python benchmarks/platform/rota_alliance.py [--seconds 60]
It builds the demo in a throw-away SQLite database, plans through the same code path as the web
app's background task (`run_plan`), and reports time, coverage, breaches and penalties.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60, help="solver time limit")
    parser.add_argument("--weeks", type=int, default=4)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="openpcn-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpcn.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Sum

    from openpcn.demo.load import load_demo
    from openpcn.organisations.models import Alliance
    from openpcn.rostering import actions
    from openpcn.rostering.checks import breaches
    from openpcn.rostering.models import SessionDemand
    from openpcn.rostering.planning import run_plan
    from openpcn.rostering.problem_builder import build_problem

    call_command("migrate", verbosity=0)
    load_demo(seed=2026, rota=False)
    alliance = Alliance.objects.get(is_synthetic=True)
    first_day = dt.date(2026, 11, 23)
    plan = actions.create_plan(
        by=None,
        scope=alliance,
        first_day=first_day,
        weeks=args.weeks,
        time_limit_seconds=args.seconds,
        enqueue=False,
    )
    started = time.perf_counter()
    problem, _ = build_problem(plan)
    built = time.perf_counter() - started
    run_plan(plan.pk)
    total = time.perf_counter() - started
    plan.refresh_from_db()
    demanded = sum(c.target for c in problem.cover)
    filled = plan.assignments.count()
    found = breaches(plan)
    print(f"staff in problem        {len(problem.staff)}")
    print(f"shift types             {len(problem.shift_types)}")
    print(f"sessions demanded       {demanded}")
    print(f"sessions filled         {filled} ({100 * filled / demanded:.1f}%)")
    print(f"status                  {plan.status} ({plan.progress_message})")
    print(f"objective               {plan.objective}")
    print(f"penalty total           {plan.penalties.aggregate(s=Sum('cost'))['s']}")
    print(f"breaches (publishable?) {len(found)} ({'yes' if not found else 'no'})")
    print(f"build problem seconds   {built:.1f}")
    print(f"plan seconds (total)    {total:.1f}")
    print(f"demand rows             {SessionDemand.objects.count()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
