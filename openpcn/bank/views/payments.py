"""Approved bank sessions for a month, on the page and as CSV and XLSX, for payroll and recharging."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from openpcn.bank import exports, queries, reports
from openpcn.bank.views import render_bank

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope(request: HttpRequest) -> set[int]:
    practice_ids = queries.report_scope(request.user)
    if not practice_ids:
        raise Http404("You see no bank payments")
    return practice_ids


def _download(content: str | bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def payments(request: HttpRequest) -> HttpResponse:
    practice_ids = _scope(request)
    month = queries.parse_month(request.GET.get("month"))
    rows = list(exports.rows(queries.approved_timesheets(practice_ids, month)))
    return render_bank(
        request,
        "bank/payments.jinja",
        {
            "month": month,
            "months": reports.recent_months(timezone.localdate(), 13)[::-1],
            "rows": rows,
            "totals": exports.totals(rows, month),
            "grand_total": sum((r.amount for r in rows), Decimal("0")),
            "grand_hours": sum((r.hours for r in rows), Decimal("0")),
        },
    )


@login_required
def payments_csv(request: HttpRequest, month: str) -> HttpResponse:
    practice_ids = _scope(request)
    first = queries.parse_month(month)
    return _download(
        exports.to_csv(queries.approved_timesheets(practice_ids, first), first),
        "text/csv; charset=utf-8",
        exports.filename(first, "csv"),
    )


@login_required
def payments_xlsx(request: HttpRequest, month: str) -> HttpResponse:
    practice_ids = _scope(request)
    first = queries.parse_month(month)
    return _download(
        exports.to_xlsx(queries.approved_timesheets(practice_ids, first), first),
        XLSX,
        exports.filename(first, "xlsx"),
    )
