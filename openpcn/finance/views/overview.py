"""/finance/: the PCNs whose finances the user may see, with a link to each year that has rates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from openpcn.finance import queries


@login_required
def index(request: HttpRequest) -> HttpResponse:
    networks = list(queries.viewable_networks(request.user))
    if not networks:
        raise Http404("No PCN finances to show")
    return render(
        request,
        "finance/index.jinja",
        {
            "networks": networks,
            "years": queries.years_with_rates(),
            "can_manage_rates": queries.may_manage_rates(request.user),
        },
    )
