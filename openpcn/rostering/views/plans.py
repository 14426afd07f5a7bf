"""Rota plans: the list, planning a new one, and a plan's page with progress, checks and publishing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids, has_permission
from openpcn.rostering import actions, checks, queries
from openpcn.rostering.forms import PlanForm, PublishForm
from openpcn.rostering.models import PlanStatus, RotaPlan


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    if not covered_organisation_ids(request.user, Permission.ROTA_VIEW):
        raise Http404("No rotas to show")
    return render(
        request,
        "rostering/plan_list.jinja",
        {
            "plans": queries.plans_in_scope(request.user)[:100],
            "can_plan": bool(queries.planning_scopes(request.user)),
            "can_approve_swaps": bool(
                covered_organisation_ids(request.user, Permission.ROTA_PUBLISH)
            ),
            "networks": queries.enhanced_access_networks(request.user),
        },
    )


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    scopes = queries.planning_scopes(request.user)
    if not scopes:
        raise Http404("You cannot plan rotas")
    form = PlanForm(request.POST or None, scopes=scopes)
    if request.method == "POST" and form.is_valid():
        try:
            plan = actions.create_plan(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Planning has started. This page shows its progress.")
            return redirect("rostering:plan", plan.pk)
    return render(request, "rostering/plan_new.jinja", {"form": form})


def _plan_context(request: HttpRequest, plan: RotaPlan) -> dict[str, object]:
    user = request.user
    done = not plan.is_running
    breaches = checks.breaches(plan) if done else []
    return {
        "plan": plan,
        "can_plan": has_permission(user, Permission.ROTA_PLAN, organisation=plan.scope),
        "can_publish": has_permission(user, Permission.ROTA_PUBLISH, organisation=plan.scope),
        "editable": plan.status in queries.EDITABLE,
        "penalties": plan.penalties.all() if done else [],
        "breaches": breaches,
        "assignment_count": plan.assignments.count(),
        "sites": queries.plan_sites(plan),
        "weeks": queries.plan_weeks(plan),
        "repairs": plan.repairs.order_by("-created_at"),
        "PlanStatus": PlanStatus,
        "polling": plan.is_running,
        "progress_shown": queries.progress_shown,
    }


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = queries.get_plan_or_404(request.user, pk)
    context = _plan_context(request, plan)
    context["publish_form"] = PublishForm()
    return render(request, "rostering/plan_detail.jinja", context)


@login_required
def plan_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment that the plan page polls while the plan is being planned."""
    plan = queries.get_plan_or_404(request.user, pk)
    response = render(
        request,
        "rostering/_progress.jinja",
        {"plan": plan, "polling": True, "progress_shown": queries.progress_shown},
    )
    if not plan.is_running and getattr(request, "htmx", False):
        # Finished: reload the whole page so the result, gaps and checks appear.
        response["HX-Refresh"] = "true"
    return response


def _run_action(request: HttpRequest, pk: int, permission: Permission, name: str) -> RotaPlan:
    plan = queries.get_plan_or_404(request.user, pk, permission)
    action = getattr(actions, name)
    try:
        return action(by=request.user, plan=plan)  # type: ignore[no-any-return]
    except ValidationError as error:
        messages.error(request, error_text(error))
    except PermissionDenied as error:
        raise Http404("No such rota") from error
    return plan


@login_required
@require_POST
def plan_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _run_action(request, pk, Permission.ROTA_PLAN, "cancel_plan")
    if plan.cancel_requested:
        messages.success(request, "Planning is being stopped.")
    return redirect("rostering:plan", pk)


@login_required
@require_POST
def plan_replan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _run_action(request, pk, Permission.ROTA_PLAN, "replan")
    if plan.is_running:
        messages.success(request, "Planning again around the locked sessions.")
    return redirect("rostering:plan", pk)


@login_required
@require_POST
def plan_repair(request: HttpRequest, pk: int) -> HttpResponse:
    plan = queries.get_plan_or_404(request.user, pk, Permission.ROTA_PLAN)
    try:
        repair = actions.repair_published(by=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("rostering:plan", pk)
    messages.success(
        request,
        "Repairing the published rota with as few changes as possible. Publish it when ready.",
    )
    return redirect("rostering:plan", repair.pk)


@login_required
@require_POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = queries.get_plan_or_404(request.user, pk, Permission.ROTA_PUBLISH)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            actions.publish_plan(
                by=request.user, plan=plan, override_reason=form.cleaned_data["override_reason"]
            )
        except ValidationError as error:
            form.add_error("override_reason", error_text(error))
        else:
            messages.success(request, "The rota is published. The staff on it have been emailed.")
            return redirect("rostering:plan", pk)
    context = _plan_context(request, plan)
    context["publish_form"] = form
    return render(request, "rostering/plan_detail.jinja", context, status=400)
