"""A plan's coverage heat map: for each site and day of a week, the share of wanted people filled."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openpcn.rostering import queries
from openpcn.rostering.views.grid import _week


@login_required
def coverage(request: HttpRequest, pk: int) -> HttpResponse:
    plan = queries.get_plan_or_404(request.user, pk)
    week = _week(plan, request.GET.get("week"))
    table = queries.coverage(plan, week)
    return render(
        request,
        "rostering/coverage.jinja",
        {
            "plan": plan,
            "week": week,
            "weeks": queries.plan_weeks(plan),
            "days": [d.date for d in table[0].days] if table else [],
            "table": table,
            "weekdays": queries.WEEKDAYS,
        },
    )
