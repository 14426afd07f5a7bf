"""Risk register pages: the register, the 5x5 heat map, a risk with its history, and its forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import get_organisation_or_404, has_permission
from openpcn.governance import actions, queries, risks
from openpcn.governance.forms import NoteForm, RecordRiskForm, UpdateRiskForm
from openpcn.governance.models import Risk
from openpcn.organisations.models import Organisation

STATUSES: dict[str, str | None] = {
    "open": "open",
    "closed": "closed",
    "all": None,
}


def _filters(request: HttpRequest) -> dict[str, Any]:
    """The register's filters from the query string; an organisation out of scope is a 404."""
    if not queries.register_scope(request.user):
        raise Http404("You see no risk register")
    chosen = request.GET.get("organisation", "")
    organisation: Organisation | None = None
    if chosen:
        if not chosen.isdigit():
            raise Http404("No such organisation")
        organisation = get_organisation_or_404(request.user, Permission.RISK_VIEW, pk=int(chosen))
    band_text = request.GET.get("band", "")
    band = risks.Band(band_text) if band_text in {b.value for b in risks.Band} else None
    status_text = request.GET.get("status", "open")
    if status_text not in STATUSES:
        status_text = "open"
    return {"organisation": organisation, "band": band, "status": status_text}


def _common(request: HttpRequest, filters: dict[str, Any]) -> dict[str, Any]:
    return {
        **filters,
        "organisations": queries.register_organisations(request.user),
        "bands": list(risks.Band),
        "can_record": bool(queries.manage_scope(request.user)),
        "today": dt.date.today(),
    }


@login_required
def register(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    found = queries.register(
        request.user,
        organisation=filters["organisation"],
        band=filters["band"],
        status=STATUSES[filters["status"]],
    )
    return render(
        request, "governance/register.jinja", {**_common(request, filters), "risks": list(found)}
    )


@login_required
def heat_map(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    found = queries.register(request.user, organisation=filters["organisation"], status=None)
    return render(
        request,
        "governance/heat_map.jinja",
        {
            **_common(request, filters),
            "grid": queries.heat_map(found),
            "consequences": risks.CONSEQUENCES,
            "likelihoods": risks.LIKELIHOODS,
        },
    )


def _can_manage(request: HttpRequest, risk: Risk) -> bool:
    return has_permission(request.user, Permission.RISK_MANAGE, organisation=risk.organisation)


def _managed_or_404(request: HttpRequest, pk: int) -> Risk:
    risk = queries.risk_or_404(request.user, pk)
    if not _can_manage(request, risk):
        raise Http404("No such risk")
    return risk


@login_required
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    risk = queries.risk_or_404(request.user, pk)
    can_manage = _can_manage(request, risk) and risk.is_open
    return render(
        request,
        "governance/risk_detail.jinja",
        {
            "risk": risk,
            "history": queries.history(risk),
            "can_manage": can_manage,
            "can_escalate": can_manage
            and risk.escalated_to_id is None
            and risk.alliance_id != risk.organisation_id,
            "today": dt.date.today(),
        },
    )


@login_required
def risk_new(request: HttpRequest) -> HttpResponse:
    organisations = sorted(
        Organisation.objects.filter(pk__in=queries.manage_scope(request.user)),
        key=lambda o: (o.kind != "alliance", o.kind != "place", o.kind != "network", o.name),
    )
    if not organisations:
        raise Http404("You record no risks")
    form = RecordRiskForm(
        request.POST or None,
        organisations=organisations,
        people=queries.possible_owners(request.user),
        initial={"organisation": request.GET.get("organisation")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            risk = actions.record_risk(
                by=request.user,
                organisation=data["organisation"],
                title=data["title"],
                description=data["description"],
                category=data["category"],
                owner=data["owner"],
                controls=data["controls"],
                actions=data["actions"],
                consequence=data["consequence"],
                likelihood=data["likelihood"],
                target_consequence=data["target_consequence"],
                target_likelihood=data["target_likelihood"],
                review_date=data["review_date"],
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        except PermissionDenied as error:
            raise Http404("No such organisation") from error
        else:
            messages.success(request, f"Risk {risk.reference} recorded.")
            return redirect("governance:risk", risk.pk)
    return render(request, "governance/risk_form.jinja", {"form": form, "risk": None})


@login_required
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    risk = _managed_or_404(request, pk)
    if not risk.is_open:
        raise Http404("A closed risk is not reviewed")
    editable = sorted(actions.EDITABLE_RISK_FIELDS)
    initial = {name: getattr(risk, name) for name in editable}
    initial["owner"] = risk.owner_id
    form = UpdateRiskForm(
        request.POST or None,
        initial=initial,
        people=queries.possible_owners(request.user, current=risk.owner),
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in editable}
        try:
            actions.update_risk(by=request.user, risk=risk, **changes)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        except PermissionDenied as error:
            raise Http404("No such risk") from error
        else:
            messages.success(request, f"Risk {risk.reference} updated.")
            return redirect("governance:risk", risk.pk)
    return render(request, "governance/risk_form.jinja", {"form": form, "risk": risk})


def _note_action(
    request: HttpRequest, pk: int, *, act: Any, template: str, done: str
) -> HttpResponse:
    risk = _managed_or_404(request, pk)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            act(by=request.user, risk=risk, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        except PermissionDenied as error:
            raise Http404("No such risk") from error
        else:
            messages.success(request, f"Risk {risk.reference} {done}.")
            return redirect("governance:risk", risk.pk)
    return render(request, template, {"form": form, "risk": risk})


@login_required
def risk_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _note_action(
        request, pk, act=actions.close_risk, template="governance/risk_close.jinja", done="closed"
    )


@login_required
def risk_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    return _note_action(
        request,
        pk,
        act=actions.escalate_risk,
        template="governance/risk_escalate.jinja",
        done="escalated to the alliance board",
    )
