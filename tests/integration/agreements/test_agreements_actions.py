"""Drafting, editing and signing a PCN's Network Agreement through the actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openpcn.agreements import actions
from openpcn.agreements.models import AgreementStatus, NetworkAgreement
from openpcn.agreements.queries import agreement_view
from openpcn.core.models import AuditEvent
from tests.integration.agreements.conftest import EFFECTIVE

SIGNED_ON = dt.date(2024, 3, 25)


def _draft(universe, by=None, **schedules):  # type: ignore[no-untyped-def]
    values = {"network_area": "The wards of North Town", "workforce": "Hosted by P1"}
    values.update(schedules)
    return actions.draft_agreement(by=by, network=universe.n1, effective_from=EFFECTIVE, **values)


def _sign_all(universe, people, agreement, by=None):  # type: ignore[no-untyped-def]
    for person in people.p1_partners:
        actions.record_signature(
            by=by, agreement=agreement, person=person, practice=universe.p1, signed_on=SIGNED_ON
        )
    return actions.record_signature(
        by=by,
        agreement=agreement,
        person=people.p2_partner,
        practice=universe.p2,
        signed_on=SIGNED_ON + dt.timedelta(days=2),
    )


def test_agreement_becomes_signed_when_the_last_partner_signs(universe, n1_people):  # type: ignore[no-untyped-def]
    agreement = _draft(universe, by=universe.users["pcn_manager"])
    assert agreement.version == 1 and agreement.status == AgreementStatus.DRAFT
    view = agreement_view(agreement)
    assert [p.practice for p in view.practices] == [universe.p1, universe.p2]
    assert view.partner_count == 3 and not view.fully_signed
    for person in n1_people.p1_partners:
        actions.record_signature(
            by=universe.users["pcn_manager"],
            agreement=agreement,
            person=person,
            practice=universe.p1,
            signed_on=SIGNED_ON,
        )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement_view(agreement).outstanding == [(universe.p2, n1_people.p2_partner)]
    actions.record_signature(
        by=universe.users["pcn_manager"],
        agreement=agreement,
        person=n1_people.p2_partner,
        practice=universe.p2,
        signed_on=dt.date(2024, 3, 28),
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.signed_on == dt.date(2024, 3, 28)
    assert agreement_view(agreement).fully_signed


def test_signing_by_someone_not_a_partner_is_refused(universe, n1_people):  # type: ignore[no-untyped-def]
    agreement = _draft(universe)
    with pytest.raises(ValidationError, match="not a partner"):
        actions.record_signature(
            by=None,
            agreement=agreement,
            person=n1_people.salaried,
            practice=universe.p1,
            signed_on=SIGNED_ON,
        )
    # A partner of P2 cannot sign for P1, nor for a practice outside the PCN.
    with pytest.raises(ValidationError, match="not a partner"):
        actions.record_signature(
            by=None,
            agreement=agreement,
            person=n1_people.p2_partner,
            practice=universe.p1,
            signed_on=SIGNED_ON,
        )
    with pytest.raises(ValidationError, match="not a member practice"):
        actions.record_signature(
            by=None,
            agreement=agreement,
            person=n1_people.p2_partner,
            practice=universe.p3,
            signed_on=SIGNED_ON,
        )
    assert not agreement.signatories.exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("alliance_admin", True),
        ("pcn_manager", True),
        ("clinical_director", False),
        ("practice_manager", False),
        ("board_member", False),
        ("finance_officer", False),
        ("clinician", False),
        ("south_admin", False),
    ],
)
def test_only_the_pcn_manager_or_admin_can_draft(universe, n1_people, role, allowed):  # type: ignore[no-untyped-def]
    by = universe.users[role]
    if allowed:
        assert _draft(universe, by=by).version == 1
    else:
        with pytest.raises(PermissionDenied):
            _draft(universe, by=by)
        assert not NetworkAgreement.objects.exists()


def test_a_new_version_copies_the_schedules_and_supersedes_when_signed(universe, n1_people):  # type: ignore[no-untyped-def]
    first = _draft(universe, local_terms="Six months' notice to leave")
    _sign_all(universe, n1_people, first)
    with pytest.raises(ValidationError, match="after version 1"):
        actions.draft_agreement(by=None, network=universe.n1, effective_from=EFFECTIVE)
    second = actions.draft_agreement(
        by=None, network=universe.n1, effective_from=dt.date(2025, 4, 1), workforce="Shared"
    )
    assert second.version == 2
    assert second.local_terms == "Six months' notice to leave" and second.workforce == "Shared"
    with pytest.raises(ValidationError, match="already awaiting"):
        actions.draft_agreement(by=None, network=universe.n1, effective_from=dt.date(2026, 4, 1))
    actions.update_schedules(by=None, agreement=second, activities="Care home rounds")
    _sign_all(universe, n1_people, second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (AgreementStatus.SUPERSEDED, AgreementStatus.SIGNED)
    assert second.activities == "Care home rounds"
    with pytest.raises(ValidationError, match="Only a draft"):
        actions.update_schedules(by=None, agreement=second, activities="Changed")


def test_schedules_cannot_change_once_a_partner_has_signed(universe, n1_people):  # type: ignore[no-untyped-def]
    agreement = _draft(universe)
    actions.record_signature(
        by=None,
        agreement=agreement,
        person=n1_people.director,
        practice=universe.p1,
        signed_on=SIGNED_ON,
    )
    with pytest.raises(ValidationError, match="Partners have signed"):
        actions.update_schedules(by=None, agreement=agreement, network_area="Elsewhere")
    with pytest.raises(ValidationError, match="already signed"):
        actions.record_signature(
            by=None,
            agreement=agreement,
            person=n1_people.director,
            practice=universe.p1,
            signed_on=SIGNED_ON,
        )


def test_agreement_actions_are_audited(universe, n1_people):  # type: ignore[no-untyped-def]
    manager = universe.users["pcn_manager"]
    first = _draft(universe, by=manager)
    actions.update_schedules(by=manager, agreement=first, notes="Agreed at the March board")
    _sign_all(universe, n1_people, first, by=manager)
    actions.draft_agreement(by=manager, network=universe.n1, effective_from=dt.date(2025, 4, 1))
    second = NetworkAgreement.objects.get(version=2)
    _sign_all(universe, n1_people, second, by=manager)
    events = AuditEvent.objects.filter(action__startswith="agreement.", organisation=universe.n1)
    actions_seen = list(events.order_by("pk").values_list("action", flat=True))
    assert actions_seen == [
        "agreement.draft",
        "agreement.update_schedules",
        *["agreement.record_signature"] * 3,
        "agreement.sign",
        "agreement.draft",
        *["agreement.record_signature"] * 3,
        "agreement.supersede",
        "agreement.sign",
    ]
    assert all(e.actor == manager for e in events)
    update = events.get(action="agreement.update_schedules")
    assert update.before["notes"] == "" and update.after["notes"] == "Agreed at the March board"
    supersede = events.get(action="agreement.supersede")
    assert (supersede.before["status"], supersede.after["status"]) == ("signed", "superseded")
