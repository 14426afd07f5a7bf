"""A Clinical Director appointment in the small universe: N1 (P1 with 1,000 patients, P2 with
2,000). Scope, permissions, audit, the quorum, one vote per practice (in the database too), the
result in the registry and on the alliance board, and the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from openpcn.appointments import actions
from openpcn.appointments.models import Appointment, AppointmentStatus, PracticeVote
from openpcn.contracts import agreement_actions
from openpcn.contracts.agreements import agreement_view
from openpcn.core.models import AuditEvent
from openpcn.governance.reminders import reminders_for
from openpcn.organisations import actions as organisations
from openpcn.organisations.models import BoardSeat
from openpcn.organisations.queries import clinical_director

VOTE = dt.date(2026, 3, 2)
STARTS = dt.date(2026, 4, 1)


def _person(org, given, family, title):  # type: ignore[no-untyped-def]
    person = organisations.add_person(
        by=None, organisation=org, given_name=given, family_name=family
    )
    organisations.appoint(
        by=None, person=person, organisation=org, title=title, start_date=dt.date(2015, 1, 1)
    )
    return person


def _agreement(network, **terms):  # type: ignore[no-untyped-def]
    agreement = agreement_actions.draft_agreement(
        by=None, network=network, effective_from=dt.date(2025, 4, 1), director_terms=terms
    )
    for s in agreement_view(agreement).signatories:
        for person in s.partners:
            agreement_actions.record_signature(
                by=None,
                agreement=agreement,
                person=person,
                practice=s.practice,
                signed_on=dt.date(2025, 3, 20),
            )
    return agreement


@pytest.fixture
def n1(universe):  # type: ignore[no-untyped-def]
    """N1 with a Clinical Director seated on North's board, a partner at each practice, and an
    agreement weighting votes by list with a quorum of 50% of the list."""
    director = _person(universe.p1, "Clara", "Director", "gp_partner")
    organisations.appoint(
        by=None,
        person=director,
        organisation=universe.n1,
        title="clinical_director",
        start_date=dt.date(2020, 4, 1),
    )
    organisations.seat_on_board(
        by=None,
        alliance=universe.north,
        person=director,
        representing=universe.n1,
        start_date=dt.date(2021, 4, 1),
    )
    universe.orgs["director"] = director
    universe.orgs["amir"] = _person(universe.p2, "Amir", "Partner", "gp_partner")
    universe.orgs["nina"] = _person(universe.p1, "Nina", "Nurse", "practice_nurse")
    _agreement(
        universe.n1,
        director_voting="list_size",
        director_quorum_basis="list_size",
        director_quorum_percent=50,
        director_term_months=36,
    )
    return universe


def _open(u, by="pcn_manager"):  # type: ignore[no-untyped-def]
    return actions.open_appointment(
        by=u.users[by], network=u.n1, vote_date=VOTE, term_starts=STARTS
    )


def test_open_reads_the_agreement_and_the_lists_on_the_vote_date(n1) -> None:  # type: ignore[no-untyped-def]
    appointment = _open(n1)
    assert (appointment.voting, appointment.quorum_basis, appointment.term_months) == (
        "list_size",
        "list_size",
        36,
    )
    assert {e.practice.name: e.list_size for e in appointment.electors.all()} == {
        "P1 Surgery": 1000,
        "P2 Surgery": 2000,
    }
    assert AuditEvent.objects.filter(action="open_director_appointment").count() == 1
    with pytest.raises(ValidationError, match="already has an appointment open"):
        _open(n1)


def test_no_signed_agreement_no_appointment(universe) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="no signed Network Agreement"):
        actions.open_appointment(
            by=universe.users["pcn_manager"],
            network=universe.n1,
            vote_date=VOTE,
            term_starts=STARTS,
        )


def test_only_the_pcns_managers_open_one(n1) -> None:  # type: ignore[no-untyped-def]
    for role in ("practice_manager", "clinical_director", "board_member", "south_admin"):
        with pytest.raises(PermissionDenied):
            _open(n1, by=role)
    assert not Appointment.objects.exists()


def test_weighted_vote_declared_appoints_the_director_and_hands_over_the_seat(n1) -> None:  # type: ignore[no-untyped-def]
    appointment = _open(n1, by="alliance_admin")
    manager = n1.users["alliance_admin"]
    clara = actions.nominate(
        by=manager, appointment=appointment, person=n1.director, practice=n1.p1
    )
    amir = actions.nominate(by=manager, appointment=appointment, person=n1.amir, practice=n1.p2)
    actions.cast_vote(
        by=n1.users["practice_manager"],
        appointment=appointment,
        practice=n1.p1,
        nomination=clara,
        cast_on=VOTE,
    )
    actions.cast_vote(
        by=manager,
        appointment=appointment,
        practice=n1.p2,
        nomination=amir,
        cast_on=VOTE,
        cast_by="Dr Amir Partner for the partners",
    )
    declared = actions.declare_result(by=manager, appointment=appointment, on=VOTE)
    # By hand: P2's 2,000 patients outweigh P1's 1,000 (one vote each would tie).
    assert declared.status == AppointmentStatus.DECLARED
    assert declared.elected == n1.amir
    assert declared.term_ends == dt.date(2029, 3, 31)
    holding = clinical_director(n1.n1)
    assert holding is not None and holding.start_date == STARTS and holding.person == n1.amir
    seats = BoardSeat.objects.filter(alliance=n1.north, representing=n1.n1).order_by("start_date")
    assert [(s.person, s.start_date, s.end_date) for s in seats] == [
        (n1.director, dt.date(2021, 4, 1), STARTS),
        (n1.amir, STARTS, None),
    ]
    assert PracticeVote.objects.get(practice=n1.p1).cast_by == "practice_manager"
    for action in (
        "nominate_clinical_director",
        "cast_practice_vote",
        "declare_director_appointment",
        "appoint",
        "seat_on_board",
        "end_board_seat",
    ):
        assert AuditEvent.objects.filter(action=action).exists(), action


def test_a_pcn_manager_declares_and_the_alliance_hands_over_the_board_seat(n1) -> None:  # type: ignore[no-untyped-def]
    appointment = _open(n1)
    manager = n1.users["pcn_manager"]
    amir = actions.nominate(by=manager, appointment=appointment, person=n1.amir, practice=n1.p2)
    actions.cast_vote(
        by=manager,
        appointment=appointment,
        practice=n1.p2,
        nomination=amir,
        cast_on=VOTE,
        cast_by="Dr Amir Partner",
    )
    declared = actions.declare_result(by=manager, appointment=appointment, on=VOTE)
    assert declared.elected == n1.amir and declared.board_seat_pending
    assert clinical_director(n1.n1).person == n1.amir  # type: ignore[union-attr]
    seat = BoardSeat.objects.get(alliance=n1.north, representing=n1.n1, end_date__isnull=True)
    assert seat.person == n1.director  # the alliance board is the alliance's to change
    admin = n1.users["alliance_admin"]
    due = [r for r in reminders_for(admin, VOTE) if r.kind == "Board seat to hand over"]
    assert len(due) == 1
    with pytest.raises(PermissionDenied):
        actions.hand_over_board_seat(by=manager, appointment=declared)
    actions.hand_over_board_seat(by=admin, appointment=declared)
    seat = BoardSeat.objects.get(alliance=n1.north, representing=n1.n1, end_date__isnull=True)
    assert seat.person == n1.amir
    assert AuditEvent.objects.filter(action="hand_over_board_seat").count() == 1


def test_quorum_not_met_gives_no_result_and_changes_nothing(n1) -> None:  # type: ignore[no-untyped-def]
    appointment = _open(n1)
    manager = n1.users["pcn_manager"]
    nina = actions.nominate(by=manager, appointment=appointment, person=n1.nina, practice=n1.p1)
    # P1 alone: 1,000 of 3,000 patients, under the 50% of the list Schedule 1 asks.
    actions.cast_vote(
        by=n1.users["practice_manager"],
        appointment=appointment,
        practice=n1.p1,
        nomination=nina,
        cast_on=VOTE,
    )
    closed = actions.declare_result(by=manager, appointment=appointment, on=VOTE)
    assert closed.status == AppointmentStatus.NO_QUORUM
    assert closed.elected is None and closed.term_ends is None
    assert clinical_director(n1.n1).person == n1.director  # type: ignore[union-attr]
    assert BoardSeat.objects.get(representing=n1.n1, end_date__isnull=True).person == n1.director
    with pytest.raises(ValidationError, match="quorum not met"):
        actions.cast_vote(
            by=manager,
            appointment=closed,
            practice=n1.p2,
            nomination=nina,
            cast_on=VOTE,
            cast_by="Someone",
        )


def test_a_tie_is_declared_a_tie(universe) -> None:  # type: ignore[no-untyped-def]
    u = universe
    a = _person(u.p1, "Ada", "One", "gp_partner")
    b = _person(u.p2, "Bo", "Two", "gp_partner")
    _agreement(u.n1)  # one vote per practice, quorum 50% of practices
    appointment = _open(u)
    manager = u.users["pcn_manager"]
    na = actions.nominate(by=manager, appointment=appointment, person=a, practice=u.p1)
    nb = actions.nominate(by=manager, appointment=appointment, person=b, practice=u.p2)
    for practice, nomination in ((u.p1, na), (u.p2, nb)):
        actions.cast_vote(
            by=manager,
            appointment=appointment,
            practice=practice,
            nomination=nomination,
            cast_on=VOTE,
            cast_by="The partners",
        )
    closed = actions.declare_result(by=manager, appointment=appointment, on=VOTE)
    assert closed.status == AppointmentStatus.TIED and closed.elected is None
    assert clinical_director(u.n1) is None


def test_one_vote_per_practice_in_the_action_and_in_the_database(n1) -> None:  # type: ignore[no-untyped-def]
    appointment = _open(n1)
    manager = n1.users["pcn_manager"]
    amir = actions.nominate(by=manager, appointment=appointment, person=n1.amir, practice=n1.p2)
    vote = actions.cast_vote(
        by=n1.users["practice_manager"],
        appointment=appointment,
        practice=n1.p1,
        nomination=amir,
        cast_on=VOTE,
    )
    with pytest.raises(ValidationError, match="already voted"):
        actions.cast_vote(
            by=manager,
            appointment=appointment,
            practice=n1.p1,
            nomination=amir,
            cast_on=VOTE,
            cast_by="Someone else",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeVote.objects.create(
            appointment=appointment, practice=n1.p1, nomination=amir, cast_by="x", cast_on=VOTE
        )
    assert list(PracticeVote.objects.all()) == [vote]


def test_a_practice_manager_votes_only_for_their_own_practice(n1) -> None:  # type: ignore[no-untyped-def]
    appointment = _open(n1)
    amir = actions.nominate(
        by=n1.users["pcn_manager"], appointment=appointment, person=n1.amir, practice=n1.p2
    )
    with pytest.raises(PermissionDenied):
        actions.cast_vote(
            by=n1.users["practice_manager"],
            appointment=appointment,
            practice=n1.p2,
            nomination=amir,
            cast_on=VOTE,
        )
    with pytest.raises(PermissionDenied):
        actions.declare_result(by=n1.users["practice_manager"], appointment=appointment, on=VOTE)
    with pytest.raises(ValidationError, match="Say who cast"):
        actions.cast_vote(
            by=n1.users["pcn_manager"],
            appointment=appointment,
            practice=n1.p2,
            nomination=amir,
            cast_on=VOTE,
        )


def test_nominees_are_clinicians_of_member_practices_and_close_at_the_first_vote(n1) -> None:  # type: ignore[no-untyped-def]
    appointment = _open(n1)
    manager = n1.users["pcn_manager"]
    outsider = _person(n1.p3, "Otto", "Elsewhere", "gp_partner")
    with pytest.raises(ValidationError, match="not a member practice"):
        actions.nominate(by=manager, appointment=appointment, person=outsider, practice=n1.p3)
    with pytest.raises(ValidationError, match="not a GP partner or clinician of P1"):
        actions.nominate(by=manager, appointment=appointment, person=n1.amir, practice=n1.p1)
    amir = actions.nominate(by=manager, appointment=appointment, person=n1.amir, practice=n1.p2)
    actions.cast_vote(
        by=manager,
        appointment=appointment,
        practice=n1.p2,
        nomination=amir,
        cast_on=VOTE,
        cast_by="Dr Amir Partner",
    )
    with pytest.raises(ValidationError, match="Nominations closed"):
        actions.nominate(by=manager, appointment=appointment, person=n1.nina, practice=n1.p1)


# --- the pages ------------------------------------------------------------------------------


def test_pages_404_outside_scope_and_the_flow_through_the_forms(n1, verified_client) -> None:  # type: ignore[no-untyped-def]
    manager = verified_client("pcn_manager")
    response = manager.post(
        reverse("appointments:index"),
        {"network": n1.n1.pk, "vote_date": VOTE.isoformat(), "term_starts": STARTS.isoformat()},
    )
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appointments:detail", args=[appointment.pk])
    detail = reverse("appointments:detail", args=[appointment.pk])
    for role in ("south_admin", "clinician", "board_member"):
        assert verified_client(role).get(detail).status_code == 404, role
    manager.post(
        reverse("appointments:nominate", args=[appointment.pk]),
        {"nominee": f"{n1.p2.pk}:{n1.amir.pk}", "statement": "Frailty first"},
    )
    nomination = appointment.nominations.get()
    practice_manager = verified_client("practice_manager")
    page = practice_manager.get(detail).content.decode()
    assert "Cast your practice&#39;s vote" in page or "Cast your practice's vote" in page
    elector_p1 = appointment.electors.get(practice=n1.p1)
    elector_p2 = appointment.electors.get(practice=n1.p2)
    # A practice manager's form offers only their practice; posting another is refused.
    practice_manager.post(
        reverse("appointments:vote", args=[appointment.pk]),
        {"practice": elector_p2.pk, "nomination": nomination.pk},
    )
    assert not PracticeVote.objects.exists()
    practice_manager.post(
        reverse("appointments:vote", args=[appointment.pk]),
        {"practice": elector_p1.pk, "nomination": nomination.pk},
    )
    manager.post(
        reverse("appointments:vote", args=[appointment.pk]),
        {"practice": elector_p2.pk, "nomination": nomination.pk, "cast_by": "Dr Amir Partner"},
    )
    assert PracticeVote.objects.count() == 2
    assert (
        verified_client("south_admin")
        .post(reverse("appointments:declare", args=[appointment.pk]), {"on": VOTE.isoformat()})
        .status_code
        == 404
    )
    manager.post(reverse("appointments:declare", args=[appointment.pk]), {"on": VOTE.isoformat()})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.DECLARED and appointment.elected == n1.amir
    page = manager.get(detail).content.decode()
    assert "Amir Partner, Clinical Director from 01 April 2026 to 31 March 2029" in page
    assert "3,000" in page  # the weighted total for Amir


def test_the_governance_page_shows_the_card_to_managers_and_voters(n1, verified_client) -> None:  # type: ignore[no-untyped-def]
    for role in ("pcn_manager", "practice_manager", "alliance_admin"):
        page = verified_client(role).get(reverse("governance:index")).content.decode()
        assert "Clinical Director appointments" in page, role
    assert (
        "Clinical Director appointments"
        not in verified_client("clinician").get(reverse("governance:index")).content.decode()
    )


def test_a_term_ending_is_due_soon_and_in_the_digest_for_the_pcn_only(n1) -> None:  # type: ignore[no-untyped-def]
    from openpcn.governance.reminders import digest_text

    appointment = _open(n1)
    manager = n1.users["pcn_manager"]
    amir = actions.nominate(by=manager, appointment=appointment, person=n1.amir, practice=n1.p2)
    actions.cast_vote(
        by=manager,
        appointment=appointment,
        practice=n1.p2,
        nomination=amir,
        cast_on=VOTE,
        cast_by="Dr Amir Partner",
    )
    actions.declare_result(by=manager, appointment=appointment, on=VOTE)
    near_the_end = dt.date(2029, 3, 1)  # the term ends on 31 March 2029
    due = [r for r in reminders_for(manager, near_the_end) if r.kind.startswith("Clinical")]
    assert [(r.due, r.what) for r in due] == [(dt.date(2029, 3, 31), "Amir Partner, N1 PCN")]
    assert "Clinical Director's term ends: Amir Partner, N1 PCN" in digest_text(
        due, near_the_end, "https://openpcn.example"
    )
    assert not [r for r in reminders_for(manager, VOTE) if r.kind.startswith("Clinical")]
    assert not [
        r for r in reminders_for(n1.users["south_admin"], near_the_end) if r.kind.startswith("Cl")
    ]
    # A new appointment under way answers the reminder.
    actions.open_appointment(
        by=manager, network=n1.n1, vote_date=dt.date(2029, 2, 1), term_starts=dt.date(2029, 4, 1)
    )
    assert not [r for r in reminders_for(manager, near_the_end) if r.kind.startswith("Clinical")]
