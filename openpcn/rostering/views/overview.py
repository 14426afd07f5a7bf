"""A PCN's overview: the coverage heat map of its rota (published, else the latest draft) for a week."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import get_organisation_or_404
from openpcn.organisations.models import OrganisationKind
from openpcn.rostering import queries
from openpcn.rostering.views.enhanced_access import _monday


@login_required
def pcn_overview(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_organisation_or_404(
        request.user, Permission.ROTA_VIEW, pk=pk, kind=OrganisationKind.NETWORK
    )
    week = _monday(request.GET.get("week"))
    plan = queries.rota_for_network(network, week)
    table = queries.coverage(plan, week, network) if plan else []
    return render(
        request,
        "rostering/pcn_overview.jinja",
        {
            "network": network,
            "plan": plan,
            "week": week,
            "previous": week - dt.timedelta(days=7),
            "next": week + dt.timedelta(days=7),
            "days": [d.date for d in table[0].days] if table else [],
            "table": table,
            "weekdays": queries.WEEKDAYS,
        },
    )
