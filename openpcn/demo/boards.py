"""Demo boards: the alliance board from the registry's board seats, its meetings and the register.

Two meetings held (attendance, decisions, actions, minutes) and one upcoming, whose agenda awards
the Enhanced Access hub sub-contract to a practice in which a board member, a GP partner there,
has declared a financial interest, so the agenda flags it. Dates are relative to today.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from openpcn.boards import actions
from openpcn.boards.models import BoardMember
from openpcn.organisations.models import BoardRole, BoardSeat

# Board seats map onto board roles; executive members attend without a vote.
_ROLES = {
    BoardRole.CHAIR: "chair",
    BoardRole.VICE_CHAIR: "vice_chair",
    BoardRole.EXECUTIVE: "observer",
}


def _evening(days_from_today: int) -> dt.datetime:
    day = dt.date.today() + dt.timedelta(days=days_from_today)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(18, 30)))


def build_boards(demo: Any) -> None:
    today = dt.date.today()
    seats = list(
        BoardSeat.objects.current().filter(alliance=demo.alliance).select_related("person")
    )
    members: list[BoardMember] = []
    board = actions.create_board(
        by=None,
        organisation=demo.alliance,
        name=f"{demo.alliance.name} board",
        quorum=sum(1 for s in seats if s.role != BoardRole.EXECUTIVE) // 2 + 1,
    )
    for seat in seats:
        role = _ROLES.get(BoardRole(seat.role), "member")
        members.append(
            actions.add_board_member(
                by=None,
                board=board,
                person=seat.person,
                role=role,
                voting=role != "observer",
                start_date=seat.start_date,
            )
        )
    chair = next(m for m in members if m.role == "chair")
    executive = next((m for m in members if m.role == "observer"), chair)
    voting = [m for m in members if m.voting]
    present = len(voting) - 1  # one voting member sends apologies to each held meeting

    # The board member with the interest: the Clinical Director of the third PCN.
    conflicted_person = demo.clinical_directors[2]
    bidder = next(p for p in demo.practices if demo.network_of[p.pk] == demo.networks[2])
    actions.record_declaration(
        by=None,
        person=conflicted_person,
        board=board,
        interest=f"GP partner at {bidder.name}, which has bid to run the Enhanced Access hub "
        "sub-contract",
        interest_type="financial",
        declared_on=today - dt.timedelta(days=200),
        related_organisation=bidder,
    )
    actions.record_declaration(
        by=None,
        person=demo.clinical_directors[0],
        board=board,
        interest="Trustee of the local hospice charity",
        interest_type="non_financial_personal",
        declared_on=today - dt.timedelta(days=350),  # due for renewal within the month
    )
    actions.record_declaration(
        by=None,
        person=demo.clinical_directors[1],
        board=board,
        interest="Member of the ICB's primary care commissioning committee",
        interest_type="non_financial_professional",
        declared_on=today - dt.timedelta(days=90),
    )

    held = [
        (
            -63,
            "Approve the 2025/26 ARRS recruitment plan",
            "The board approved the ARRS recruitment plan as presented.",
            (present - 2, 1, 1),
            "Report ARRS vacancies to each board meeting",
            True,
        ),
        (
            -28,
            "Adopt the data sharing agreement for population health",
            "The board adopted the alliance-wide data sharing agreement.",
            (present - 1, 0, 1),
            "Circulate the signed agreement to every practice",
            False,
        ),
    ]
    for days, title, wording, (votes_for, against, abstain), action, done in held:
        meeting = actions.schedule_meeting(
            by=None, board=board, starts_at=_evening(days), place="Alliance offices", online=True
        )
        actions.add_agenda_item(by=None, meeting=meeting, title="Apologies and declarations")
        item = actions.add_agenda_item(
            by=None, meeting=meeting, title=title, presenter=executive.person, for_decision=True
        )
        # Everyone attends but one voting member, who sends apologies.
        actions.record_attendance(
            by=None,
            meeting=meeting,
            attendance={m: "apologies" if m == voting[-1] else "present" for m in members},
        )
        actions.record_decision(
            by=None,
            agenda_item=item,
            wording=wording,
            votes_for=votes_for,
            votes_against=against,
            abstentions=abstain,
        )
        owed = actions.add_action(
            by=None,
            meeting=meeting,
            agenda_item=item,
            description=action,
            owner=executive.person,
            due_date=today + dt.timedelta(days=days + 35),
        )
        if done:
            actions.complete_action(by=None, action=owed, on=today + dt.timedelta(days=days + 20))
        actions.record_minutes(
            by=None,
            meeting=meeting,
            minutes=f"Quorate; apologies from {voting[-1].person}.\n\n{wording}\n\n"
            f"Action: {action} ({executive.person}).",
        )

    upcoming = actions.schedule_meeting(
        by=None, board=board, starts_at=_evening(14), place="Alliance offices", online=True
    )
    actions.add_agenda_item(by=None, meeting=upcoming, title="Apologies and declarations")
    actions.add_agenda_item(
        by=None,
        meeting=upcoming,
        title="Award the Enhanced Access hub sub-contract",
        presenter=executive.person,
        for_decision=True,
        related_organisations=[bidder],
        keywords="Enhanced Access",
    )
    actions.add_agenda_item(
        by=None, meeting=upcoming, title="Risk register: risks escalated to the board"
    )
