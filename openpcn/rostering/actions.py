"""Writes to rotas. Each action checks permission, runs in a transaction and is audited."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from openpcn.accounts.permissions import Permission
from openpcn.core import audit
from openpcn.core.actions import require_permission
from openpcn.organisations.models import Organisation, OrganisationKind, Site
from openpcn.rostering import checks, enhanced_access
from openpcn.rostering.models import (
    AssignmentSource,
    CalendarFeed,
    EnhancedAccessHub,
    PlanStatus,
    RotaAssignment,
    RotaPlan,
    SessionDemand,
    SwapRequest,
    SwapStatus,
)
from openpcn.rostering.sessions import SATURDAY_TIMES, WEEKDAY_TIMES, SessionKind
from openpcn.workforce.models import Skill, StaffMember

MAX_WEEKS = 8


def _enqueue(plan: RotaPlan) -> None:
    from openpcn.rostering.tasks import plan_rota

    # Enqueue after commit so the worker sees the plan row.
    transaction.on_commit(lambda: _store_task_id(plan, plan_rota.enqueue(plan.pk).id))


def _store_task_id(plan: RotaPlan, task_id: str) -> None:
    RotaPlan.objects.filter(pk=plan.pk).update(task_id=str(task_id))


@transaction.atomic
def create_plan(
    *,
    by: Any,
    scope: Organisation,
    first_day: dt.date,
    weeks: int,
    time_limit_seconds: int = 30,
    seed: int = 1,
    enqueue: bool = True,
) -> RotaPlan:
    """A new rota plan; with `enqueue` (the default) a worker plans it in the background."""
    require_permission(by, Permission.ROTA_PLAN, organisation=scope)
    if scope.kind not in (OrganisationKind.NETWORK, OrganisationKind.ALLIANCE):
        raise ValidationError("A rota is planned for a PCN or the whole alliance")
    if first_day.weekday() != 0:
        raise ValidationError("A rota starts on a Monday")
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValidationError(f"A rota covers 1 to {MAX_WEEKS} weeks")
    plan = RotaPlan.objects.create(
        scope=scope,
        first_day=first_day,
        weeks=weeks,
        status=PlanStatus.QUEUED,
        time_limit_seconds=time_limit_seconds,
        seed=seed,
        created_by=by if by is not None else None,
        progress_message="Waiting for a worker",
    )
    audit.record(
        by=by, action="create_rota_plan", obj=plan, organisation=scope, after=audit.snapshot(plan)
    )
    if enqueue:
        _enqueue(plan)
    return plan


@transaction.atomic
def replan(*, by: Any, plan: RotaPlan) -> RotaPlan:
    """Plan again around the locked assignments (the planner's edits)."""
    require_permission(by, Permission.ROTA_PLAN, organisation=plan.scope)
    if plan.status in (PlanStatus.PUBLISHED, PlanStatus.SUPERSEDED) or plan.is_running:
        raise ValidationError("Only a planned, failed or cancelled rota can be planned again")
    RotaPlan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.QUEUED,
        progress=0,
        cancel_requested=False,
        progress_message="Waiting for a worker",
    )
    plan.refresh_from_db()
    audit.record(by=by, action="replan_rota", obj=plan, organisation=plan.scope)
    _enqueue(plan)
    return plan


@transaction.atomic
def cancel_plan(*, by: Any, plan: RotaPlan) -> RotaPlan:
    require_permission(by, Permission.ROTA_PLAN, organisation=plan.scope)
    if not plan.is_running:
        raise ValidationError("This rota is not being planned")
    updates: dict[str, object] = {"cancel_requested": True}
    if plan.status == PlanStatus.QUEUED:
        updates.update(status=PlanStatus.CANCELLED, progress_message="Cancelled")
    RotaPlan.objects.filter(pk=plan.pk).update(**updates)
    plan.refresh_from_db()
    audit.record(by=by, action="cancel_rota_plan", obj=plan, organisation=plan.scope)
    return plan


def requeue_stale_plans() -> list[RotaPlan]:
    """Queue again the plans a dead worker left half-done (run when a worker starts)."""
    from openpcn.rostering.planning import stale_plans

    requeued = []
    for plan in stale_plans():
        with transaction.atomic():
            RotaPlan.objects.filter(pk=plan.pk).update(
                status=PlanStatus.QUEUED,
                progress=0,
                progress_message="Queued again after a worker stopped",
            )
            audit.record(by=None, action="requeue_rota_plan", obj=plan, organisation=plan.scope)
            _enqueue(plan)
        requeued.append(plan)
    return requeued


