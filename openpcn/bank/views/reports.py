"""Bank figures per month over the practices the user covers: tables and bar charts in text."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from openpcn.bank import queries, reports
from openpcn.bank.views import render_bank


@login_required
def report(request: HttpRequest) -> HttpResponse:
    practice_ids = queries.report_scope(request.user)
    if not practice_ids:
        raise Http404("You see no bank figures")
    month = queries.parse_month(request.GET.get("month"))
    trend = reports.trend(practice_ids, month)
    return render_bank(
        request,
        "bank/report.jinja",
        {
            "month": month,
            "months": reports.recent_months(timezone.localdate(), 13)[::-1],
            "report": trend[-1],
            "trend": trend,
            "trend_bars": reports.fill_rate_bars(trend),
            "practice_count": len(practice_ids),
        },
    )
