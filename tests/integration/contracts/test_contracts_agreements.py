"""The Network Agreement: versions, every partner's signature, and the export that lists the members,
the Clinical Director and the nominated payee."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from openpcn.contracts import agreement_actions
from openpcn.contracts.agreements import agreement_view
from openpcn.contracts.models import AgreementStatus, NetworkAgreement
from openpcn.core.models import AuditEvent
from openpcn.finance import actions as finance
from openpcn.organisations import actions as organisations
from tests.files import pdf_text
from tests.integration.finance.test_finance_distribution import RULES, _snapshots

START = dt.date(2024, 4, 1)


def _person(universe, org, given, family, title):  # type: ignore[no-untyped-def]
    person = organisations.add_person(
        by=None, organisation=org, given_name=given, family_name=family
    )
    organisations.appoint(
        by=None, person=person, organisation=org, title=title, start_date=dt.date(2015, 1, 1)
    )
    return person


@pytest.fixture
def n1(universe):  # type: ignore[no-untyped-def]
    """N1 with its Clinical Director, two partners at P1 and one at P2, and a finance schedule."""
    director = _person(universe, universe.n1, "Clara", "Director", "clinical_director")
    partners = [
        (universe.p1, _person(universe, universe.p1, "Amir", "Partner", "gp_partner")),
        (universe.p1, _person(universe, universe.p1, "Beth", "Partner", "gp_partner")),
        (universe.p2, _person(universe, universe.p2, "Cai", "Partner", "gp_partner")),
    ]
    _snapshots(universe)
    finance.agree_finance_schedule(
        by=None,
        network=universe.n1,
        valid_from=START,
        nominated_payee=universe.p2,
        agreed_on=dt.date(2024, 3, 1),
        rules=RULES,
        fixed={"capacity-access": {universe.p1.pk: 1}},
    )
    return director, partners


def test_the_agreement_is_signed_when_every_partner_has_signed(universe, n1) -> None:  # type: ignore[no-untyped-def]
    _, partners = n1
    agreement = agreement_actions.draft_agreement(
        by=universe.users["pcn_manager"],
        network=universe.n1,
        effective_from=START,
        governance="Monthly board",
    )
    for practice, person in partners[:-1]:
        agreement_actions.record_signature(
            by=None, agreement=agreement, person=person, practice=practice, signed_on=START
        )
        agreement.refresh_from_db()
        assert agreement.status == AgreementStatus.DRAFT
    practice, person = partners[-1]
    agreement_actions.record_signature(
        by=None, agreement=agreement, person=person, practice=practice, signed_on=START
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    # The next version starts from these schedules and supersedes this one once signed
    second = agreement_actions.draft_agreement(
        by=None, network=universe.n1, effective_from=dt.date(2025, 4, 1), local_terms="New terms"
    )
    assert second.version == 2 and second.governance == "Monthly board"
    for practice, person in partners:
        agreement_actions.record_signature(
            by=None,
            agreement=second,
            person=person,
            practice=practice,
            signed_on=dt.date(2025, 3, 1),
        )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SUPERSEDED
    assert AuditEvent.objects.filter(action="network_agreement_signed").count() == 2


def test_only_partners_of_member_practices_sign_and_only_managers_record(universe, n1) -> None:  # type: ignore[no-untyped-def]
    director, partners = n1
    agreement = agreement_actions.draft_agreement(
        by=None, network=universe.n1, effective_from=START
    )
    with pytest.raises(ValidationError, match="not a partner"):
        agreement_actions.record_signature(
            by=None, agreement=agreement, person=director, practice=universe.p1, signed_on=START
        )
    with pytest.raises(ValidationError, match="not a member practice"):
        agreement_actions.record_signature(
            by=None,
            agreement=agreement,
            person=partners[0][1],
            practice=universe.p3,
            signed_on=START,
        )
    with pytest.raises(PermissionDenied):
        agreement_actions.record_signature(
            by=universe.users["board_member"],
            agreement=agreement,
            person=partners[0][1],
            practice=universe.p1,
            signed_on=START,
        )
    with pytest.raises(PermissionDenied):
        agreement_actions.draft_agreement(
            by=universe.users["clinical_director"], network=universe.n1, effective_from=START
        )
    with pytest.raises(ValidationError, match="already has a draft"):
        agreement_actions.draft_agreement(by=None, network=universe.n1, effective_from=START)
    assert not agreement.signatures.exists() and NetworkAgreement.objects.count() == 1


def test_the_export_lists_members_clinical_director_and_nominated_payee(
    universe, n1, verified_client
) -> None:  # type: ignore[no-untyped-def]
    agreement = agreement_actions.draft_agreement(
        by=None, network=universe.n1, effective_from=START
    )
    view = agreement_view(agreement)
    assert [m.name for m in view.members] == ["P1 Surgery", "P2 Surgery"]
    assert str(view.clinical_director) == "Clara Director" and view.nominated_payee == universe.p2
    response = verified_client("board_member").get(
        reverse("contracts:agreement_export", args=[agreement.pk])
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    # PDF strings escape parentheses
    for expected in (rb"P1 Surgery \(P00001\)", rb"P2 Surgery \(P00002\)", b"Clara Director"):
        assert expected in text, expected
    assert b"Nominated payee: P2 Surgery" in text
    assert b"Core PCN funding: Share of registered" in text
    page = verified_client("board_member").get(
        reverse("contracts:agreement", args=[universe.n1.pk])
    )
    assert "Amir Partner" in page.content.decode() and "Not yet" in page.content.decode()
    other = verified_client("south_admin")
    assert other.get(reverse("contracts:agreement_export", args=[agreement.pk])).status_code == 404
    assert other.get(reverse("contracts:agreement", args=[universe.n1.pk])).status_code == 404