def _editable(by: Any, plan: RotaPlan) -> None:
    require_permission(by, Permission.ROTA_PLAN, organisation=plan.scope)
    if plan.status not in (PlanStatus.PLANNED, PlanStatus.FAILED, PlanStatus.CANCELLED):
        raise ValidationError("Only a planned rota that is not published can be edited")


@transaction.atomic
def set_assignment(
    *,
    by: Any,
    plan: RotaPlan,
    staff: StaffMember,
    site: Site,
    date: dt.date,
    session: str,
    skill: Skill | None = None,
    network: Organisation | None = None,
) -> tuple[RotaAssignment, list[checks.Breach]]:
    """The planner puts someone in a session (locked, so re-planning keeps it); returns live checks."""
    _editable(by, plan)
    if not plan.first_day <= date <= plan.last_day:
        raise ValidationError("That date is outside this rota")
    existing = plan.assignments.filter(staff=staff, date=date, session=session).first()
    before = audit.snapshot(existing)
    assignment, _ = RotaAssignment.objects.update_or_create(
        plan=plan,
        staff=staff,
        date=date,
        session=session,
        defaults={
            "site": site,
            "skill": skill,
            "network": network,
            "locked": True,
            "source": AssignmentSource.PLANNER,
        },
    )
    audit.record(
        by=by,
        action="set_rota_assignment",
        obj=assignment,
        organisation=plan.scope,
        before=before,
        after=audit.snapshot(assignment),
    )
    mine = list(
        plan.assignments.filter(staff=staff).select_related("staff__person", "site", "skill")
    )
    return assignment, [b for b in checks.breaches(plan, mine)]


@transaction.atomic
def remove_assignment(*, by: Any, assignment: RotaAssignment) -> None:
    _editable(by, assignment.plan)
    before = audit.snapshot(assignment)
    audit.record(
        by=by,
        action="remove_rota_assignment",
        obj=assignment,
        organisation=assignment.plan.scope,
        before=before,
    )
    assignment.delete()


@transaction.atomic
def lock_assignment(*, by: Any, assignment: RotaAssignment, locked: bool) -> RotaAssignment:
    _editable(by, assignment.plan)
    assignment.locked = locked
    assignment.save(update_fields=["locked"])
    audit.record(
        by=by,
        action="lock_rota_assignment" if locked else "unlock_rota_assignment",
        obj=assignment,
        organisation=assignment.plan.scope,
    )
    return assignment


@transaction.atomic
def publish_plan(*, by: Any, plan: RotaPlan, override_reason: str = "") -> RotaPlan:
    """Publish a planned rota; breaches need an explicit override reason, which is audited."""
    require_permission(by, Permission.ROTA_PUBLISH, organisation=plan.scope)
    if plan.status != PlanStatus.PLANNED:
        raise ValidationError("Only a planned rota can be published")
    found = checks.breaches(plan)
    if found and not override_reason.strip():
        raise ValidationError(
            f"This rota has {len(found)} breaches (e.g. {found[0].text}); give a reason to "
            f"publish anyway"
        )
    # A published rota replaces any published one for the same days and the same organisations:
    # its own scope, the alliance above a PCN, or the PCNs of an alliance.
    overlapping_scopes = {plan.scope_id}
    if plan.scope.kind == OrganisationKind.NETWORK and plan.scope.alliance_id:
        overlapping_scopes.add(plan.scope.alliance_id)
    if plan.scope.kind == OrganisationKind.ALLIANCE:
        overlapping_scopes |= set(
            Organisation.objects.filter(
                alliance=plan.scope, kind=OrganisationKind.NETWORK
            ).values_list("pk", flat=True)
        )
    superseded = [
        old
        for old in RotaPlan.objects.filter(
            scope_id__in=overlapping_scopes,
            status=PlanStatus.PUBLISHED,
            first_day__lte=plan.last_day,
        ).exclude(pk=plan.pk)
        if old.last_day >= plan.first_day
    ]
    for old in superseded:
        old.status = PlanStatus.SUPERSEDED
        old.save(update_fields=["status"])
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = timezone.now()
    plan.published_by = by if by is not None else None
    plan.override_reason = override_reason.strip() if found else ""
    plan.save(update_fields=["status", "published_at", "published_by", "override_reason"])
    audit.record(
        by=by,
        action="publish_rota",
        obj=plan,
        organisation=plan.scope,
        after={
            "breaches": [b.text for b in found][:50],
            "override_reason": plan.override_reason,
            "superseded": [p.pk for p in superseded],
        },
    )
    # Email goes out from a worker, so a mail server's trouble cannot fail the publishing.
    transaction.on_commit(lambda: _enqueue_notice(plan))
    return plan


def _enqueue_notice(plan: RotaPlan) -> None:
    from openpcn.rostering.tasks import notify_rota_published

    notify_rota_published.enqueue(plan.pk)


