"""Running a plan: build the problem, solve (or repair), save assignments and explained penalties.

Called by the `plan_rota` background task. Progress and cancellation go through the plan's row,
so a page can show them and a planner can stop a run.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from openpcn.core import audit
from openpcn.rostering.engine.repair import repair_rota
from openpcn.rostering.engine.solution import Assignment, SolveSettings
from openpcn.rostering.engine.solver import solve_rota
from openpcn.rostering.models import (
    AssignmentSource,
    PlanStatus,
    RotaAssignment,
    RotaPenalty,
    RotaPlan,
)
from openpcn.rostering.problem_builder import RotaMapping, ShiftKey, build_problem
from openpcn.workforce.models import Skill

log = logging.getLogger(__name__)
REPAIR_CHANGE_WEIGHT = 30
# A plan still "planning" this long after its last heartbeat has lost its worker.
STALE_AFTER = dt.timedelta(minutes=2)


def _progress(plan: RotaPlan, percent: int, message: str, **fields: object) -> None:
    RotaPlan.objects.filter(pk=plan.pk).update(
        progress=percent, progress_message=message, heartbeat_at=timezone.now(), **fields
    )


def _cancelled(plan: RotaPlan) -> bool:
    return RotaPlan.objects.filter(pk=plan.pk, cancel_requested=True).exists()


def run_plan(plan_id: int) -> None:
    plan = RotaPlan.objects.select_related("scope", "repaired_from").get(pk=plan_id)
    if plan.status not in (PlanStatus.QUEUED, PlanStatus.SOLVING):
        return
    if _cancelled(plan):
        _progress(plan, 0, "Cancelled before planning started", status=PlanStatus.CANCELLED)
        return
    _progress(plan, 5, "Reading demand, staff and leave", status=PlanStatus.SOLVING)
    try:
        problem, mapping = build_problem(plan)
        _progress(plan, 15, f"Planning {len(problem.staff)} staff over {len(problem.days)} days")
        settings = SolveSettings(
            time_limit_seconds=plan.time_limit_seconds, workers=2, seed=plan.seed
        )
        if plan.repaired_from is not None:
            published = [
                _engine_assignment(a)
                for a in plan.repaired_from.assignments.all()
                if f"e{a.staff_id}" in mapping.staff
            ]
            solution = repair_rota(
                problem, published, settings, change_weight=REPAIR_CHANGE_WEIGHT
            ).solution
        else:
            solution = solve_rota(problem, settings)
    except Exception:
        log.exception("Planning rota %s failed", plan.pk)
        _progress(
            plan, 100, "Planning failed: the error is in the server log", status=PlanStatus.FAILED
        )
        return
    if _cancelled(plan):
        _progress(plan, 0, "Cancelled", status=PlanStatus.CANCELLED)
        return
    if not solution.has_rota:
        _progress(plan, 100, f"No rota found ({solution.status.lower()})", status=PlanStatus.FAILED)
        return
    _progress(plan, 90, "Saving the rota")
    _save(
        plan,
        mapping,
        solution.assignments,
        solution.penalties,
        source=AssignmentSource.REPAIR if plan.repaired_from else AssignmentSource.SOLVER,
    )
    _progress(
        plan,
        100,
        f"Planned in {solution.seconds:.0f} s",
        status=PlanStatus.PLANNED,
        objective=solution.objective,
        solve_seconds=solution.seconds,
    )
    audit.record(
        by=None,
        action="plan_rota",
        obj=plan,
        organisation=plan.scope,
        after={
            "objective": solution.objective,
            "status": solution.status,
            "assignments": len(solution.assignments),
        },
    )


def _engine_assignment(a: RotaAssignment) -> Assignment:
    key = ShiftKey(a.site_id, a.session, a.date.weekday() == 5, a.network_id)
    return Assignment(f"e{a.staff_id}", (a.date - a.plan.first_day).days, key.id)


@transaction.atomic
def _save(plan, mapping: RotaMapping, assignments, penalties, *, source: str) -> None:  # type: ignore[no-untyped-def]
    plan.assignments.filter(locked=False).delete()
    plan.penalties.all().delete()
    locked = set(plan.assignments.values_list("staff_id", "date", "session"))
    skills = {s.name: s for s in Skill.objects.all()}
    rows = []
    for a in assignments:
        member = mapping.staff[a.staff_id]
        key = mapping.shifts[a.shift_id]
        date = mapping.dates[a.day]
        demanded = mapping.demanded_skills.get((a.shift_id, a.day), [])
        held = [code for code in demanded if code in mapping.skills_of[a.staff_id]]
        if not held or (member.pk, date, key.session) in locked:
            continue  # nobody is rostered where they fill no demand
        rows.append(
            RotaAssignment(
                plan=plan,
                staff=member,
                site_id=key.site_id,
                date=date,
                session=key.session,
                skill=skills[held[0]],
                network_id=key.network_id,
                source=source,
            )
        )
    RotaAssignment.objects.bulk_create(rows, batch_size=1000)
    RotaPenalty.objects.bulk_create(
        RotaPenalty(plan=plan, rule=p.rule, cost=p.cost, text=p.text[:300]) for p in penalties
    )


def stale_plans() -> list[RotaPlan]:
    """Plans whose worker died mid-run (no heartbeat for a while): to be queued again."""
    cutoff = timezone.now() - STALE_AFTER
    return [
        plan
        for plan in RotaPlan.objects.filter(status=PlanStatus.SOLVING)
        if plan.heartbeat_at is None
        or plan.heartbeat_at + dt.timedelta(seconds=3 * plan.time_limit_seconds) < cutoff
    ]
