"""The funding rate table (anyone with FINANCE_VIEW) and adding or correcting a rate (finance
officers, through `finance.actions`; the forms 404 for everyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import has_permission
from openpcn.finance import actions, queries
from openpcn.finance.forms import RateForm
from openpcn.finance.models import FundingRate


@login_required
def rate_list(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user, Permission.FINANCE_VIEW):  # type: ignore[arg-type]
        raise Http404("No funding rates to show")
    return render(
        request,
        "finance/rates.jinja",
        {
            "rates": list(queries.rate_table()),
            "can_manage_rates": queries.may_manage_rates(request.user),
        },
    )


def _require_manager(request: HttpRequest) -> None:
    if not queries.may_manage_rates(request.user):
        raise Http404("No such page")


@login_required
def rate_new(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rate = actions.add_funding_rate(
                by=request.user,
                stream=data["stream"],
                basis=data["basis"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                rate=data["rate"],
                source=data["source"],
                unit_note=data["unit_note"],
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        except PermissionDenied as error:
            raise Http404("No such page") from error
        else:
            messages.success(request, f"Added: {rate}")
            return redirect("finance:rates")
    return render(request, "finance/rate_form.jinja", {"form": form, "rate": None})


@login_required
def rate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    rate = get_object_or_404(FundingRate.objects.select_related("stream"), pk=pk)
    initial = {
        "valid_from": rate.valid_from,
        "valid_to": rate.valid_to,
        "rate": rate.rate,
        "unit_note": rate.unit_note,
        "source": rate.source,
    }
    form = RateForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.change_funding_rate(
                by=request.user,
                rate=rate,
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                value=data["rate"],
                source=data["source"],
                unit_note=data["unit_note"],
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        except PermissionDenied as error:
            raise Http404("No such page") from error
        else:
            messages.success(request, f"Changed the {rate.stream.name} rate")
            return redirect("finance:rates")
    return render(request, "finance/rate_form.jinja", {"form": form, "rate": rate})
