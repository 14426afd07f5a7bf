"""Business plans: each PCN's plan for a year, its objectives with owners and progress. Read with
BOARD_VIEW over the PCN; written by PLAN_MANAGE holders (PCN managers, Clinical Directors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids, has_permission
from openpcn.finance.entitlements import FinancialYear
from openpcn.governance import plan_actions
from openpcn.governance.models import BusinessPlan, Objective, Progress
from openpcn.organisations.models import Organisation, OrganisationKind, Person, RoleHolding


class PlanForm(forms.Form):
    network = forms.TypedChoiceField(label="PCN", coerce=int)
    year = forms.TypedChoiceField(label="Financial year", coerce=int)
    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(label="Summary", required=False, widget=forms.Textarea)


class ObjectiveForm(forms.Form):
    title = forms.CharField(label="Objective", max_length=200)
    owner = forms.TypedChoiceField(label="Owner", coerce=int, required=False, empty_value=None)
    measure = forms.CharField(label="How success is measured", max_length=300, required=False)
    due_date = forms.DateField(label="Due by", required=False, help_text="For example 2027-03-31")


class ProgressForm(forms.Form):
    progress = forms.ChoiceField(label="Progress", choices=Progress.choices)
    note = forms.CharField(label="Note", required=False)


def _plans(user: Any) -> Any:
    scope = covered_organisation_ids(user, Permission.BOARD_VIEW)
    return BusinessPlan.objects.filter(network_id__in=scope).select_related("network")


def _plan_or_404(user: Any, pk: int) -> BusinessPlan:
    plan = _plans(user).filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan")
    return plan


def _managed_networks(user: Any) -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            kind=OrganisationKind.NETWORK,
            pk__in=covered_organisation_ids(user, Permission.PLAN_MANAGE),
        ).order_by("name")
    )


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    if not covered_organisation_ids(request.user, Permission.BOARD_VIEW):  # type: ignore[arg-type]
        raise Http404("No business plans to show")
    plans = list(_plans(request.user).prefetch_related("objectives"))
    networks = _managed_networks(request.user)
    form = None
    if networks:
        this_year = FinancialYear.containing(timezone.localdate()).first_year
        form = PlanForm(request.POST or None, initial={"year": this_year})
        form.fields["network"].choices = [(n.pk, n.name) for n in networks]  # type: ignore[attr-defined]
        form.fields["year"].choices = [  # type: ignore[attr-defined]
            (y, FinancialYear(y).label) for y in (this_year - 1, this_year, this_year + 1)
        ]
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            network = next(n for n in networks if n.pk == data["network"])
            try:
                plan = plan_actions.create_business_plan(
                    by=request.user,
                    network=network,
                    year=data["year"],
                    title=data["title"],
                    summary=data["summary"],
                )
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(request, f"Started: {plan}")
                return redirect("governance:plan", plan.pk)
    elif request.method == "POST":
        raise Http404("No such page")
    return render(request, "governance/plans.jinja", {"plans": plans, "form": form})


def _owners(plan: BusinessPlan) -> list[Person]:
    from openpcn.organisations.queries import practices_of

    network = plan.network
    orgs = {network.pk, network.alliance_id} | {p.pk for p in practices_of(network)}
    return list(
        Person.objects.filter(
            pk__in=RoleHolding.objects.current()
            .filter(organisation_id__in=orgs)
            .values("person_id")
        ).order_by("family_name", "given_name")
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request.user, pk)
    can_manage = has_permission(request.user, Permission.PLAN_MANAGE, organisation=plan.network)  # type: ignore[arg-type]
    objectives = list(plan.objectives.select_related("owner"))
    form = None
    if can_manage:
        form = ObjectiveForm()
        form.fields["owner"].choices = [("", "No owner yet")] + [  # type: ignore[attr-defined]
            (p.pk, str(p)) for p in _owners(plan)
        ]
    counts = {value: sum(1 for o in objectives if o.progress == value) for value in Progress.values}
    return render(
        request,
        "governance/plan.jinja",
        {
            "plan": plan,
            "objectives": objectives,
            "counts": counts,
            "progress_labels": dict(Progress.choices),
            "objective_form": form,
            "progress_form": ProgressForm() if can_manage else None,
            "can_manage": can_manage,
        },
    )


def _manage_or_404(request: HttpRequest, pk: int) -> BusinessPlan:
    plan = _plan_or_404(request.user, pk)
    if not has_permission(request.user, Permission.PLAN_MANAGE, organisation=plan.network):  # type: ignore[arg-type]
        raise Http404("No such plan")
    return plan


@login_required
@require_POST
def objective_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _manage_or_404(request, pk)
    form = ObjectiveForm(request.POST)
    owners = {p.pk: p for p in _owners(plan)}
    form.fields["owner"].choices = [("", "")] + [(k, str(v)) for k, v in owners.items()]  # type: ignore[attr-defined]
    if not form.is_valid():
        messages.error(request, "An objective needs a title, and the owner must be one listed.")
        return redirect("governance:plan", plan.pk)
    data = form.cleaned_data
    try:
        plan_actions.add_objective(
            by=request.user,
            plan=plan,
            title=data["title"],
            owner=owners.get(data["owner"]),
            measure=data["measure"],
            due_date=data["due_date"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, "Objective added.")
    return redirect("governance:plan", plan.pk)


@login_required
@require_POST
def objective_progress(request: HttpRequest, pk: int) -> HttpResponse:
    objective = Objective.objects.filter(pk=pk).select_related("plan").first()
    if objective is None:
        raise Http404("No such objective")
    plan = _manage_or_404(request, objective.plan_id)
    form = ProgressForm(request.POST)
    if form.is_valid():
        plan_actions.report_progress(
            by=request.user,
            objective=objective,
            progress=form.cleaned_data["progress"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, f"Progress recorded for “{objective.title}”.")
    return redirect("governance:plan", plan.pk)


@login_required
@require_POST
def plan_agree(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _manage_or_404(request, pk)
    try:
        plan_actions.agree_business_plan(by=request.user, plan=plan, on=timezone.localdate())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The plan is agreed.")
    return redirect("governance:plan", plan.pk)
