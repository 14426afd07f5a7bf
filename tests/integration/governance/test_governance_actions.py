"""Risk register actions: numbering, permission, scope, audit, and the target rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openpcn.core.models import AuditEvent
from openpcn.governance import actions
from openpcn.governance.models import Risk, RiskStatus

RISK = {
    "title": "Pharmacist vacancy",
    "category": "workforce",
    "consequence": 3,
    "likelihood": 4,
    "target_consequence": 3,
    "target_likelihood": 2,
}


def test_governance_record_risk_numbers_per_alliance_and_audits(universe) -> None:  # type: ignore[no-untyped-def]
    manager = universe.users["practice_manager"]
    first = actions.record_risk(by=manager, organisation=universe.p1, **RISK)
    second = actions.record_risk(by=universe.users["pcn_manager"], organisation=universe.n1, **RISK)
    south = actions.record_risk(by=None, organisation=universe.q1, **RISK)
    assert (first.reference, second.reference, south.reference) == ("R-0001", "R-0002", "R-0001")
    assert first.alliance == universe.north and south.alliance == universe.south
    assert (first.initial_score, first.current_score, first.target_score) == (12, 12, 6)
    assert first.status == RiskStatus.OPEN
    event = AuditEvent.objects.get(action="record_risk", object_id=str(first.pk))
    assert event.actor == manager and event.organisation_id == universe.p1.pk
    assert event.after["title"] == "Pharmacist vacancy"


def test_governance_clinician_may_not_record_or_change_risks(universe) -> None:  # type: ignore[no-untyped-def]
    clinician = universe.users["clinician"]
    with pytest.raises(PermissionDenied):
        actions.record_risk(by=clinician, organisation=universe.p1, **RISK)
    risk = actions.record_risk(by=None, organisation=universe.p1, **RISK)
    for act in (actions.close_risk, actions.escalate_risk):
        with pytest.raises(PermissionDenied):
            act(by=clinician, risk=risk)
    with pytest.raises(PermissionDenied):
        actions.update_risk(by=clinician, risk=risk, current_likelihood=1)
    assert Risk.objects.count() == 1
    assert not AuditEvent.objects.filter(actor=clinician).exists()


def test_governance_roles_outside_the_risks_organisation_are_denied(universe) -> None:  # type: ignore[no-untyped-def]
    q1_risk = actions.record_risk(by=None, organisation=universe.q1, **RISK)
    p3_risk = actions.record_risk(by=None, organisation=universe.p3, **RISK)
    with pytest.raises(PermissionDenied):
        actions.record_risk(by=universe.users["alliance_admin"], organisation=universe.q1, **RISK)
    with pytest.raises(PermissionDenied):
        actions.update_risk(by=universe.users["alliance_admin"], risk=q1_risk, title="Mine")
    with pytest.raises(PermissionDenied):
        actions.close_risk(by=universe.users["pcn_manager"], risk=p3_risk)  # N1 manager, P3 in N2
    with pytest.raises(PermissionDenied):
        actions.record_risk(by=universe.users["south_admin"], organisation=universe.p1, **RISK)
    # Board members and finance officers read the register but do not write it.
    for role in ("board_member", "finance_officer"):
        with pytest.raises(PermissionDenied):
            actions.record_risk(by=universe.users[role], organisation=universe.p1, **RISK)
    assert actions.close_risk(by=universe.users["south_admin"], risk=q1_risk).status == "closed"


def test_governance_target_above_current_is_refused_with_nothing_written(universe) -> None:  # type: ignore[no-untyped-def]
    manager = universe.users["practice_manager"]
    with pytest.raises(ValidationError, match="target score"):
        actions.record_risk(
            by=manager,
            organisation=universe.p1,
            **{**RISK, "target_consequence": 4, "target_likelihood": 4},
        )
    assert not Risk.objects.exists()
    assert not AuditEvent.objects.filter(action="record_risk").exists()
    risk = actions.record_risk(by=manager, organisation=universe.p1, **RISK)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="target score"):
        actions.update_risk(by=manager, risk=risk, current_consequence=1, current_likelihood=2)
    risk.refresh_from_db()
    assert (risk.current_consequence, risk.current_likelihood) == (3, 4)
    assert AuditEvent.objects.count() == events


def test_governance_levels_outside_1_to_5_are_refused(universe) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="1 to 5"):
        actions.record_risk(by=None, organisation=universe.p1, **{**RISK, "likelihood": 6})
    risk = actions.record_risk(by=None, organisation=universe.p1, **RISK)
    with pytest.raises(ValidationError, match="1 to 5"):
        actions.update_risk(by=None, risk=risk, current_consequence=0)
    with pytest.raises(ValidationError, match="cannot be changed"):
        actions.update_risk(by=None, risk=risk, initial_consequence=1)
    assert not Risk.objects.exclude(pk=risk.pk).exists()


def test_governance_rescore_and_review_keep_the_initial_score(universe) -> None:  # type: ignore[no-untyped-def]
    director = universe.users["clinical_director"]
    risk = actions.record_risk(by=None, organisation=universe.p2, **RISK)
    review = dt.date(2027, 1, 31)
    updated = actions.update_risk(
        by=director,
        risk=risk,
        current_likelihood=3,
        controls="  Locum pharmacist booked  ",
        review_date=review,
    )
    assert (updated.initial_score, updated.current_score) == (12, 9)
    assert updated.controls == "Locum pharmacist booked" and updated.review_date == review
    event = AuditEvent.objects.get(action="update_risk")
    assert event.before["current_likelihood"] == 4 and event.after["current_likelihood"] == 3
    assert event.actor == director


def test_governance_close_then_no_more_changes(universe) -> None:  # type: ignore[no-untyped-def]
    manager = universe.users["practice_manager"]
    risk = actions.record_risk(by=manager, organisation=universe.p1, **RISK)
    closed = actions.close_risk(by=manager, risk=risk, note="Pharmacist appointed")
    assert closed.status == RiskStatus.CLOSED and closed.closed_on == dt.date.today()
    assert AuditEvent.objects.get(action="close_risk").after["closure_note"] == (
        "Pharmacist appointed"
    )
    with pytest.raises(ValidationError, match="closed"):
        actions.close_risk(by=manager, risk=risk)
    with pytest.raises(ValidationError, match="closed"):
        actions.update_risk(by=manager, risk=risk, title="Reopened?")
    with pytest.raises(ValidationError, match="closed"):
        actions.escalate_risk(by=manager, risk=risk)


def test_governance_escalate_sends_a_practice_risk_to_its_alliance(universe) -> None:  # type: ignore[no-untyped-def]
    manager = universe.users["practice_manager"]
    risk = actions.record_risk(by=manager, organisation=universe.p1, **RISK)
    escalated = actions.escalate_risk(by=manager, risk=risk, note="Needs board funding")
    assert escalated.escalated_to == universe.north and escalated.escalated_on == dt.date.today()
    events = AuditEvent.objects.filter(action="escalate_risk")
    assert {e.organisation_id for e in events} == {universe.p1.pk, universe.north.pk}
    with pytest.raises(ValidationError, match="already been escalated"):
        actions.escalate_risk(by=manager, risk=risk)
    alliance_risk = actions.record_risk(by=None, organisation=universe.north, **RISK)
    with pytest.raises(ValidationError, match="alliance's own register"):
        actions.escalate_risk(by=None, risk=alliance_risk)