def notify_staff(plan: RotaPlan) -> int:
    """Email each person on the published rota their sessions (through Django's email backend)."""
    messages = []
    by_staff: dict[int, list[RotaAssignment]] = {}
    for a in plan.assignments.select_related("staff__person", "site"):
        by_staff.setdefault(a.staff_id, []).append(a)
    for sessions in by_staff.values():
        person = sessions[0].staff.person
        if not person.email:
            continue
        lines = [
            f"{a.date:%a %d %b} {a.get_session_display().lower()}: {a.site.name}" for a in sessions
        ]
        messages.append(
            (
                f"Your rota from {plan.first_day:%d %B %Y} is published",
                f"Hello {person.given_name},\n\nYour sessions:\n"
                + "\n".join(lines)
                + "\n\nSee your rota in OpenPCN, or subscribe to your calendar feed.\n",
                None,
                [person.email],
            )
        )
    return send_mass_mail(messages, fail_silently=False)


@transaction.atomic
def repair_published(*, by: Any, plan: RotaPlan, time_limit_seconds: int = 20) -> RotaPlan:
    """After a change (sickness, new leave), re-plan the published rota with the fewest changes."""
    require_permission(by, Permission.ROTA_PLAN, organisation=plan.scope)
    if plan.status != PlanStatus.PUBLISHED:
        raise ValidationError("Only a published rota is repaired")
    repair = RotaPlan.objects.create(
        scope=plan.scope,
        first_day=plan.first_day,
        weeks=plan.weeks,
        status=PlanStatus.QUEUED,
        time_limit_seconds=time_limit_seconds,
        seed=plan.seed,
        repaired_from=plan,
        created_by=by if by is not None else None,
        progress_message="Waiting for a worker",
    )
    for a in plan.assignments.filter(locked=True):
        a.pk = None
        a.plan = repair
        a.save()
    audit.record(
        by=by, action="repair_rota", obj=repair, organisation=plan.scope, after={"repairs": plan.pk}
    )
    _enqueue(repair)
    return repair


# --- swaps ----------------------------------------------------------------------------------


@transaction.atomic
def propose_swap(
    *,
    by: Any,
    offered: RotaAssignment,
    colleague: StaffMember,
    wanted: RotaAssignment | None = None,
) -> SwapRequest:
    if by is None or by.person_id != offered.staff.person_id:
        raise PermissionDenied("Only the person on the session can offer it")
    if offered.plan.status != PlanStatus.PUBLISHED:
        raise ValidationError("Only published sessions can be swapped")
    if wanted is not None and wanted.staff_id != colleague.pk:
        raise ValidationError("The session wanted back must be the colleague's")
    swap = SwapRequest.objects.create(offered=offered, colleague=colleague, wanted=wanted)
    audit.record(
        by=by,
        action="propose_swap",
        obj=swap,
        organisation=offered.plan.scope,
        after=audit.snapshot(swap),
    )
    return swap


@transaction.atomic
def answer_swap(*, by: Any, swap: SwapRequest, accept: bool) -> SwapRequest:
    if by is None or by.person_id != swap.colleague.person_id:
        raise PermissionDenied("Only the colleague asked can answer")
    if swap.status != SwapStatus.PROPOSED:
        raise ValidationError("This swap has already been answered")
    swap.status = SwapStatus.ACCEPTED if accept else SwapStatus.DECLINED
    swap.save(update_fields=["status"])
    audit.record(
        by=by,
        action="accept_swap" if accept else "decline_swap",
        obj=swap,
        organisation=swap.offered.plan.scope,
    )
    return swap


@transaction.atomic
def approve_swap(*, by: Any, swap: SwapRequest) -> list[checks.Breach]:
    """The manager approves an accepted swap; it is refused if it would break a rule."""
    plan = swap.offered.plan
    require_permission(by, Permission.ROTA_PUBLISH, organisation=plan.scope)
    if swap.status != SwapStatus.ACCEPTED:
        raise ValidationError("Only an accepted swap can be approved")
    offered = RotaAssignment.objects.select_for_update().get(pk=swap.offered_id)
    wanted = (
        RotaAssignment.objects.select_for_update().get(pk=swap.wanted_id)
        if swap.wanted_id
        else None
    )
    original_owner = offered.staff
    offered.staff = swap.colleague
    offered.source = AssignmentSource.SWAP
    if wanted is not None:
        wanted.staff = original_owner
        wanted.source = AssignmentSource.SWAP
    touched = [swap.colleague.pk, original_owner.pk]
    after = [
        a
        for a in plan.assignments.filter(staff_id__in=touched).select_related(
            "staff__person", "site", "skill"
        )
        if a.pk not in (offered.pk, getattr(wanted, "pk", None))
    ]
    after += [offered] + ([wanted] if wanted else [])
    found = checks.breaches(plan, after)
    if found:
        raise ValidationError(f"The swap would break a rule: {found[0].text}")
    offered.save(update_fields=["staff", "source"])
    if wanted is not None:
        wanted.save(update_fields=["staff", "source"])
    swap.status = SwapStatus.APPROVED
    swap.save(update_fields=["status"])
    audit.record(by=by, action="approve_swap", obj=swap, organisation=plan.scope)
    return found


