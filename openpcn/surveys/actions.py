"""Writes to surveys: building, audiences, invitations, reminders and answering.

Builder actions need SURVEY_MANAGE over the survey's alliance. Answering needs only a link's token:
it is checked by its SHA-256, the response is saved with group keys and the day only, and the
invitation's participation is marked in the same transaction, so nobody answers twice.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from openpcn.accounts.permissions import Permission
from openpcn.core import audit
from openpcn.core.actions import require_permission
from openpcn.core.tokens import hash_token
from openpcn.organisations.models import Organisation, OrganisationKind, RoleHolding, RoleTitle
from openpcn.organisations.queries import current_network, practices_of
from openpcn.surveys.models import (
    Answer,
    Audience,
    AudienceRule,
    Invitation,
    Option,
    Participation,
    Question,
    QuestionKind,
    Response,
    Section,
    Survey,
    SurveyStatus,
)


@transaction.atomic
def create_survey(
    *,
    by: Any,
    alliance: Organisation,
    title: str,
    intro: str = "",
    confidential: bool = True,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
) -> Survey:
    require_permission(by, Permission.SURVEY_MANAGE, organisation=alliance)
    if alliance.kind != OrganisationKind.ALLIANCE:
        raise ValidationError("A survey belongs to an alliance")
    if not title.strip():
        raise ValidationError("A survey needs a title")
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError("A survey cannot close before it opens")
    survey = Survey.objects.create(
        alliance=alliance,
        title=title.strip(),
        intro=intro.strip(),
        confidential=confidential,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    audit.record(
        by=by,
        action="create_survey",
        obj=survey,
        organisation=alliance,
        after=audit.snapshot(survey),
    )
    return survey


def _draft(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError("Only a draft survey's questions can change")


@transaction.atomic
def add_section(*, by: Any, survey: Survey, title: str) -> Section:
    require_permission(by, Permission.SURVEY_MANAGE, organisation=survey.alliance)
    _draft(survey)
    section = Section.objects.create(
        survey=survey, title=title.strip(), position=survey.sections.count() + 1
    )
    audit.record(
        by=by,
        action="add_survey_section",
        obj=section,
        organisation=survey.alliance,
        after=audit.snapshot(section),
    )
    return section


@transaction.atomic
def add_question(
    *,
    by: Any,
    section: Section,
    text: str,
    kind: str,
    options: list[str] | None = None,
    required: bool = False,
) -> Question:
    survey = section.survey
    require_permission(by, Permission.SURVEY_MANAGE, organisation=survey.alliance)
    _draft(survey)
    if kind not in QuestionKind.values:
        raise ValidationError(f"Unknown question kind {kind!r}")
    if not text.strip():
        raise ValidationError("A question needs its text")
    labels = [label.strip() for label in options or [] if label.strip()]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(labels) < 2:
        raise ValidationError("A choice question needs at least two options")
    if kind in (QuestionKind.LIKERT, QuestionKind.TEXT) and labels:
        raise ValidationError("Only choice questions have options")
    question = Question.objects.create(
        section=section,
        text=text.strip(),
        kind=kind,
        required=required,
        position=section.questions.count() + 1,
    )
    for position, label in enumerate(labels, start=1):
        Option.objects.create(question=question, label=label, position=position)
    audit.record(
        by=by,
        action="add_survey_question",
        obj=question,
        organisation=survey.alliance,
        after={**(audit.snapshot(question) or {}), "options": labels},
    )
    return question


@transaction.atomic
def add_audience(*, by: Any, survey: Survey, rule: str, organisation: Organisation) -> Audience:
    require_permission(by, Permission.SURVEY_MANAGE, organisation=organisation)
    if rule not in AudienceRule.values:
        raise ValidationError(f"Unknown audience rule {rule!r}")
    wanted = OrganisationKind.NETWORK if rule == AudienceRule.PCN_PEOPLE else OrganisationKind.PLACE
    if organisation.kind != wanted or organisation.alliance_id != survey.alliance_id:
        raise ValidationError(f"That audience is chosen from a {wanted} of the survey's alliance")
    audience = Audience.objects.create(survey=survey, rule=rule, organisation=organisation)
    audit.record(
        by=by,
        action="add_survey_audience",
        obj=audience,
        organisation=survey.alliance,
        after=audit.snapshot(audience),
    )
    return audience


def audience_holdings(audience: Audience) -> list[RoleHolding]:
    """The current role holdings an audience's rule chooses, each with the organisation held in."""
    holdings = RoleHolding.objects.current().select_related("person", "organisation")
    if audience.rule == AudienceRule.PCN_PEOPLE:
        ids = {audience.organisation_id, *(p.pk for p in practices_of(audience.organisation))}
        return list(holdings.filter(organisation_id__in=ids))
    networks = list(Organisation.objects.filter(place=audience.organisation))
    cds = holdings.filter(organisation__in=networks, title=RoleTitle.CLINICAL_DIRECTOR)
    if audience.rule == AudienceRule.PLACE_CLINICAL_DIRECTORS:
        return list(cds)
    practice_ids = {p.pk for n in networks for p in practices_of(n)}
    managers = holdings.filter(organisation_id__in=practice_ids, title=RoleTitle.PRACTICE_MANAGER)
    return [*cds, *managers]


