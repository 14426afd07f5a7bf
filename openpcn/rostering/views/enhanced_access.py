"""Enhanced Access compliance: per PCN and week, minutes required, planned and delivered."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from openpcn.rostering import enhanced_access, queries
from openpcn.rostering.actions import MAX_WEEKS


def _monday(value: str | None) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if value else dt.date.today()
    except ValueError:
        day = dt.date.today()
    return day - dt.timedelta(days=day.weekday())


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    networks = queries.enhanced_access_networks(request.user)
    if not networks:
        raise Http404("No PCNs to show")
    first_week = _monday(request.GET.get("from"))
    try:
        weeks = min(MAX_WEEKS, max(1, int(request.GET.get("weeks", "4"))))
    except ValueError:
        weeks = 4
    rows = [(n, enhanced_access.compliance(n, first_week, weeks)) for n in networks]
    return render(
        request,
        "rostering/enhanced_access.jinja",
        {
            "rows": rows,
            "first_week": first_week,
            "weeks": weeks,
            "previous": first_week - dt.timedelta(days=7 * weeks),
            "next": first_week + dt.timedelta(days=7 * weeks),
        },
    )
