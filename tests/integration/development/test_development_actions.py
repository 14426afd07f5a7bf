"""Development writes: who may record them, what is checked, and what the audit log keeps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openpcn.core.models import AuditEvent
from openpcn.development import actions
from openpcn.development.models import MaturityAssessment, RecommendationStatus
from openpcn.organisations import actions as organisations


def _person(universe, name="Facilitator"):  # type: ignore[no-untyped-def]
    return organisations.add_person(
        by=None, organisation=universe.north, given_name=name, family_name="Smith"
    )


def test_assessments_rate_every_area_once_per_date_and_keep_history(universe, every_area) -> None:  # type: ignore[no-untyped-def]
    director = universe.users["clinical_director"]
    first = actions.record_maturity_assessment(
        by=director, network=universe.n1, assessed_on=dt.date(2025, 6, 1), ratings=every_area(0)
    )
    actions.record_maturity_assessment(
        by=universe.users["pcn_manager"],
        network=universe.n1,
        assessed_on=dt.date(2026, 6, 1),
        ratings=every_area(2),
    )
    assert first.ratings.count() == 5 and first.recorded_by == "clinical_director"
    assert MaturityAssessment.objects.filter(network=universe.n1).count() == 2
    with pytest.raises(ValidationError, match="already has an assessment"):
        actions.record_maturity_assessment(
            by=director, network=universe.n1, assessed_on=dt.date(2026, 6, 1), ratings=every_area(1)
        )
    partial = every_area(1)
    partial.pop("integrating_care")
    with pytest.raises(ValidationError, match="missing: Integrating care"):
        actions.record_maturity_assessment(
            by=director, network=universe.n1, assessed_on=dt.date(2026, 7, 1), ratings=partial
        )
    with pytest.raises(ValidationError, match="one of the matrix's steps"):
        actions.record_maturity_assessment(
            by=director, network=universe.n1, assessed_on=dt.date(2026, 7, 1), ratings=every_area(7)
        )
    event = AuditEvent.objects.get(action="record_maturity_assessment", object_id=str(first.pk))
    assert event.after["ratings"]["leadership"] == 0


@pytest.mark.parametrize(
    "role", ["practice_manager", "board_member", "clinician", "finance_officer", "south_admin"]
)
def test_only_development_managers_over_the_pcn_record(universe, role, every_area) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        actions.record_maturity_assessment(
            by=universe.users[role],
            network=universe.n1,
            assessed_on=dt.date(2026, 6, 1),
            ratings=every_area(1),
        )


def test_a_pcn_manager_does_not_record_for_another_pcn_or_the_place(universe, every_area) -> None:  # type: ignore[no-untyped-def]
    manager = universe.users["pcn_manager"]
    with pytest.raises(PermissionDenied):
        actions.record_maturity_assessment(
            by=manager, network=universe.n2, assessed_on=dt.date(2026, 6, 1), ratings=every_area(1)
        )
    with pytest.raises(PermissionDenied):
        actions.add_recommendation(
            by=manager, place=universe.place, theme="leadership", title="x", readiness="ready"
        )


def test_confidential_session_notes_stay_out_of_the_audit_log(universe) -> None:  # type: ignore[no-untyped-def]
    facilitator = _person(universe)
    session = actions.record_session(
        by=universe.users["alliance_admin"],
        organisation=universe.place,
        kind="one_to_one",
        held_on=dt.date(2026, 9, 1),
        title="Conversation with a Clinical Director",
        facilitators=[facilitator],
        notes="Thinking of stepping down",
        confidential=True,
    )
    event = AuditEvent.objects.get(action="record_session")
    assert event.after["notes"] == "(confidential)"
    assert "stepping down" not in str(event.after)
    assert event.after["facilitators"] == [facilitator.pk]
    with pytest.raises(ValidationError, match="at least one facilitator"):
        actions.record_session(
            by=None,
            organisation=universe.n1,
            kind="workshop",
            held_on=dt.date(2026, 9, 1),
            title="x",
            facilitators=[],
        )
    with pytest.raises(ValidationError, match="place or a PCN"):
        actions.record_session(
            by=None,
            organisation=universe.p1,
            kind="workshop",
            held_on=dt.date(2026, 9, 1),
            title="x",
            facilitators=[facilitator],
        )
    assert session.attendees.count() == 0


def test_recommendations_with_findings_actions_status_and_impact(universe) -> None:  # type: ignore[no-untyped-def]
    admin = universe.users["alliance_admin"]
    finding = actions.record_finding(
        by=admin,
        place=universe.place,
        theme="relationships",
        title="PCNs rarely meet the community trust",
        found_on=dt.date(2026, 9, 1),
    )
    recommendation = actions.add_recommendation(
        by=admin,
        place=universe.place,
        theme="relationships",
        title="Quarterly place forum",
        readiness="ready",
        findings=[finding],
    )
    action = actions.add_recommendation_action(
        by=admin,
        recommendation=recommendation,
        what="Book the first forum",
        due=dt.date(2026, 10, 1),
    )
    actions.complete_recommendation_action(by=admin, action=action, on=dt.date(2026, 9, 20))
    with pytest.raises(ValidationError, match="already done"):
        actions.complete_recommendation_action(by=admin, action=action, on=dt.date(2026, 9, 21))
    updated = actions.update_recommendation(
        by=admin,
        recommendation=recommendation,
        status=RecommendationStatus.DONE,
        evidence_of_impact="Two joint projects agreed",
        learning="Start with a shared problem",
    )
    assert updated.status == "done" and updated.evidence_of_impact == "Two joint projects agreed"
    assert list(recommendation.findings.all()) == [finding]
    other = actions.record_finding(
        by=None, place=universe.place, theme="leadership", title="y", found_on=dt.date(2026, 9, 1)
    )
    south_place = organisations.create_place(by=None, alliance=universe.south, name="South Place")
    with pytest.raises(ValidationError, match="its own place's findings"):
        actions.add_recommendation(
            by=None,
            place=south_place,
            theme="leadership",
            title="z",
            readiness="ready",
            findings=[other],
        )
    with pytest.raises(ValidationError, match="Unknown readiness"):
        actions.add_recommendation(
            by=None, place=universe.place, theme="leadership", title="z", readiness="cheap"
        )
