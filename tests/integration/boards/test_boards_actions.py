"""Board actions: permissions, quorum and majority, declarations, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openpcn.boards import actions
from openpcn.boards.models import Decision
from openpcn.core.models import AuditEvent


def _item(setup, **extra):  # type: ignore[no-untyped-def]
    return actions.add_agenda_item(
        by=None, meeting=setup.meeting, title="Approve the budget", for_decision=True, **extra
    )


def test_boards_decision_refused_without_quorum_then_carried(north_board) -> None:  # type: ignore[no-untyped-def]
    item = _item(north_board)
    actions.record_attendance(
        by=None,
        meeting=north_board.meeting,
        attendance={
            north_board.ann: "present",
            north_board.dan: "present",
            north_board.ben: "apologies",
        },
    )
    with pytest.raises(ValidationError, match="not quorate: 1 voting member present"):
        actions.record_decision(
            by=None, agenda_item=item, wording="Approved", votes_for=1, votes_against=0
        )
    assert not Decision.objects.exists()
    actions.record_attendance(
        by=None, meeting=north_board.meeting, attendance={north_board.cat: "present"}
    )
    decision = actions.record_decision(
        by=None, agenda_item=item, wording="Approved", votes_for=1, votes_against=0, abstentions=1
    )
    assert decision.carried and decision.present_voting == 2
    assert AuditEvent.objects.filter(action="record_decision").count() == 1


def test_boards_pcn_manager_runs_pcn_boards_only(universe, north_board) -> None:  # type: ignore[no-untyped-def]
    manager = universe.users["pcn_manager"]
    board = actions.create_board(by=manager, organisation=universe.n1, name="N1 board", quorum=2)
    assert board.organisation == universe.n1
    with pytest.raises(PermissionDenied):
        actions.create_board(by=manager, organisation=universe.n2, name="N2 board", quorum=2)
    with pytest.raises(PermissionDenied):
        actions.add_agenda_item(by=manager, meeting=north_board.meeting, title="Mine")
    with pytest.raises(PermissionDenied):
        actions.create_board(
            by=universe.users["clinical_director"], organisation=universe.n1, name="X", quorum=1
        )
    with pytest.raises(ValidationError, match="alliance or a PCN"):
        actions.create_board(by=None, organisation=universe.p1, name="P1 board", quorum=1)


def test_boards_observers_do_not_vote_and_terms_do_not_overlap(north_board) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="observer does not vote"):
        actions.add_board_member(
            by=None,
            board=north_board.board,
            person=north_board.dan.person,
            role="observer",
            voting=True,
            start_date=dt.date(2030, 1, 1),
        )
    with pytest.raises(ValidationError, match="already has a term"):
        actions.add_board_member(
            by=None,
            board=north_board.board,
            person=north_board.ann.person,
            start_date=dt.date(2025, 1, 1),
        )


def test_boards_declarations_by_the_member_only(universe, north_board) -> None:  # type: ignore[no-untyped-def]
    stranger = universe.users["board_member"]  # no registry person of their own
    with pytest.raises(PermissionDenied):
        actions.record_declaration(
            by=stranger,
            person=north_board.ben.person,
            board=north_board.board,
            interest="Anything",
            interest_type="financial",
        )
    stranger.person = north_board.ben.person
    stranger.save(update_fields=["person"])
    made = actions.record_declaration(
        by=stranger,
        person=north_board.ben.person,
        board=north_board.board,
        interest="Shares in a GP software company",
        interest_type="financial",
        declared_on=dt.date(2024, 2, 29),
    )
    assert made.valid_until == dt.date(2025, 2, 28) and made.alliance == universe.north
    with pytest.raises(PermissionDenied):
        actions.record_declaration(
            by=stranger,
            person=north_board.cat.person,
            board=north_board.board,
            interest="Not theirs to declare",
            interest_type="indirect",
        )
    with pytest.raises(ValidationError, match="Unknown type"):
        actions.record_declaration(
            by=None,
            person=north_board.ben.person,
            board=north_board.board,
            interest="x",
            interest_type="gift",
        )
