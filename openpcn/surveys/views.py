"""Survey pages: the list, builder and preview, results with a level picker, the CSV export, and
answering through a link (no sign-in). Results pages only ever see disclosed figures."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import get_organisation_or_404, has_permission, organisations_for
from openpcn.organisations.models import Organisation, OrganisationKind
from openpcn.surveys import actions, disclosure, queries
from openpcn.surveys.models import (
    LIKERT_LABELS,
    AudienceRule,
    Question,
    QuestionKind,
    Section,
    Survey,
    SurveyStatus,
)


def _survey(request: HttpRequest, pk: int) -> Survey:
    survey = queries.surveys_for(request.user).filter(pk=pk).first()
    if survey is None:
        raise Http404("No such survey")
    return survey


def _can_manage(request: HttpRequest, survey: Survey) -> bool:
    return has_permission(request.user, Permission.SURVEY_MANAGE, organisation=survey.alliance)


def _manageable(request: HttpRequest, pk: int) -> Survey:
    survey = _survey(request, pk)
    if not _can_manage(request, survey):
        raise PermissionDenied("You may not manage this survey")
    return survey


def _sections(survey: Survey) -> list[Section]:
    return list(survey.sections.prefetch_related("questions__options"))


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    alliances = organisations_for(request.user, Permission.SURVEY_MANAGE).filter(
        kind=OrganisationKind.ALLIANCE
    )
    return render(
        request,
        "surveys/list.jinja",
        {"surveys": list(queries.surveys_for(request.user)), "alliances": list(alliances)},
    )


@login_required
@require_POST
def survey_new(request: HttpRequest) -> HttpResponse:
    chosen = request.POST.get("alliance", "")
    if not chosen.isdigit():
        raise Http404("No such alliance")
    alliance = get_organisation_or_404(request.user, Permission.SURVEY_MANAGE, pk=int(chosen))
    try:
        survey = actions.create_survey(
            by=request.user,
            alliance=alliance,
            title=request.POST.get("title", ""),
            intro=request.POST.get("intro", ""),
            confidential=request.POST.get("confidential", "yes") == "yes",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:list")
    return redirect("surveys:detail", survey.pk)


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    places = Organisation.objects.filter(alliance=survey.alliance, kind=OrganisationKind.PLACE)
    networks = Organisation.objects.filter(alliance=survey.alliance, kind=OrganisationKind.NETWORK)
    return render(
        request,
        "surveys/detail.jinja",
        {
            "survey": survey,
            "sections": _sections(survey),
            "can_manage": _can_manage(request, survey),
            "audiences": list(survey.audiences.select_related("organisation")),
            "rules": AudienceRule.choices,
            "kinds": QuestionKind.choices,
            "places": list(places),
            "networks": list(networks),
            "participation": queries.participation(survey),
        },
    )


@login_required
def survey_preview(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    return render(
        request,
        "surveys/answer.jinja",
        {"survey": survey, "sections": _sections(survey), "likert": LIKERT_LABELS, "preview": True},
    )


def _do(request: HttpRequest, survey: Survey, work: Any, done: str) -> HttpResponse:
    try:
        work()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("surveys:detail", survey.pk)


@login_required
@require_POST
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _manageable(request, pk)
    title = request.POST.get("title", "")
    return _do(
        request,
        survey,
        lambda: actions.add_section(by=request.user, survey=survey, title=title),
        "Section added",
    )


@login_required
@require_POST
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _manageable(request, pk)
    section = survey.sections.filter(pk=request.POST.get("section") or 0).first()
    if section is None:
        raise Http404("No such section")
    options = request.POST.get("options", "").splitlines()
    return _do(
        request,
        survey,
        lambda: actions.add_question(
            by=request.user,
            section=section,
            text=request.POST.get("text", ""),
            kind=request.POST.get("kind", ""),
            options=options,
        ),
        "Question added",
    )


@login_required
@require_POST
def audience_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _manageable(request, pk)
    chosen = request.POST.get("organisation", "")
    if not chosen.isdigit():
        raise Http404("No such organisation")
    organisation = get_organisation_or_404(request.user, Permission.SURVEY_MANAGE, pk=int(chosen))
    return _do(
        request,
        survey,
        lambda: actions.add_audience(
            by=request.user,
            survey=survey,
            rule=request.POST.get("rule", ""),
            organisation=organisation,
        ),
        "Audience added",
    )


@login_required
@require_POST
def survey_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    survey = _manageable(request, pk)
    steps = {
        "open": (actions.open_survey, "The survey is open"),
        "invite": (actions.send_invitations, "Invitations sent"),
        "remind": (actions.send_reminders, "Reminders sent"),
        "close": (actions.close_survey, "The survey is closed"),
    }
    if step not in steps:
        raise Http404("No such step")
    work, done = steps[step]
    return _do(request, survey, lambda: work(by=request.user, survey=survey), done)


def _level(request: HttpRequest, survey: Survey) -> tuple[Organisation, list[Organisation]]:
    levels = queries.levels(request.user, survey)
    if not levels:
        raise Http404("You see no results for this survey")
    chosen = request.GET.get("level", "")
    if not chosen:
        return levels[0], levels
    for level in levels:
        if str(level.pk) == chosen:
            return level, levels
    raise Http404("No such level")


@login_required
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    level, levels = _level(request, survey)
    return render(
        request,
        "surveys/results.jinja",
        {
            "survey": survey,
            "level": level,
            "levels": levels,
            "results": queries.results(survey, level),
            "withheld": disclosure.WITHHELD,
            "min_respondents": disclosure.MIN_RESPONDENTS,
        },
    )


@login_required
def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    level, _ = _level(request, survey)
    response = HttpResponse(content_type="text/csv")
    name = f"survey-{survey.pk}-{level.pk}-{dt.date.today().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    csv.writer(response).writerows(queries.csv_rows(survey, level))
    return response


def _given(request: HttpRequest, sections: list[Section]) -> dict[int, Any]:
    given: dict[int, Any] = {}
    for section in sections:
        question: Question
        for question in section.questions.all():
            key = f"q{question.pk}"
            if question.kind == QuestionKind.MULTIPLE:
                given[question.pk] = request.POST.getlist(key)
            else:
                given[question.pk] = request.POST.get(key, "")
    return given


def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The respondent's page: no sign-in, the link is the key, and it works once."""
    invitation = actions.invitation_for(token)
    if invitation is None:
        return render(request, "surveys/answered.jinja", {"problem": "This link is not valid."})
    survey = invitation.survey
    if invitation_used(invitation):
        return render(
            request, "surveys/answered.jinja", {"problem": "This link has already been used."}
        )
    if survey.status != SurveyStatus.OPEN:
        return render(request, "surveys/answered.jinja", {"problem": "This survey is not open."})
    sections = _sections(survey)
    error = ""
    if request.method == "POST":
        try:
            actions.answer(token=token, answers=_given(request, sections))
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            return render(request, "surveys/answered.jinja", {"survey": survey, "problem": ""})
    return render(
        request,
        "surveys/answer.jinja",
        {
            "survey": survey,
            "sections": sections,
            "likert": LIKERT_LABELS,
            "preview": False,
            "error": error,
        },
    )


def invitation_used(invitation: Any) -> bool:
    return hasattr(invitation, "participation") and invitation.participation is not None
