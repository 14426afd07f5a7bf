"""Swaps to approve: a manager approves swaps both colleagues agreed; the rules are checked first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.rostering import actions, calendar, queries
from openpcn.rostering.views.plans import error_text


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    if not covered_organisation_ids(request.user, Permission.ROTA_PUBLISH):
        raise Http404("You approve no swaps")
    return render(
        request,
        "rostering/swaps.jinja",
        {
            "swaps": queries.swaps_to_approve(request.user),
            "summary": calendar.summary,
            "weekdays": queries.WEEKDAYS,
        },
    )


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    swap = queries.swaps_to_approve(request.user).filter(pk=pk).first()
    if swap is None:
        raise Http404("No such swap awaiting approval")
    try:
        actions.approve_swap(by=request.user, swap=swap)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            f"Approved: {swap.colleague.person.full_name} now works "
            f"{calendar.summary(swap.offered)} on {swap.offered.date:%d %B}.",
        )
    return redirect("rostering:swaps")
