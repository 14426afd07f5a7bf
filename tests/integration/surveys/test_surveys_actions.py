import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from openpcn.core.models import AuditEvent
from openpcn.surveys import actions, queries
from openpcn.surveys.models import Invitation, Participation, Response, SurveyStatus
from tests.integration.surveys.conftest import answers_for

pytestmark = pytest.mark.django_db


def test_invitations_go_to_everyone_the_audiences_choose(survey_setup) -> None:
    assert len(mail.outbox) == 7
    assert {m.to[0] for m in mail.outbox} == set(survey_setup.tokens)
    token = survey_setup.tokens["cd.n1@example.nhs.uk"]
    assert any(token in m.body for m in mail.outbox)
    # Only the hash is kept.
    assert not Invitation.objects.filter(token_hash=token).exists()


def test_answering_records_a_response_and_participation_once(survey_setup, universe) -> None:
    token = survey_setup.tokens["cd.n1@example.nhs.uk"]
    actions.answer(token=token, answers=answers_for(survey_setup, 1))
    response = Response.objects.get()
    assert (response.pcn_id, response.place_id, response.alliance_id) == (
        universe.n1.pk,
        universe.place.pk,
        universe.north.pk,
    )
    assert Participation.objects.count() == 1
    with pytest.raises(ValidationError, match="already been used"):
        actions.answer(token=token, answers=answers_for(survey_setup, 2))
    assert Response.objects.count() == 1


def test_practice_invitees_are_reported_under_their_pcn(survey_setup, universe) -> None:
    actions.answer(token=survey_setup.tokens["pm.p3@example.nhs.uk"], answers={})
    assert Response.objects.get().pcn_id == universe.n2.pk


def test_the_response_audit_names_no_one_and_no_response(survey_setup) -> None:
    actions.answer(
        token=survey_setup.tokens["gp.p1@example.nhs.uk"], answers=answers_for(survey_setup, 3)
    )
    event = AuditEvent.objects.get(action="survey_response_received")
    assert event.actor is None
    assert event.object_id == str(survey_setup.survey.pk)
    assert set(event.after) == {"received_on"}
    response = Response.objects.get()
    assert not AuditEvent.objects.filter(object_id=str(response.pk)).exists()


def test_reminders_go_only_to_those_who_have_not_answered(survey_setup) -> None:
    actions.answer(token=survey_setup.tokens["cd.n1@example.nhs.uk"], answers={})
    mail.outbox.clear()
    assert actions.send_reminders(by=None, survey=survey_setup.survey) == 6
    assert "cd.n1@example.nhs.uk" not in {m.to[0] for m in mail.outbox}


def test_results_are_withheld_below_five_and_rounded_above(survey_setup, universe) -> None:
    for n, email in enumerate(["cd.n1", "pm.p1", "gp.p1", "pm.p2", "cd.n2", "pm.p3"], start=1):
        actions.answer(
            token=survey_setup.tokens[f"{email}@example.nhs.uk"],
            answers=answers_for(survey_setup, n),
        )
    at_pcn = queries.results(survey_setup.survey, universe.n1)
    assert not at_pcn.shown and at_pcn.questions == []
    at_place = queries.results(survey_setup.survey, universe.place)
    assert at_place.shown and at_place.respondents == 5
    counts = {r.question.text: [t.count for t in r.tallies] for r in at_place.questions}
    assert all(count % 5 == 0 for values in counts.values() for count in values)
    comments = next(r.comments for r in at_place.questions if r.question.kind == "text")
    assert len(comments) == 6


def test_closed_surveys_refuse_answers(survey_setup) -> None:
    actions.close_survey(by=None, survey=survey_setup.survey)
    assert survey_setup.survey.status == SurveyStatus.CLOSED
    with pytest.raises(ValidationError, match="not open"):
        actions.answer(token=survey_setup.tokens["cd.n1@example.nhs.uk"], answers={})


def test_building_needs_survey_manage(universe) -> None:
    with pytest.raises(PermissionDenied):
        actions.create_survey(by=universe.users["clinician"], alliance=universe.north, title="X")
    survey = actions.create_survey(
        by=universe.users["alliance_admin"], alliance=universe.north, title="X"
    )
    with pytest.raises(PermissionDenied):
        actions.add_section(by=universe.users["south_admin"], survey=survey, title="S")
