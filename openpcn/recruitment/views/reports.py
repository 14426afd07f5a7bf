"""Reports: time to hire, vacancy months and ARRS money at risk (RECRUITMENT_MANAGE), and the
equality monitoring report (EQUALITY_REPORT_VIEW), only ever in aggregate."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import has_permission, organisations_for
from openpcn.finance.entitlements import FinancialYear
from openpcn.organisations.models import OrganisationKind
from openpcn.recruitment import equality
from openpcn.recruitment.reports import hiring_report
from openpcn.surveys import disclosure


@login_required
def hiring(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user, Permission.RECRUITMENT_MANAGE):
        raise Http404("You do not manage recruitment")
    rows, groups = hiring_report(request.user)
    return render(request, "recruitment/reports.jinja", {"rows": rows, "groups": groups})


@login_required
def equality_report(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("alliance", "")
    alliance = equality.alliance_or_404(request.user, int(chosen) if chosen.isdigit() else None)
    years = equality.years(alliance)
    wanted = request.GET.get("year", "")
    year = FinancialYear(int(wanted)) if wanted.isdigit() else None
    if year is not None and year not in years:
        raise Http404("No such year")
    alliances = organisations_for(request.user, Permission.EQUALITY_REPORT_VIEW).filter(
        kind=OrganisationKind.ALLIANCE
    )
    return render(
        request,
        "recruitment/equality.jinja",
        {
            "report": equality.report(alliance, year),
            "alliances": list(alliances),
            "years": years,
            "year": year,
            "min_group": disclosure.MIN_RESPONDENTS,
            "min_vacancies": equality.MIN_VACANCIES,
        },
    )