# --- calendar feeds ---------------------------------------------------------------------------


@transaction.atomic
def create_feed(*, by: Any, staff: StaffMember) -> CalendarFeed:
    if by is not None and by.person_id != staff.person_id:
        raise PermissionDenied("A calendar feed is made by its owner")
    CalendarFeed.objects.filter(staff=staff, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    feed = CalendarFeed.objects.create(staff=staff)
    audit.record(by=by, action="create_calendar_feed", obj=feed, object_label=f"Feed of {staff}")
    return feed


@transaction.atomic
def revoke_feed(*, by: Any, feed: CalendarFeed) -> None:
    if by is not None and by.person_id != feed.staff.person_id:
        raise PermissionDenied("A calendar feed is revoked by its owner")
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    audit.record(
        by=by, action="revoke_calendar_feed", obj=feed, object_label=f"Feed of {feed.staff}"
    )


# --- demand -----------------------------------------------------------------------------------


@transaction.atomic
def set_demand(
    *,
    by: Any,
    site: Site,
    weekday: int,
    session: str,
    skill: Skill,
    count: int,
    network: Organisation | None = None,
) -> SessionDemand | None:
    require_permission(by, Permission.ROTA_PLAN, organisation=site.organisation)
    existing = SessionDemand.objects.filter(
        site=site, weekday=weekday, session=session, skill=skill, network=network
    ).first()
    before = audit.snapshot(existing)
    if count == 0:
        if existing is not None:
            existing.delete()
        audit.record(
            by=by,
            action="remove_session_demand",
            object_type="rostering.SessionDemand",
            object_label=f"{site} {weekday} {session} {skill}",
            organisation=site.organisation,
            before=before,
        )
        return None
    demand, _ = SessionDemand.objects.update_or_create(
        site=site,
        weekday=weekday,
        session=session,
        skill=skill,
        network=network,
        defaults={"count": count},
    )
    audit.record(
        by=by,
        action="set_session_demand",
        obj=demand,
        organisation=site.organisation,
        before=before,
        after=audit.snapshot(demand),
    )
    return demand


@transaction.atomic
def generate_enhanced_access_demand(
    *, by: Any, network: Organisation, on: dt.date, skills: list[Skill]
) -> int:
    """Demand at the PCN's hub covering its Enhanced Access minutes; returns minutes per week.

    Saturday sessions take about 60% of the minutes and weekday evenings the rest; clinicians are
    shared between `skills` in turn.
    """
    hub = EnhancedAccessHub.objects.select_related("site").get(network=network)
    require_permission(by, Permission.ROTA_PLAN, organisation=network)
    required = enhanced_access.required_minutes(enhanced_access.adjusted_population(network, on))
    SessionDemand.objects.filter(site=hub.site, network=network).delete()
    saturday_minutes = (
        SATURDAY_TIMES[SessionKind.AM].minutes + SATURDAY_TIMES[SessionKind.PM].minutes
    )
    evening_minutes = WEEKDAY_TIMES[SessionKind.EVENING].minutes
    saturday_people = math.floor(required * 0.6 / saturday_minutes)
    evening_people = math.ceil(
        max(0, required - saturday_people * saturday_minutes) / (5 * evening_minutes)
    )
    rows = [(5, SessionKind.AM, saturday_people), (5, SessionKind.PM, saturday_people)]
    rows += [(weekday, SessionKind.EVENING, evening_people) for weekday in range(5)]
    for weekday, session, people in rows:
        for i in range(people):
            skill = skills[i % len(skills)]
            demand, created = SessionDemand.objects.get_or_create(
                site=hub.site,
                weekday=weekday,
                session=session,
                skill=skill,
                network=network,
                defaults={"count": 1},
            )
            if not created:
                demand.count += 1
                demand.save(update_fields=["count"])
    planned = saturday_people * saturday_minutes + evening_people * 5 * evening_minutes
    audit.record(
        by=by,
        action="generate_enhanced_access_demand",
        obj=hub,
        organisation=network,
        after={"required_minutes": required, "demand_minutes": planned},
    )
    return planned
