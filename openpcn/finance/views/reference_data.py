"""Reference figures the entitlements use besides the rates: ARRS role maxima (national, kept by
finance officers held in an alliance) and each PCN's care home beds per financial year."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import get_organisation_or_404, has_permission
from openpcn.finance import actions, queries
from openpcn.finance.entitlements import FinancialYear
from openpcn.finance.forms import ArrsMaximumForm, CareHomeBedsForm
from openpcn.finance.models import CareHomeBeds
from openpcn.organisations.models import OrganisationKind


@login_required
def arrs_maxima(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user, Permission.FINANCE_VIEW):  # type: ignore[arg-type]
        raise Http404("No ARRS role maxima to show")
    return render(
        request,
        "finance/arrs_maxima.jinja",
        {
            "maxima": list(queries.role_maxima()),
            "can_manage_rates": queries.may_manage_rates(request.user),
        },
    )


@login_required
def arrs_maximum_new(request: HttpRequest) -> HttpResponse:
    if not queries.may_manage_rates(request.user):
        raise Http404("No such page")
    form = ArrsMaximumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            maximum = actions.add_arrs_role_maximum(
                by=request.user,
                job_role=data["job_role"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                annual_maximum=data["annual_maximum"],
                source=data["source"],
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        except PermissionDenied as error:
            raise Http404("No such page") from error
        else:
            messages.success(request, f"Added: {maximum}")
            return redirect("finance:arrs_maxima")
    return render(request, "finance/arrs_maximum_form.jinja", {"form": form})


def _bed_years(recorded: list[CareHomeBeds]) -> list[FinancialYear]:
    """Years a count can be recorded for: those with rates, those already recorded, this and next."""
    current = FinancialYear.containing(dt.date.today()).first_year
    years = {y.first_year for y in queries.years_with_rates()}
    years.update(r.year for r in recorded)
    years.update({current, current + 1})
    return [FinancialYear(y) for y in sorted(years, reverse=True)]


@login_required
def care_home_beds(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_organisation_or_404(
        request.user,  # type: ignore[arg-type]
        Permission.FINANCE_VIEW,
        pk=pk,
        kind=OrganisationKind.NETWORK,
    )
    can_record = has_permission(
        request.user,  # type: ignore[arg-type]
        Permission.FINANCE_MANAGE,
        organisation=network,
    )
    if request.method == "POST" and not can_record:
        raise PermissionDenied("You may not record care home beds for this PCN")
    recorded = list(CareHomeBeds.objects.filter(network=network).order_by("-year"))
    current = FinancialYear.containing(dt.date.today())
    form = CareHomeBedsForm(
        request.POST or None, years=_bed_years(recorded), initial={"year": current.first_year}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = actions.record_care_home_beds(
                by=request.user,
                network=network,
                year=data["year"],
                beds=data["beds"],
                source=data["source"],
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            label = FinancialYear(record.year).label
            messages.success(request, f"Recorded {record.beds} care home beds for {label}")
            return redirect("finance:care_home_beds", network.pk)
    return render(
        request,
        "finance/care_home_beds.jinja",
        {
            "network": network,
            "rows": [(FinancialYear(r.year), r) for r in recorded],
            "form": form if can_record else None,
            "current": current,
        },
    )