def _link(token: str) -> str:
    base = getattr(settings, "OPENPCN_BASE_URL", "").rstrip("/")
    return f"{base}/surveys/answer/{token}/"


def _mail(survey: Survey, email: str, token: str, *, reminder: bool) -> None:
    subject = f"{'Reminder: ' if reminder else ''}{survey.title}"
    confidential = (
        "Your answers are confidential: they are stored with no link to you, and results are "
        "only shown for groups of 5 or more.\n\n"
        if survey.confidential
        else ""
    )
    body = (
        f"You are invited to answer {survey.title}.\n\n{survey.intro}\n\n{confidential}"
        f"Your own link (it works once): {_link(token)}\n"
    )
    send_mail(subject, body, None, [email])


@transaction.atomic
def open_survey(*, by: Any, survey: Survey, today: dt.date | None = None) -> Survey:
    require_permission(by, Permission.SURVEY_MANAGE, organisation=survey.alliance)
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError("Only a draft survey can be opened")
    if not Question.objects.filter(section__survey=survey).exists():
        raise ValidationError("A survey needs at least one question before it opens")
    before = audit.snapshot(survey)
    survey.status = SurveyStatus.OPEN
    survey.opens_on = survey.opens_on or today or dt.date.today()
    survey.save(update_fields=["status", "opens_on"])
    audit.record(
        by=by,
        action="open_survey",
        obj=survey,
        organisation=survey.alliance,
        before=before,
        after=audit.snapshot(survey),
    )
    return survey


@transaction.atomic
def close_survey(*, by: Any, survey: Survey, today: dt.date | None = None) -> Survey:
    require_permission(by, Permission.SURVEY_MANAGE, organisation=survey.alliance)
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError("Only an open survey can be closed")
    before = audit.snapshot(survey)
    survey.status = SurveyStatus.CLOSED
    survey.closes_on = today or dt.date.today()
    survey.save(update_fields=["status", "closes_on"])
    audit.record(
        by=by,
        action="close_survey",
        obj=survey,
        organisation=survey.alliance,
        before=before,
        after=audit.snapshot(survey),
    )
    return survey


@transaction.atomic
def send_invitations(
    *,
    by: Any,
    survey: Survey,
    today: dt.date | None = None,
    on_token: Callable[[Invitation, str], None] | None = None,
    email: bool = True,
) -> int:
    """Invite everyone the audiences choose who is not invited yet; returns how many were sent.

    `on_token` lets the demo and tests receive each link's token (it is never stored); the demo
    passes `email=False`, as its people's addresses are synthetic.
    """
    require_permission(by, Permission.SURVEY_MANAGE, organisation=survey.alliance)
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError("Invitations go out once the survey is open")
    today = today or dt.date.today()
    invited = set(survey.invitations.values_list("person_id", flat=True))
    sent = 0
    for audience in survey.audiences.select_related("organisation"):
        for holding in audience_holdings(audience):
            person = holding.person
            if person.pk in invited or not person.email:
                continue
            token = secrets.token_urlsafe(32)
            invitation = Invitation.objects.create(
                survey=survey,
                person=person,
                organisation=holding.organisation,
                token_hash=hash_token(token),
                sent_on=today,
            )
            invited.add(person.pk)
            if email:
                _mail(survey, person.email, token, reminder=False)
            if on_token is not None:
                on_token(invitation, token)
            sent += 1
    audit.record(
        by=by,
        action="send_survey_invitations",
        obj=survey,
        organisation=survey.alliance,
        after={"sent": sent, "on": today.isoformat()},
    )
    return sent


