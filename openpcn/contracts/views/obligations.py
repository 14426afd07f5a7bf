"""Obligations: adding one to a contract, handing it to a sub-contract, reporting how it stands,
and the breach view: if it fails, who answers to whom, under which clause."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openpcn.contracts import actions, queries
from openpcn.contracts.forms import DelegationForm, ObligationForm, ReportForm
from openpcn.contracts.models import Obligation


@login_required
@require_POST
def add(request: HttpRequest, pk: int) -> HttpResponse:
    contract = queries.contract_or_404(request.user, pk)
    form = ObligationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "An obligation needs its clause and what must be delivered.")
        return redirect("contracts:detail", contract.pk)
    try:
        actions.add_obligation(by=request.user, contract=contract, **form.cleaned_data)
    except PermissionDenied as error:
        raise Http404("No such contract") from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Obligation added.")
    return redirect("contracts:detail", contract.pk)


@login_required
@require_POST
def delegate(request: HttpRequest, pk: int) -> HttpResponse:
    subcontract = queries.contract_or_404(request.user, pk)
    chosen = request.POST.get("obligation", "")
    obligation = queries.obligation_or_404(request.user, int(chosen)) if chosen.isdigit() else None
    form = DelegationForm(
        request.POST, obligations=[(obligation.pk, str(obligation))] if obligation else []
    )
    if obligation is None or not form.is_valid():
        messages.error(request, "Choose the obligation and the clause that takes it on.")
        return redirect("contracts:detail", subcontract.pk)
    data = form.cleaned_data
    try:
        actions.delegate_obligation(
            by=request.user,
            obligation=obligation,
            subcontract=subcontract,
            clause=data["clause"],
            in_whole=data["in_whole"],
            part=data["part"],
        )
    except PermissionDenied as error:
        raise Http404("No such contract") from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"“{obligation.description}” is now delivered under this sub-contract."
        )
    return redirect("contracts:detail", subcontract.pk)


@login_required
def breach(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = queries.obligation_or_404(request.user, pk)
    routes = queries.obligation_branches(obligation)
    can_report = actions.may_manage(request.user, obligation.contract) or any(
        actions.may_manage(request.user, d.subcontract)
        for d in obligation.delegations.select_related("subcontract")
    )
    return render(
        request,
        "contracts/breach.jinja",
        {
            "obligation": obligation,
            "routes": routes,
            "report_form": ReportForm(initial={"status": obligation.status})
            if can_report
            else None,
        },
    )


@login_required
@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    obligation: Obligation = queries.obligation_or_404(request.user, pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            actions.report_on_obligation(
                by=request.user, obligation=obligation, **form.cleaned_data
            )
        except PermissionDenied as error:
            raise Http404("No such obligation") from error
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Status recorded.")
    return redirect("contracts:breach", obligation.pk)
