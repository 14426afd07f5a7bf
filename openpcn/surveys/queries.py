"""Reads for survey pages, narrowed to the user's scope; every result goes through disclosure."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from openpcn.accounts.models import User
from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.organisations.models import Organisation, OrganisationKind
from openpcn.surveys import disclosure
from openpcn.surveys.models import (
    LIKERT_LABELS,
    Answer,
    Question,
    QuestionKind,
    Response,
    Survey,
)


def surveys_for(user: User) -> QuerySet[Survey]:
    """Surveys of alliances where the user may manage surveys or see results."""
    ids = covered_organisation_ids(user, Permission.SURVEY_MANAGE) | covered_organisation_ids(
        user, Permission.SURVEY_RESULTS_VIEW
    )
    # A role held in a PCN or place sees its alliance's surveys (results only at its own levels).
    alliance_ids = set(
        Organisation.objects.filter(pk__in=ids, alliance__isnull=False).values_list(
            "alliance_id", flat=True
        )
    )
    return Survey.objects.filter(alliance_id__in=ids | alliance_ids).select_related("alliance")


def levels(user: User, survey: Survey) -> list[Organisation]:
    """The alliance, places and PCNs of the survey's alliance the user may see results for."""
    ids = covered_organisation_ids(user, Permission.SURVEY_RESULTS_VIEW)
    found = Organisation.objects.filter(pk__in=ids).filter(
        pk=survey.alliance_id
    ) | Organisation.objects.filter(
        pk__in=ids,
        alliance_id=survey.alliance_id,
        kind__in=[OrganisationKind.PLACE, OrganisationKind.NETWORK],
    )
    order = {OrganisationKind.ALLIANCE: 0, OrganisationKind.PLACE: 1, OrganisationKind.NETWORK: 2}
    return sorted(found, key=lambda o: (order[OrganisationKind(o.kind)], o.name))


def _responses(survey: Survey, level: Organisation) -> QuerySet[Response]:
    responses = Response.objects.filter(survey=survey)
    if level.kind == OrganisationKind.PLACE:
        return responses.filter(place=level)
    if level.kind == OrganisationKind.NETWORK:
        return responses.filter(pcn=level)
    return responses.filter(alliance=level)


@dataclass
class QuestionResult:
    question: Question
    tallies: list[disclosure.Tally] = field(default_factory=list)
    mean: float | None = None
    comments: list[str] = field(default_factory=list)


@dataclass
class Results:
    level: Organisation
    shown: bool
    # The respondents rounded to the nearest 5, or None when withheld.
    respondents: int | None
    questions: list[QuestionResult]
    withheld_reason: str = ""


def results(survey: Survey, level: Organisation) -> Results:
    """The survey's results at one level, withheld below 5 respondents and rounded otherwise."""
    responses = _responses(survey, level)
    count = responses.count()
    if not disclosure.shown(count):
        return Results(level, False, None, [], disclosure.WITHHELD)
    answers = Answer.objects.filter(response__in=responses).values_list(
        "question_id", "value", "option_id", "text"
    )
    values: dict[int, list[int]] = defaultdict(list)
    options: dict[int, Counter[int]] = defaultdict(Counter)
    texts: dict[int, list[str]] = defaultdict(list)
    for question_id, value, option_id, text in answers:
        if value is not None:
            values[question_id].append(value)
        elif option_id is not None:
            options[question_id][option_id] += 1
        elif text:
            texts[question_id].append(text)
    # Free text only at the alliance's or a place's level, never a PCN's.
    text_level = level.kind in (OrganisationKind.ALLIANCE, OrganisationKind.PLACE)
    out: list[QuestionResult] = []
    questions = Question.objects.filter(section__survey=survey).prefetch_related("options")
    for question in questions.select_related("section"):
        result = QuestionResult(question)
        if question.kind == QuestionKind.LIKERT:
            given = Counter(values[question.pk])
            result.tallies = disclosure.tallies(
                [(f"{n} {label}", given[n]) for n, label in LIKERT_LABELS.items()]
            )
            result.mean = disclosure.mean(values[question.pk], count)
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            result.tallies = disclosure.tallies(
                [(o.label, options[question.pk][o.pk]) for o in question.options.all()]
            )
        elif text_level:
            result.comments = disclosure.free_text(texts[question.pk], count)
        out.append(result)
    return Results(level, True, disclosure.round_count(count), out)


def csv_rows(survey: Survey, level: Organisation) -> list[list[Any]]:
    """The export: one row per disclosed figure, from the same results as the page."""
    found = results(survey, level)
    rows: list[list[Any]] = [["level", "section", "question", "answer", "count", "percent", "mean"]]
    if not found.shown:
        rows.append([level.name, "", "", disclosure.WITHHELD, "", "", ""])
        return rows
    rows.append([level.name, "", "All questions", "Respondents", found.respondents, "", ""])
    for result in found.questions:
        q = result.question
        for tally in result.tallies:
            rows.append(
                [level.name, q.section.title, q.text, tally.label, tally.count, tally.percent, ""]
            )
        if result.mean is not None:
            rows.append([level.name, q.section.title, q.text, "Mean", "", "", result.mean])
        for comment in result.comments:
            rows.append([level.name, q.section.title, q.text, comment, "", "", ""])
    return rows


def participation(survey: Survey) -> dict[str, int]:
    """Invited and answered counts for the whole survey (never who answered what)."""
    invited = survey.invitations.count()
    answered = survey.invitations.filter(participation__isnull=False).count()
    return {"invited": invited, "answered": answered}
