"""Writes to business plans: a PCN's plan for a year, its objectives and their progress.

Checked (PLAN_MANAGE over the PCN), in a transaction and audited, as every write is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from openpcn.accounts.permissions import Permission
from openpcn.core import audit
from openpcn.core.actions import require_permission
from openpcn.governance.models import BusinessPlan, Objective, PlanStatus, Progress
from openpcn.organisations.models import Organisation, OrganisationKind, Person


@transaction.atomic
def create_business_plan(
    *,
    by: Any,
    network: Organisation,
    year: int,
    title: str,
    summary: str = "",
    carry_over: bool = True,
) -> BusinessPlan:
    """Start a PCN's plan for a year; with `carry_over`, objectives not achieved last year come too."""
    require_permission(by, Permission.PLAN_MANAGE, organisation=network)
    if network.kind != OrganisationKind.NETWORK:
        raise ValidationError("A business plan belongs to a PCN")
    if not title.strip():
        raise ValidationError("A business plan needs a title")
    if BusinessPlan.objects.filter(network=network, year=year).exists():
        raise ValidationError(f"{network} already has a plan for {year}/{(year + 1) % 100:02d}")
    plan = BusinessPlan.objects.create(
        network=network, year=year, title=title.strip()[:200], summary=summary.strip()
    )
    previous = BusinessPlan.objects.filter(network=network, year=year - 1).first()
    if carry_over and previous is not None:
        for objective in previous.objectives.exclude(progress=Progress.ACHIEVED):
            Objective.objects.create(
                plan=plan,
                title=objective.title,
                owner=objective.owner,
                measure=objective.measure,
                progress_note=f"Carried over from {previous.year_label}",
            )
    audit.record(
        by=by,
        action="create_business_plan",
        obj=plan,
        organisation=network,
        after={**(audit.snapshot(plan) or {}), "objectives": plan.objectives.count()},
    )
    return plan


def _owner_in_scope(owner: Person | None, network: Organisation) -> None:
    """An objective's owner holds a role in the PCN, one of its practices, or its alliance."""
    if owner is None:
        return
    from openpcn.organisations.models import RoleHolding
    from openpcn.organisations.queries import practices_of

    allowed = {network.pk, network.alliance_id} | {p.pk for p in practices_of(network)}
    if not RoleHolding.objects.current().filter(person=owner, organisation_id__in=allowed).exists():
        raise ValidationError(f"{owner} holds no role in {network}, its practices or its alliance")


@transaction.atomic
def add_objective(
    *,
    by: Any,
    plan: BusinessPlan,
    title: str,
    owner: Person | None = None,
    measure: str = "",
    due_date: dt.date | None = None,
) -> Objective:
    require_permission(by, Permission.PLAN_MANAGE, organisation=plan.network)
    if not title.strip():
        raise ValidationError("An objective needs a title")
    _owner_in_scope(owner, plan.network)
    objective = Objective.objects.create(
        plan=plan,
        title=title.strip()[:200],
        owner=owner,
        measure=measure.strip()[:300],
        due_date=due_date,
    )
    audit.record(
        by=by,
        action="add_objective",
        obj=objective,
        organisation=plan.network,
        after=audit.snapshot(objective),
    )
    return objective


@transaction.atomic
def report_progress(
    *, by: Any, objective: Objective, progress: str, note: str = "", on: dt.date | None = None
) -> Objective:
    objective = (
        Objective.objects.select_for_update().select_related("plan__network").get(pk=objective.pk)
    )
    require_permission(by, Permission.PLAN_MANAGE, organisation=objective.plan.network)
    if progress not in Progress.values:
        raise ValidationError(f"Unknown progress {progress!r}")
    before = audit.snapshot(objective)
    objective.progress = progress
    objective.progress_note = note.strip() or objective.progress_note
    objective.progress_on = on or dt.date.today()
    objective.save(update_fields=["progress", "progress_note", "progress_on"])
    audit.record(
        by=by,
        action="report_progress",
        obj=objective,
        organisation=objective.plan.network,
        before=before,
        after=audit.snapshot(objective),
    )
    return objective


@transaction.atomic
def agree_business_plan(*, by: Any, plan: BusinessPlan, on: dt.date) -> BusinessPlan:
    plan = BusinessPlan.objects.select_for_update().select_related("network").get(pk=plan.pk)
    require_permission(by, Permission.PLAN_MANAGE, organisation=plan.network)
    if plan.status == PlanStatus.AGREED:
        raise ValidationError("The plan is already agreed")
    if not plan.objectives.exists():
        raise ValidationError("Add the plan's objectives before agreeing it")
    before = audit.snapshot(plan)
    plan.status, plan.agreed_on = PlanStatus.AGREED, on
    plan.save(update_fields=["status", "agreed_on"])
    audit.record(
        by=by,
        action="agree_business_plan",
        obj=plan,
        organisation=plan.network,
        before=before,
        after=audit.snapshot(plan),
    )
    return plan
