"""Board actions: permissions, quorum and majority, declarations, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

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
