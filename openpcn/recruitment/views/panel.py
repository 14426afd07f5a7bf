"""The shortlisting panel's pages: the vacancies a user sits on, and for each its applications by
candidate number (no names while blind), the statements, and this member's scores."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openpcn.recruitment import actions, queries
from openpcn.recruitment.models import SCORE_LABELS, VacancyStatus


def _seated(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    vacancy = queries.vacancy_or_404(request.user, pk)
    seat = queries.seat(request.user, vacancy)
    if seat is None:
        raise Http404("You are not on this vacancy's panel")
    return vacancy, seat


@login_required
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy, seat = _seated(request, pk)
    return render(
        request,
        "recruitment/panel.jinja",
        {
            "vacancy": vacancy,
            "seat": seat,
            "criteria": queries.criteria(vacancy),
            "rows": queries.panel_rows(request.user, vacancy),
            "blind": queries.names_hidden(request.user, vacancy),
            "scoring": vacancy.status == VacancyStatus.SHORTLISTING,
            "labels": SCORE_LABELS,
            "can_manage": queries.can_manage(request.user, vacancy),
        },
    )


@login_required
@require_POST
def score(request: HttpRequest, pk: int, application: int) -> HttpResponse:
    vacancy, _ = _seated(request, pk)
    found = queries.application_or_404(vacancy, application)
    given: dict[int, int] = {}
    for criterion in queries.criteria(vacancy):
        value = request.POST.get(f"c{criterion.pk}", "")
        if value.isdigit():
            given[criterion.pk] = int(value)
    try:
        actions.score_application(by=request.user, application=found, scores=given)
    except PermissionDenied as error:
        raise Http404("No such application") from error
    except ValidationError as error:
        messages.error(request, f"{found.candidate}: " + " ".join(error.messages))
    else:
        messages.success(request, f"Your scores for {found.candidate} are saved")
    return redirect("recruitment:panel", pk)
