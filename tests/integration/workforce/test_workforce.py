import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from openpcn.core.models import AuditEvent
from openpcn.organisations.actions import add_person
from openpcn.workforce import actions, queries
from openpcn.workforce.models import AbsenceStatus, JobRole


@pytest.fixture
def staffed(universe):
    """A practice nurse at P1 (linked to the clinician login) and a pharmacist employed by N1."""
    nurse_person = add_person(
        by=None, organisation=universe.p1, given_name="Nia", family_name="Nurse"
    )
    universe.users["clinician"].person = nurse_person
    universe.users["clinician"].save()
    nurse = actions.add_staff_member(by=None, person=nurse_person, home_practice=universe.p1)
    actions.add_contract(
        by=None,
        staff=nurse,
        employer=universe.p1,
        job_role=JobRole.objects.get(code="practice-nurse"),
        hours_per_week=Decimal("30"),
        start_date=dt.date(2024, 1, 1),
        annual_salary=Decimal("30400"),
        band="6",
    )
    pharm_person = add_person(
        by=None, organisation=universe.n1, given_name="Pat", family_name="Pharm"
    )
    pharmacist = actions.add_staff_member(by=None, person=pharm_person, home_practice=universe.p2)
    actions.add_contract(
        by=None,
        staff=pharmacist,
        employer=universe.n1,
        job_role=JobRole.objects.get(code="clinical-pharmacist"),
        hours_per_week=Decimal("37.5"),
        start_date=dt.date(2024, 1, 1),
        annual_salary=Decimal("48000"),
        arrs_funded=True,
    )
    universe.nurse, universe.pharmacist = nurse, pharmacist
    return universe


def test_contract_wte_sessions_and_cost(staffed):
    contract = staffed.nurse.contracts.get()
    assert contract.wte == Decimal("0.80")
    assert contract.sessions_per_week == Decimal("7.2")
    assert staffed.nurse.skills.filter(code="nurse").exists()


def test_contract_arrs_funding_needs_an_arrs_role(staffed):
    with pytest.raises(ValidationError, match="not an ARRS role"):
        actions.add_contract(
            by=None,
            staff=staffed.nurse,
            employer=staffed.p1,
            job_role=JobRole.objects.get(code="salaried-gp"),
            hours_per_week=Decimal("10"),
            start_date=dt.date(2025, 1, 1),
            annual_salary=Decimal("20000"),
            arrs_funded=True,
        )


def test_contract_outside_scope_is_denied(staffed):
    with pytest.raises(PermissionDenied):
        actions.add_contract(
            by=staffed.users["practice_manager"],
            staff=staffed.pharmacist,
            employer=staffed.n1,
            job_role=JobRole.objects.get(code="care-coordinator"),
            hours_per_week=Decimal("10"),
            start_date=dt.date(2025, 1, 1),
            annual_salary=Decimal("9000"),
        )


def test_staff_scope_follows_employer_and_home_practice(staffed):
    pcn_manager = staffed.users["pcn_manager"]
    assert set(queries.staff_in_scope(pcn_manager)) == {staffed.nurse, staffed.pharmacist}
    practice_manager = staffed.users["practice_manager"]
    assert set(queries.staff_in_scope(practice_manager)) == {staffed.nurse}
    assert not queries.staff_in_scope(staffed.users["south_admin"]).exists()


def test_leave_request_then_manager_approves(staffed):
    clinician = staffed.users["clinician"]
    absence = actions.request_absence(
        by=clinician,
        staff=staffed.nurse,
        kind="annual_leave",
        first_day=dt.date(2026, 12, 21),
        last_day=dt.date(2026, 12, 24),
    )
    assert absence.status == AbsenceStatus.REQUESTED and absence.days == 4
    with pytest.raises(PermissionDenied):
        actions.decide_absence(by=clinician, absence=absence, approve=True)
    manager = staffed.users["practice_manager"]
    assert list(queries.leave_awaiting_decision(manager)) == [absence]
    actions.decide_absence(by=manager, absence=absence, approve=True)
    absence.refresh_from_db()
    assert absence.status == AbsenceStatus.APPROVED and absence.decided_by == manager
    assert AuditEvent.objects.filter(action="approve_absence", object_id=str(absence.pk)).exists()
    with pytest.raises(ValidationError, match="overlaps"):
        actions.request_absence(
            by=clinician,
            staff=staffed.nurse,
            kind="annual_leave",
            first_day=dt.date(2026, 12, 24),
            last_day=dt.date(2026, 12, 27),
        )


def test_leave_manager_of_another_practice_cannot_approve(staffed):
    absence = actions.request_absence(
        by=None,
        staff=staffed.pharmacist,
        kind="study",
        first_day=dt.date(2026, 5, 1),
        last_day=dt.date(2026, 5, 1),
    )
    with pytest.raises(PermissionDenied):
        actions.decide_absence(by=staffed.users["practice_manager"], absence=absence, approve=False)


def test_sickness_recorded_by_a_manager_is_approved_at_once(staffed):
    absence = actions.request_absence(
        by=staffed.users["practice_manager"],
        staff=staffed.nurse,
        kind="sickness",
        first_day=dt.date(2026, 3, 2),
        last_day=dt.date(2026, 3, 4),
    )
    assert absence.status == AbsenceStatus.APPROVED


def test_leave_pages_request_and_decide(client, staffed):
    client.force_login(staffed.users["clinician"])
    response = client.post(
        reverse("workforce:my_leave"),
        {
            "kind": "annual_leave",
            "first_day": "2026-08-03",
            "last_day": "2026-08-07",
            "note": "",
        },
    )
    assert response.status_code == 302
    client.force_login(staffed.users["practice_manager"])
    page = client.get(reverse("workforce:approvals")).content.decode()
    assert "Nia Nurse" in page
    absence = staffed.nurse.absences.get()
    client.post(reverse("workforce:decide", args=[absence.pk]), {"decision": "decline"})
    absence.refresh_from_db()
    assert absence.status == AbsenceStatus.DECLINED


def test_staff_pages_are_scoped(client, staffed):
    client.force_login(staffed.users["practice_manager"])
    assert client.get(reverse("workforce:staff_detail", args=[staffed.nurse.pk])).status_code == 200
    assert (
        client.get(reverse("workforce:staff_detail", args=[staffed.pharmacist.pk])).status_code
        == 404
    )
    page = client.get(reverse("workforce:staff_list")).content.decode()
    assert "Nia Nurse" in page and "Pat Pharm" not in page


def test_availability_replaces_the_pattern(staffed):
    actions.set_availability(by=None, staff=staffed.nurse, slots=[(0, "am"), (0, "pm")])
    actions.set_availability(by=None, staff=staffed.nurse, slots=[(2, "am")])
    assert list(staffed.nurse.availability.values_list("weekday", "session")) == [(2, "am")]


def test_end_contract_is_audited_and_checked(staffed):
    contract = staffed.nurse.contracts.get()
    with pytest.raises(ValidationError, match="A contract must end after it started"):
        actions.end_contract(by=None, contract=contract, end_date=dt.date(2023, 1, 1))
    actions.end_contract(
        by=staffed.users["practice_manager"], contract=contract, end_date=dt.date(2026, 3, 31)
    )
    event = AuditEvent.objects.get(action="end_contract")
    assert (event.before["end_date"], event.after["end_date"]) == (None, "2026-03-31")
    assert not queries.current_contracts(dt.date(2026, 4, 1)).filter(pk=contract.pk).exists()