@transaction.atomic
def send_reminders(
    *,
    by: Any,
    survey: Survey,
    today: dt.date | None = None,
    on_token: Callable[[Invitation, str], None] | None = None,
) -> int:
    """Remind those who have not answered, with a fresh link (the old one stops working)."""
    require_permission(by, Permission.SURVEY_MANAGE, organisation=survey.alliance)
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError("Reminders go out only while the survey is open")
    today = today or dt.date.today()
    sent = 0
    waiting = survey.invitations.filter(participation__isnull=True).select_related("person")
    for invitation in waiting.select_for_update(of=("self",)):
        if not invitation.person.email:
            continue
        # The first link's token was never stored, so a reminder carries a new one.
        token = secrets.token_urlsafe(32)
        invitation.token_hash = hash_token(token)
        invitation.reminded_on = today
        invitation.save(update_fields=["token_hash", "reminded_on"])
        _mail(survey, invitation.person.email, token, reminder=True)
        if on_token is not None:
            on_token(invitation, token)
        sent += 1
    audit.record(
        by=by,
        action="send_survey_reminders",
        obj=survey,
        organisation=survey.alliance,
        after={"sent": sent, "on": today.isoformat()},
    )
    return sent


def invitation_for(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("survey", "survey__alliance", "organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )


def _group_keys(organisation: Organisation) -> dict[str, Any]:
    """The PCN, place and alliance a response is reported under (never the practice)."""
    pcn: Organisation | None = organisation
    if organisation.kind == OrganisationKind.PRACTICE:
        pcn = current_network(organisation)
    elif organisation.kind != OrganisationKind.NETWORK:
        pcn = None
    place_id = pcn.place_id if pcn is not None else None
    if organisation.kind == OrganisationKind.PLACE:
        place_id = organisation.pk
    return {"pcn": pcn, "place_id": place_id}


def _answers(survey: Survey, answers: Mapping[int, Any]) -> list[Answer]:
    """Answer rows from {question id: value}: 1-5, an option id, a list of option ids or text."""
    rows: list[Answer] = []
    questions = Question.objects.filter(section__survey=survey).prefetch_related("options")
    for question in questions:
        given = answers.get(question.pk)
        if given in (None, "", []):
            if question.required:
                raise ValidationError(f"Please answer: {question.text}")
            continue
        option_ids = {o.pk: o for o in question.options.all()}
        if question.kind == QuestionKind.LIKERT:
            value = int(given)
            if not 1 <= value <= 5:
                raise ValidationError("A scale answer is from 1 to 5")
            rows.append(Answer(question=question, value=value))
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            chosen = [int(v) for v in (given if isinstance(given, list) else [given])]
            if question.kind == QuestionKind.SINGLE and len(chosen) != 1:
                raise ValidationError("Choose one option")
            for option_id in dict.fromkeys(chosen):
                if option_id not in option_ids:
                    raise ValidationError("That option is not one of the question's")
                rows.append(Answer(question=question, option=option_ids[option_id]))
        else:
            rows.append(Answer(question=question, text=str(given).strip()[:5000]))
    return rows


@transaction.atomic
def answer(*, token: str, answers: Mapping[int, Any], today: dt.date | None = None) -> None:
    """Record one response through a link; a used, unknown or closed link is refused.

    Returns nothing: the response's key is not given back, so no caller can tie it to the link.
    """
    today = today or dt.date.today()
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("survey", "organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise ValidationError("This link is not valid")
    survey = invitation.survey
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError("This survey is not open")
    if Participation.objects.filter(invitation=invitation).exists():
        raise ValidationError("This link has already been used")
    rows = _answers(survey, answers)
    try:
        Participation.objects.create(invitation=invitation)
    except IntegrityError as error:
        raise ValidationError("This link has already been used") from error
    response = Response.objects.create(
        survey=survey,
        alliance_id=survey.alliance_id,
        received_on=today,
        **_group_keys(invitation.organisation),
    )
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    # Audited with no actor, no response id and no contents: only that one arrived, on the day.
    audit.record(
        by=None,
        action="survey_response_received",
        obj=survey,
        organisation=survey.alliance,
        after={"received_on": today.isoformat()},
    )
