"""Demo survey: a closed confidential survey of the place's Clinical Directors and practice managers.

Synthetic answers come through the real links (answer by token), so they are stored exactly as a
respondent's would be. The first PCN answers with fewer than 5 respondents, so its level is
withheld, while the place and alliance levels show rounded results.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from openpcn.organisations.models import OrganisationKind
from openpcn.surveys import actions
from openpcn.surveys.models import AudienceRule, Invitation, QuestionKind, Survey

TITLE = "How well does your PCN work together?"
STATEMENTS = [
    "Practices in our PCN trust each other",
    "Decisions in our PCN are made openly",
    "Our PCN shares staff and resources fairly",
    "I feel able to raise concerns in our PCN",
]
COMMENTS = [
    "More protected time for PCN meetings would help.",
    "The shared hub has brought practices closer.",
    "We need clearer roles between the PCN and the alliance.",
    "Data sharing across practices is still slow.",
    "The Clinical Director's updates are valued.",
    "Workload makes it hard to take part.",
    "Joint recruitment has worked well.",
    "Newer practice managers would like more induction.",
]


def _held_for(invitation: Invitation, demo: Any) -> Any:
    organisation = invitation.organisation
    if organisation.kind == OrganisationKind.PRACTICE:
        return demo.network_of[organisation.pk]
    return organisation


def build_surveys(demo: Any, *, seed: int = 2026) -> Survey:
    rng = random.Random(seed)
    today = dt.date.today()
    survey = actions.create_survey(
        by=None,
        alliance=demo.alliance,
        title=TITLE,
        intro="A confidential survey of Clinical Directors and practice managers about how "
        "the PCNs of the place work together.",
        confidential=True,
        opens_on=today - dt.timedelta(days=42),
    )
    section = actions.add_section(by=None, survey=survey, title="Working together")
    likert = [
        actions.add_question(by=None, section=section, text=text, kind=QuestionKind.LIKERT)
        for text in STATEMENTS
    ]
    comment = actions.add_question(
        by=None,
        section=section,
        text="What one thing would help your PCN work better together?",
        kind=QuestionKind.TEXT,
    )
    actions.add_audience(
        by=None, survey=survey, rule=AudienceRule.PLACE_LEADERS, organisation=demo.place
    )
    actions.open_survey(by=None, survey=survey)
    tokens: list[tuple[Invitation, str]] = []
    actions.send_invitations(
        by=None,
        survey=survey,
        today=survey.opens_on,
        on_token=lambda invitation, token: tokens.append((invitation, token)),
        email=False,
    )
    first_network = demo.networks[0]
    answered_in_first = 0
    for invitation, token in tokens:
        network = _held_for(invitation, demo)
        if network == first_network:
            # The first PCN stays below 5 respondents, so its own level is withheld.
            if answered_in_first >= 3:
                continue
            answered_in_first += 1
        elif rng.random() < 0.2:
            continue  # some never answer
        lean = rng.choice([2, 3, 4, 4, 5])
        answers: dict[int, Any] = {
            q.pk: max(1, min(5, lean + rng.choice([-1, 0, 0, 1]))) for q in likert
        }
        if rng.random() < 0.7:
            answers[comment.pk] = rng.choice(COMMENTS)
        answered_on = survey.opens_on + dt.timedelta(days=rng.randrange(1, 28))  # type: ignore[operator]
        actions.answer(token=token, answers=answers, today=answered_on)
    actions.close_survey(by=None, survey=survey, today=today - dt.timedelta(days=7))
    return survey
