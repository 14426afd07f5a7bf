"""A confidential survey of the universe's North place: 4 people at N1, 3 at N2, links kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from openpcn.organisations import actions as org_actions
from openpcn.organisations.models import RoleTitle
from openpcn.surveys import actions
from openpcn.surveys.models import AudienceRule, QuestionKind, Survey

START = dt.date(2020, 4, 1)


@dataclass
class SurveySetup:
    survey: Survey
    tokens: dict[str, str] = field(default_factory=dict)  # email -> link token
    questions: dict[str, int] = field(default_factory=dict)
    options: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def survey_setup(universe, settings) -> SurveySetup:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    people = [
        ("n1", RoleTitle.CLINICAL_DIRECTOR, "cd.n1"),
        ("p1", RoleTitle.PRACTICE_MANAGER, "pm.p1"),
        ("p1", RoleTitle.GP_PARTNER, "gp.p1"),
        ("p2", RoleTitle.PRACTICE_MANAGER, "pm.p2"),
        ("n2", RoleTitle.CLINICAL_DIRECTOR, "cd.n2"),
        ("p3", RoleTitle.PRACTICE_MANAGER, "pm.p3"),
        ("p3", RoleTitle.GP_PARTNER, "gp.p3"),
    ]
    for key, title, email in people:
        person = org_actions.add_person(
            by=None,
            organisation=universe.orgs[key],
            given_name=email.split(".")[0],
            family_name=email.split(".")[1],
            email=f"{email}@example.nhs.uk",
        )
        org_actions.appoint(
            by=None, person=person, organisation=universe.orgs[key], title=title, start_date=START
        )
    survey = actions.create_survey(
        by=None,
        alliance=universe.north,
        title="How well does your PCN work together?",
        intro="A few questions.",
    )
    section = actions.add_section(by=None, survey=survey, title="Working together")
    setup = SurveySetup(survey)
    setup.questions["trust"] = actions.add_question(
        by=None, section=section, text="We trust each other", kind=QuestionKind.LIKERT
    ).pk
    single = actions.add_question(
        by=None,
        section=section,
        text="How often do you meet?",
        kind=QuestionKind.SINGLE,
        options=["Weekly", "Monthly"],
    )
    setup.questions["meet"] = single.pk
    setup.options.update({o.label: o.pk for o in single.options.all()})
    multiple = actions.add_question(
        by=None,
        section=section,
        text="What do you share?",
        kind=QuestionKind.MULTIPLE,
        options=["Staff", "Premises", "Data"],
    )
    setup.questions["share"] = multiple.pk
    setup.options.update({o.label: o.pk for o in multiple.options.all()})
    setup.questions["comment"] = actions.add_question(
        by=None, section=section, text="Anything else?", kind=QuestionKind.TEXT
    ).pk
    for network in (universe.n1, universe.n2):
        actions.add_audience(
            by=None, survey=survey, rule=AudienceRule.PCN_PEOPLE, organisation=network
        )
    actions.open_survey(by=None, survey=survey)
    actions.send_invitations(
        by=None,
        survey=survey,
        on_token=lambda invitation, token: setup.tokens.__setitem__(invitation.person.email, token),
    )
    return setup


def answers_for(setup: SurveySetup, n: int) -> dict[int, object]:
    q, o = setup.questions, setup.options
    return {
        q["trust"]: 1 + n % 5,
        q["meet"]: o["Weekly"] if n % 2 else o["Monthly"],
        q["share"]: [o["Staff"], o["Data"]],
        q["comment"]: f"Comment number {n}",
    }
