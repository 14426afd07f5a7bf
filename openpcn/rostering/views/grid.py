"""The site week grid: who works each session at one site, with demand and gaps; planner edits.

Edits (add, remove, lock) go through the actions; with htmx only the changed cell is swapped,
with the live checks for the person edited shown in it.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import has_permission
from openpcn.organisations.models import Site
from openpcn.rostering import actions, checks, queries
from openpcn.rostering.forms import AssignmentForm
from openpcn.rostering.models import PlanStatus, RotaAssignment, RotaPlan
from openpcn.rostering.views.plans import error_text
from openpcn.workforce.models import Skill


def _site_or_404(plan: RotaPlan, site_id: object) -> Site:
    sites = {s.pk: s for s in queries.plan_sites(plan)}
    try:
        return sites[int(str(site_id))]
    except (KeyError, ValueError) as error:
        raise Http404("No such site in this rota") from error


def _week(plan: RotaPlan, value: str | None) -> dt.date:
    weeks = queries.plan_weeks(plan)
    try:
        chosen = dt.date.fromisoformat(value) if value else weeks[0]
    except ValueError:
        chosen = weeks[0]
    return chosen if chosen in weeks else weeks[0]


def _grid_url(plan: RotaPlan, site: Site, date: dt.date) -> str:
    week = plan.first_day + dt.timedelta(days=7 * ((date - plan.first_day).days // 7))
    return f"{reverse('rostering:grid', args=[plan.pk])}?site={site.pk}&week={week.isoformat()}"


def _edit_context(request: HttpRequest, plan: RotaPlan, site: Site) -> dict[str, object]:
    can_edit = plan.status in queries.EDITABLE and has_permission(
        request.user, Permission.ROTA_PLAN, organisation=plan.scope
    )
    return {
        "plan": plan,
        "site": site,
        "can_edit": can_edit,
        # A gap in a published rota can be offered to the bank by whoever may request cover there.
        "can_request_cover": plan.status == PlanStatus.PUBLISHED
        and has_permission(request.user, Permission.COVER_REQUEST, organisation=site.organisation),
        "staff_choices": list(queries.eligible_staff(plan, site)) if can_edit else [],
        "skills": list(Skill.objects.all()) if can_edit else [],
        "session_label": queries.session_label,
        "weekdays": queries.WEEKDAYS,
    }


@login_required
def site_week(request: HttpRequest, pk: int) -> HttpResponse:
    plan = queries.get_plan_or_404(request.user, pk)
    sites = queries.plan_sites(plan)
    if not sites:
        raise Http404("This rota covers no sites")
    site = _site_or_404(plan, request.GET.get("site") or sites[0].pk)
    week = _week(plan, request.GET.get("week"))
    context = _edit_context(request, plan, site)
    context.update(
        grid=queries.site_week(plan, site, week),
        sites=sites,
        weeks=queries.plan_weeks(plan),
        week=week,
    )
    return render(request, "rostering/site_week.jinja", context)


@login_required
def site_week_print(request: HttpRequest, pk: int) -> HttpResponse:
    plan = queries.get_plan_or_404(request.user, pk)
    site = _site_or_404(plan, request.GET.get("site"))
    week = _week(plan, request.GET.get("week"))
    return render(
        request,
        "rostering/site_week_print.jinja",
        {
            "plan": plan,
            "site": site,
            "grid": queries.site_week(plan, site, week),
            "session_label": queries.session_label,
            "weekdays": queries.WEEKDAYS,
            "now": timezone.localtime(),
        },
    )


def _cell_response(
    request: HttpRequest,
    plan: RotaPlan,
    site: Site,
    date: dt.date,
    session: str,
    *,
    breaches: list[checks.Breach] | None = None,
    error: str = "",
    form: AssignmentForm | None = None,
) -> HttpResponse:
    """The edited cell (htmx) or, without JavaScript, back to the grid with a message."""
    if not getattr(request, "htmx", False):
        if error:
            messages.error(request, error)
        for breach in breaches or []:
            messages.warning(request, f"Check: {breach.text}")
        return redirect(_grid_url(plan, site, date))
    context = _edit_context(request, plan, site)
    context.update(
        cell=queries.cell(plan, site, date, session),
        breaches=breaches,
        error=error,
        form=form,
    )
    return render(request, "rostering/_cell.jinja", context)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int, site_id: int) -> HttpResponse:
    plan = queries.get_plan_or_404(request.user, pk, Permission.ROTA_PLAN)
    site = _site_or_404(plan, site_id)
    form = AssignmentForm(request.POST, staff=queries.eligible_staff(plan, site))
    if not form.is_valid():
        date = _date_or_404(request.POST.get("date"))
        session = request.POST.get("session", "am")
        if session not in queries.SESSION_ORDER:
            raise Http404("No such session")
        return _cell_response(
            request, plan, site, date, session, error="Choose a person and a skill", form=form
        )
    data = form.cleaned_data
    here = queries.cell(plan, site, data["date"], data["session"])
    try:
        _, found = actions.set_assignment(
            by=request.user,
            plan=plan,
            staff=data["staff"],
            site=site,
            date=data["date"],
            session=data["session"],
            skill=data["skill"],
            network=here.network_for(data["skill"].pk),
        )
    except ValidationError as error:
        return _cell_response(
            request, plan, site, data["date"], data["session"], error=error_text(error)
        )
    if not getattr(request, "htmx", False):
        messages.success(request, f"{data['staff']} is now rostered for {here.label}.")
    return _cell_response(request, plan, site, data["date"], data["session"], breaches=found)


def _date_or_404(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError as error:
        raise Http404("No such date") from error


def _assignment_or_404(request: HttpRequest, pk: int, assignment_pk: int) -> RotaAssignment:
    plan = queries.get_plan_or_404(request.user, pk, Permission.ROTA_PLAN)
    assignment = (
        plan.assignments.select_related("site", "staff__person", "plan__scope")
        .filter(pk=assignment_pk)
        .first()
    )
    if assignment is None:
        raise Http404("No such session in this rota")
    return assignment


@login_required
@require_POST
def remove(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    assignment = _assignment_or_404(request, pk, assignment_pk)
    plan, site, date, session = (
        assignment.plan,
        assignment.site,
        assignment.date,
        assignment.session,
    )
    name = assignment.staff.person.full_name
    try:
        actions.remove_assignment(by=request.user, assignment=assignment)
    except ValidationError as error:
        return _cell_response(request, plan, site, date, session, error=error_text(error))
    if not getattr(request, "htmx", False):
        messages.success(request, f"{name} is no longer rostered for that session.")
    return _cell_response(request, plan, site, date, session)


@login_required
@require_POST
def lock(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    assignment = _assignment_or_404(request, pk, assignment_pk)
    locked = request.POST.get("locked") == "1"
    try:
        actions.lock_assignment(by=request.user, assignment=assignment, locked=locked)
    except ValidationError as error:
        return _cell_response(
            request,
            assignment.plan,
            assignment.site,
            assignment.date,
            assignment.session,
            error=error_text(error),
        )
    return _cell_response(
        request, assignment.plan, assignment.site, assignment.date, assignment.session
    )
