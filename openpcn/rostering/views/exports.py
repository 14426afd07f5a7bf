"""Downloads of a plan: CSV and XLSX, one row per person per session."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from openpcn.rostering import exports, queries

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: str | bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    plan = queries.get_plan_or_404(request.user, pk)
    return _download(exports.to_csv(plan), "text/csv; charset=utf-8", exports.filename(plan, "csv"))


@login_required
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = queries.get_plan_or_404(request.user, pk)
    return _download(exports.to_xlsx(plan), XLSX, exports.filename(plan, "xlsx"))
