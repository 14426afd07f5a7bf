"""A PCN's financial year: entitlements per stream, the monthly schedule, and the ARRS forecast."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import get_organisation_or_404
from openpcn.finance import arrs
from openpcn.finance.entitlements import FinancialYear, network_entitlement
from openpcn.finance.models import Basis
from openpcn.organisations.models import Organisation, OrganisationKind


def _network(request: HttpRequest, pk: int) -> Organisation:
    return get_organisation_or_404(
        request.user,  # type: ignore[arg-type]
        Permission.FINANCE_VIEW,
        pk=pk,
        kind=OrganisationKind.NETWORK,
    )


def _year(year: int) -> FinancialYear:
    if not 2000 <= year <= 2100:
        raise Http404("No such financial year")
    return FinancialYear(year)


@login_required
def network_year(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    network = _network(request, pk)
    financial_year = _year(year)
    entitlement = network_entitlement(network, financial_year)
    forecast = arrs.network_forecast(network, financial_year, entitlement)
    return render(
        request,
        "finance/network_year.jinja",
        {
            "network": network,
            "year": financial_year,
            "previous": FinancialYear(financial_year.first_year - 1),
            "next": FinancialYear(financial_year.first_year + 1),
            "entitlement": entitlement,
            "forecast": forecast,
            "basis_labels": dict(Basis.choices),
        },
    )


@login_required
def arrs_claim_csv(request: HttpRequest, pk: int, year: int, month: str) -> HttpResponse:
    network = _network(request, pk)
    financial_year = _year(year)
    try:
        first = dt.datetime.strptime(month, "%Y-%m").date()
    except ValueError as error:
        raise Http404("No such month") from error
    if first not in financial_year.months:
        raise Http404("That month is not in the financial year")
    forecast = arrs.network_forecast(network, financial_year)
    response = HttpResponse(arrs.claim_csv(forecast, first), content_type="text/csv")
    filename = f"arrs-claim-{network.ods_code or network.pk}-{month}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
