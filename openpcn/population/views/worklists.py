"""A practice's case-finding worklist: the page and its CSV download (each view and export audited).

Only staff holding a role in the practice itself see it (worklists.get_practice_or_404); NHS
numbers appear (page and CSV) only for those whose role there allows identifiers, and only when
the extract gave some. The audit records the practice, how (view or export), how many patient
rows were shown or downloaded and whether NHS numbers were among them; never a patient id or
NHS number.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from openpcn.population import actions
from openpcn.population import worklists as lists


def _no_store(response: HttpResponse | StreamingHttpResponse) -> None:
    # Patient-level rows: no browser or proxy keeps a copy.
    response["Cache-Control"] = "no-store"


def _selected(request: HttpRequest) -> str:
    indicator = request.GET.get("indicator", "").strip()
    return indicator if indicator in lists.TITLES else ""


def _sections(rows: list[dict[str, Any]], groups: dict[str, lists.Group]) -> list[dict[str, Any]]:
    """A page's rows in runs of the same indicator, each with its indicator's heading."""
    sections: list[dict[str, Any]] = []
    for row in rows:
        if not sections or sections[-1]["indicator"] != row["indicator"]:
            group = groups.get(row["indicator"])
            sections.append(
                {
                    "indicator": row["indicator"],
                    "title": row["title"],
                    "label": lists.sentence(row["reason"]),
                    "count": group.count if group else None,
                    "rows": [],
                }
            )
        sections[-1]["rows"].append(row)
    return sections


@login_required
def worklist(request: HttpRequest, practice: int) -> HttpResponse:
    organisation = lists.get_practice_or_404(request.user, practice)
    refresh = lists.latest_refresh(organisation)
    allowed = lists.may_see_identifiers(request.user, organisation)
    full = lists.read(organisation, refresh, allowed) if refresh is not None else None
    selected = _selected(request)
    context: dict[str, Any] = {
        "practice": organisation,
        "refresh": refresh,
        "worklist": full,
        "selected": selected,
        "page_size": lists.PAGE_SIZE,
        "identifiers": full is not None and full.identifiers,
    }
    shown, rows = 0, list[dict[str, Any]]()
    if full is not None:
        groups = full.groups()
        shown_list = full.only(selected) if selected else full
        page = Paginator(shown_list.rows(), lists.PAGE_SIZE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        shown = len(rows)
        context.update(
            groups=groups,
            selected_group=next((g for g in groups if g.indicator == selected), None),
            indicators=lists.choices(),
            page=page,
            sections=_sections(rows, {g.indicator: g for g in groups}),
            query=urlencode({"indicator": selected}) if selected else "",
            csv_url=reverse("population:worklist_csv", args=[organisation.pk])
            + (f"?{urlencode({'indicator': selected})}" if selected else ""),
            listed=shown_list.total,
        )
    actions.record_worklist_access(
        by=request.user,
        practice=organisation,
        how="view",
        rows=shown,
        identifiers=any(row.get(lists.NHS_NUMBER) for row in rows),
    )
    response = render(request, "population/worklist.jinja", context)
    _no_store(response)
    return response


@login_required
def worklist_csv(request: HttpRequest, practice: int) -> HttpResponse | StreamingHttpResponse:
    organisation = lists.get_practice_or_404(request.user, practice)
    refresh = lists.latest_refresh(organisation)
    allowed = lists.may_see_identifiers(request.user, organisation)
    full = lists.read(organisation, refresh, allowed) if refresh is not None else None
    if refresh is None or full is None:
        actions.record_worklist_access(by=request.user, practice=organisation, how="export", rows=0)
        response = HttpResponse(
            "There is no worklist for this practice yet: indicators have not been refreshed.",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
        _no_store(response)
        return response
    selected = _selected(request)
    chosen = full.only(selected) if selected else full
    actions.record_worklist_access(
        by=request.user,
        practice=organisation,
        how="export",
        rows=chosen.total,
        identifiers=chosen.identified > 0,
    )
    streamed = StreamingHttpResponse(
        lists.csv_lines(chosen), content_type="text/csv; charset=utf-8"
    )
    name = lists.filename(organisation, refresh.as_of, selected)
    streamed["Content-Disposition"] = f'attachment; filename="{name}"'
    _no_store(streamed)
    return streamed
