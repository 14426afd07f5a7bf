"""Recruitment actions: approval by the right role, applying, blind scoring, the hire, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from openpcn.core.models import AuditEvent
from openpcn.recruitment import actions
from openpcn.recruitment.models import (
    Application,
    ApplicationStatus,
    EqualityRecord,
    VacancyStatus,
)
from openpcn.workforce.models import Contract, JobRole, StaffMember
from tests.integration.recruitment.conftest import (
    TODAY,
    approve_and_open,
    candidate,
    draft,
    upload,
)

pytestmark = pytest.mark.django_db


def test_a_vacancy_is_approved_by_a_clinical_director_not_by_who_drafted_it(recruiting) -> None:
    users = recruiting.universe.users
    with pytest.raises(PermissionDenied):
        actions.approve_vacancy(by=users["pcn_manager"], vacancy=recruiting.vacancy)
    with pytest.raises(PermissionDenied):
        actions.approve_vacancy(by=users["practice_manager"], vacancy=recruiting.vacancy)
    with pytest.raises(ValidationError):
        actions.open_vacancy(by=users["pcn_manager"], vacancy=recruiting.vacancy)
    actions.approve_vacancy(by=users["clinical_director"], vacancy=recruiting.vacancy)
    opened = actions.open_vacancy(by=users["pcn_manager"], vacancy=recruiting.vacancy)
    assert opened.status == VacancyStatus.OPEN and opened.opened_on == TODAY
    recorded = list(
        AuditEvent.objects.filter(object_id=str(opened.pk), object_type="recruitment.Vacancy")
        .order_by("pk")
        .values_list("action", "actor_label")
    )
    assert recorded == [
        ("create_vacancy", "pcn_manager"),
        ("approve_vacancy", "clinical_director"),
        ("open_vacancy", "pcn_manager"),
    ]


def test_an_arrs_vacancy_needs_an_arrs_role_and_a_pcn(universe) -> None:
    with pytest.raises(ValidationError, match="not an ARRS role"):
        draft(universe, job_role=JobRole.objects.get(code="salaried-gp"))
    with pytest.raises(ValidationError, match="PCN or one of its member practices"):
        draft(universe, by=universe.users["alliance_admin"], employer=universe.north)


def test_a_vacancy_outside_the_managers_organisations_is_refused(universe) -> None:
    with pytest.raises(PermissionDenied):
        draft(universe, employer=universe.n2)


def test_applying_checks_the_files_and_emails_private_links(recruiting) -> None:
    vacancy = approve_and_open(recruiting)
    bad = actions.Upload("cv.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as error:
        actions.apply(
            vacancy=vacancy,
            given_name="Ada",
            family_name="Khan",
            email="ada@example.org",
            cv=bad,
            statement=upload(),
        )
    assert "CV (cv.pdf): only PDF or Word (.docx) files can be kept" in error.value.messages
    assert not Application.objects.exists()
    applied = candidate(vacancy, 1)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert f"/recruitment/jobs/application/{applied.token}/" in body
    assert f"/recruitment/jobs/equality/{applied.equality_token}/" in body
    stored = applied.application
    assert stored.token_hash == actions.hash_token(applied.token)
    assert applied.token not in stored.token_hash
    event = AuditEvent.objects.get(action="apply_for_vacancy")
    assert "Given1" not in str(event.after)


def test_a_closed_or_draft_vacancy_takes_no_applications(recruiting) -> None:
    with pytest.raises(ValidationError, match="not open"):
        candidate(recruiting.vacancy, 1)


def test_a_candidate_withdraws_through_their_link(recruiting) -> None:
    vacancy = approve_and_open(recruiting)
    applied = candidate(vacancy, 1)
    actions.withdraw_application(token=applied.token)
    applied.application.refresh_from_db()
    assert applied.application.status == ApplicationStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        actions.withdraw_application(token=applied.token)
    with pytest.raises(ValidationError, match="not valid"):
        actions.withdraw_application(token="guessed")


def test_only_the_panel_scores_and_scores_are_kept_per_member(recruiting) -> None:
    users = recruiting.universe.users
    vacancy = approve_and_open(recruiting)
    first = candidate(vacancy, 1).application
    actions.close_applications(by=users["pcn_manager"], vacancy=vacancy)
    criteria = list(vacancy.criteria.all())
    with pytest.raises(PermissionDenied):
        actions.score_application(
            by=users["practice_manager"], application=first, scores={c.pk: 2 for c in criteria}
        )
    with pytest.raises(ValidationError, match="Score every criterion"):
        actions.score_application(
            by=users["clinical_director"], application=first, scores={criteria[0].pk: 2}
        )
    actions.score_application(
        by=users["clinical_director"], application=first, scores={c.pk: 3 for c in criteria}
    )
    actions.score_application(
        by=users["pcn_manager"], application=first, scores={c.pk: 1 for c in criteria}
    )
    from openpcn.recruitment.queries import score_sheet

    sheet = score_sheet(vacancy)
    ((application, totals, mean),) = sheet.rows
    assert sorted(t for t in totals if t is not None) == [2, 6]
    assert mean == Decimal("4.0")


def _to_offer(recruiting):  # type: ignore[no-untyped-def]
    users = recruiting.universe.users
    vacancy = approve_and_open(recruiting)
    first = candidate(vacancy, 1)
    second = candidate(vacancy, 2)
    actions.close_applications(by=users["pcn_manager"], vacancy=vacancy)
    actions.shortlist(by=users["pcn_manager"], vacancy=vacancy, chosen=[first.application])
    interview = actions.schedule_interview(
        by=users["pcn_manager"],
        application=first.application,
        starts_at=dt.datetime.combine(TODAY + dt.timedelta(days=30), dt.time(10), tzinfo=dt.UTC),
        minutes=45,
        location="P1 Main Surgery, meeting room",
    )
    actions.record_interview_outcome(
        by=users["clinical_director"],
        interview=interview,
        outcome="appointable",
        feedback="Strong on medicines optimisation.",
    )
    offer = actions.make_offer(
        by=users["pcn_manager"],
        application=first.application,
        start_date=TODAY + dt.timedelta(days=60),
        annual_salary=Decimal("48000"),
        home_practice=recruiting.universe.p1,
    )
    return vacancy, first, second, offer


def test_interview_invitations_carry_an_icalendar_request(recruiting) -> None:
    _to_offer(recruiting)
    invites = [m for m in mail.outbox if m.subject.startswith("Interview:")]
    assert {tuple(m.to) for m in invites} == {
        ("candidate1@example.org",),
        ("pcn.manager@example.nhs.uk",),
    }
    name, content, kind = invites[0].attachments[0]
    assert name == "interview.ics" and kind.startswith("text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    assert "METHOD:REQUEST" in text and "BEGIN:VEVENT" in text
    assert "mailto:candidate1@example.org" in text


def test_the_hire_becomes_a_staff_member_with_a_contract(recruiting) -> None:
    users = recruiting.universe.users
    vacancy, first, second, offer = _to_offer(recruiting)
    with pytest.raises(ValidationError, match="not been accepted"):
        actions.hire(by=users["pcn_manager"], offer=offer)
    actions.record_offer_response(by=users["pcn_manager"], offer=offer, accepted=True)
    with pytest.raises(ValidationError, match="right to work, GPhC registration, DBS"):
        actions.hire(by=users["pcn_manager"], offer=offer)
    actions.record_checks(
        by=users["pcn_manager"],
        offer=offer,
        right_to_work_checked_on=TODAY,
        right_to_work_evidence="UK passport",
        registration_checked_on=TODAY,
        dbs_level="enhanced",
        dbs_certificate="001234567890",
        dbs_checked_on=TODAY,
    )
    actions.hire(by=users["pcn_manager"], offer=offer)
    offer.refresh_from_db()
    contract = Contract.objects.get(pk=offer.contract_id)
    staff = StaffMember.objects.get(pk=contract.staff_id)
    assert (staff.person.given_name, staff.person.family_name) == ("Given1", "Family1")
    assert staff.person.registration_number == "2000001"
    assert staff.home_practice == recruiting.universe.p1
    assert list(staff.sites.values_list("name", flat=True)) == ["P1 Main Surgery"]
    assert contract.employer_id == recruiting.universe.n1.pk
    assert contract.job_role.code == "clinical-pharmacist" and contract.arrs_funded
    assert contract.annual_salary == Decimal("48000") and contract.band == "7"
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.FILLED
    second.application.refresh_from_db()
    assert second.application.status == ApplicationStatus.NOT_SHORTLISTED
    actions_done = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "add_person",
        "add_staff_member",
        "add_contract",
        "hire",
        "fill_vacancy",
    } <= actions_done


def test_equality_answers_follow_the_stage_without_naming_the_application(recruiting) -> None:
    users = recruiting.universe.users
    vacancy, first, second, offer = _to_offer(recruiting)
    actions.record_equality(
        token=first.equality_token, answers={"ethnicity": "asian", "sex": "female"}
    )
    actions.record_equality(token=second.equality_token, answers={"ethnicity": "white"})
    with pytest.raises(ValidationError, match="already been used"):
        actions.record_equality(token=first.equality_token, answers={})
    field_names = {f.name for f in EqualityRecord._meta.get_fields()}
    assert not field_names & {"application", "vacancy", "given_name", "email", "created_at"}
    records = {r.ethnicity: r for r in EqualityRecord.objects.all()}
    assert records["asian"].shortlisted and not records["white"].shortlisted
    actions.record_offer_response(by=users["pcn_manager"], offer=offer, accepted=True)
    actions.record_checks(
        by=users["pcn_manager"],
        offer=offer,
        right_to_work_checked_on=TODAY,
        right_to_work_evidence="Share code",
        registration_checked_on=TODAY,
        dbs_level="enhanced",
        dbs_certificate="1",
        dbs_checked_on=TODAY,
    )
    actions.hire(by=users["pcn_manager"], offer=offer)
    assert EqualityRecord.objects.get(ethnicity="asian").appointed
    events = AuditEvent.objects.filter(action="record_equality_monitoring")
    assert events.count() == 2
    assert all(e.object_id == "" and e.after is None for e in events)


def test_a_place_is_not_an_employer(universe) -> None:
    with pytest.raises(ValidationError, match="The employer must be"):
        draft(universe, by=None, employer=universe.place, arrs_funded=False)
