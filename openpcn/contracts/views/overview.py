"""Across the register: the accountability map, premises, and what falls due soon."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.contracts import queries
from openpcn.contracts.views.register import _require_viewer


@login_required
def accountability_map(request: HttpRequest) -> HttpResponse:
    _require_viewer(request)
    return render(
        request,
        "contracts/map.jinja",
        {"contracts": queries.accountability_map(request.user)},
    )


@login_required
def premises(request: HttpRequest) -> HttpResponse:
    _require_viewer(request)
    return render(
        request,
        "contracts/premises.jinja",
        {
            "premises": list(queries.visible_premises(request.user)),
            "can_record": bool(covered_organisation_ids(request.user, Permission.CONTRACT_MANAGE)),
        },
    )


@login_required
def due(request: HttpRequest) -> HttpResponse:
    _require_viewer(request)
    today = timezone.localdate()
    return render(
        request,
        "contracts/due.jinja",
        {"reminders": queries.reminders(request.user, today), "today": today},
    )
