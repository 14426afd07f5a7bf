"""Reads for the board pages, always narrowed to the boards the user may see (BOARD_VIEW).

A board is seen by users whose BOARD_VIEW covers its organisation (the alliance, or the PCN);
anything else is a 404. The agenda's conflict flags come from boards.conflicts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids, get_organisation_or_404
from openpcn.boards import conflicts, votes
from openpcn.boards.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Board,
    BoardMember,
    Declaration,
    Meeting,
    MeetingStatus,
)
from openpcn.organisations.models import Organisation, OrganisationKind, Person


def view_scope(user: Any) -> set[int]:
    return covered_organisation_ids(user, Permission.BOARD_VIEW)


def manage_scope(user: Any) -> set[int]:
    return covered_organisation_ids(user, Permission.BOARD_MANAGE)


def visible_boards(user: Any) -> QuerySet[Board]:
    return Board.objects.filter(organisation_id__in=view_scope(user)).select_related("organisation")


def can_manage(user: Any, board: Board) -> bool:
    return board.organisation_id in manage_scope(user)


def board_or_404(user: Any, pk: int) -> Board:
    board = Board.objects.filter(pk=pk).first()
    if board is None:
        raise Http404("No such board")
    # Out of scope is a 404, as for any organisation.
    board.organisation = get_organisation_or_404(
        user, Permission.BOARD_VIEW, pk=board.organisation_id
    )
    return board


def meeting_or_404(user: Any, pk: int) -> Meeting:
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting")
    meeting.board = board_or_404(user, meeting.board_id)
    return meeting


def item_or_404(user: Any, pk: int) -> AgendaItem:
    item = AgendaItem.objects.filter(pk=pk).first()
    if item is None:
        raise Http404("No such agenda item")
    item.meeting = meeting_or_404(user, item.meeting_id)
    return item


def action_or_404(user: Any, pk: int) -> ActionItem:
    action = ActionItem.objects.filter(pk=pk).first()
    if action is None:
        raise Http404("No such action")
    action.meeting = meeting_or_404(user, action.meeting_id)
    return action


def members_on(board: Board, day: dt.date) -> list[BoardMember]:
    return list(
        BoardMember.objects.current_on(day)
        .filter(board=board)
        .select_related("person")
        .order_by("role", "person__family_name", "person__given_name")
    )


def all_members(board: Board) -> list[BoardMember]:
    return list(
        BoardMember.objects.filter(board=board)
        .select_related("person")
        .order_by("end_date", "role", "person__family_name")
    )


def meetings(board: Board) -> tuple[list[Meeting], list[Meeting]]:
    """Upcoming meetings (soonest first) and past or cancelled ones (latest first)."""
    now = timezone.now()
    found = Meeting.objects.filter(board=board)
    upcoming = found.filter(starts_at__gte=now, status=MeetingStatus.PLANNED).order_by("starts_at")
    past = found.exclude(pk__in=upcoming.values("pk")).order_by("-starts_at")
    return list(upcoming), list(past)


@dataclass(frozen=True)
class Flag:
    """A board member's current declared interest that relates to an agenda item."""

    member: BoardMember
    declaration: Declaration


def alliance_of(organisation: Organisation) -> int | None:
    if organisation.kind == OrganisationKind.ALLIANCE:
        return organisation.pk
    return organisation.alliance_id


def conflict_flags(meeting: Meeting, items: list[AgendaItem]) -> dict[int, list[Flag]]:
    """Each agenda item's flags: members serving on the meeting's day with a related interest."""
    day = timezone.localtime(meeting.starts_at).date()
    members = {m.person_id: m for m in members_on(meeting.board, day)}
    declarations = {
        d.pk: d
        for d in Declaration.objects.filter(
            person_id__in=members, alliance_id=alliance_of(meeting.board.organisation)
        ).select_related("person", "related_organisation")
    }
    interests = [
        conflicts.Interest(
            declaration_id=d.pk,
            person_id=d.person_id,
            description=d.interest,
            declared_on=d.declared_on,
            valid_until=d.valid_until,
            related_organisation_id=d.related_organisation_id,
        )
        for d in declarations.values()
    ]
    shapes = [
        conflicts.Item(
            item_id=item.pk,
            related_organisation_ids=frozenset(o.pk for o in item.related_organisations.all()),
            keywords=conflicts.parse_keywords(item.keywords),
        )
        for item in items
    ]
    return {
        item_id: [
            Flag(member=members[i.person_id], declaration=declarations[i.declaration_id])
            for i in found
        ]
        for item_id, found in conflicts.conflicts(shapes, interests, on=day).items()
    }


def agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("presenter", "decision")
        .prefetch_related("related_organisations")
        .order_by("order")
    )


@dataclass(frozen=True)
class QuorumStatus:
    present_voting: int
    quorum: int
    recorded: bool

    @property
    def quorate(self) -> bool:
        return votes.is_quorate(self.present_voting, self.quorum)


def attendance(meeting: Meeting) -> dict[int, Attendance]:
    """Recorded attendance by member id."""
    return {
        a.member_id: a
        for a in Attendance.objects.filter(meeting=meeting).select_related("member__person")
    }


def quorum_status(meeting: Meeting, recorded: dict[int, Attendance]) -> QuorumStatus:
    present = sum(
        1 for a in recorded.values() if a.status == AttendanceStatus.PRESENT and a.member.voting
    )
    return QuorumStatus(
        present_voting=present, quorum=meeting.board.quorum, recorded=bool(recorded)
    )


def action_log(meeting: Meeting) -> list[ActionItem]:
    return list(
        ActionItem.objects.filter(meeting=meeting)
        .select_related("owner", "agenda_item")
        .order_by("status", "due_date", "pk")
    )


def possible_people(board: Board) -> list[Person]:
    """People who may own an action or present an item: the board's members, current first."""
    return [m.person for m in members_on(board, dt.date.today())]


def related_choices(board: Board) -> list[Organisation]:
    """Organisations an agenda item may be about: the board's alliance and everything in it."""
    alliance_id = alliance_of(board.organisation)
    return list(
        Organisation.objects.filter(Q(pk=alliance_id) | Q(alliance_id=alliance_id)).order_by(
            "kind", "name"
        )
    )


def visible_declarations(user: Any) -> QuerySet[Declaration]:
    return Declaration.objects.filter(board__organisation_id__in=view_scope(user)).select_related(
        "person", "board", "alliance", "related_organisation"
    )


def register_alliances(user: Any) -> list[Organisation]:
    ids = visible_declarations(user).values("alliance_id")
    boards = visible_boards(user)
    alliance_ids = {alliance_of(b.organisation) for b in boards} - {None}
    return list(
        Organisation.objects.filter(Q(pk__in=ids) | Q(pk__in=alliance_ids)).order_by("name")
    )


def declarable_boards(user: Any) -> list[Board]:
    """Boards the user may declare to: ones they manage, or sit on through their registry person."""
    today = dt.date.today()
    person_id = getattr(user, "person_id", None)
    sitting = BoardMember.objects.current_on(today).filter(person_id=person_id).values("board_id")
    return list(
        visible_boards(user)
        .filter(Q(organisation_id__in=manage_scope(user)) | Q(pk__in=sitting))
        .order_by("organisation__name", "name")
    )


def setup_organisations(user: Any) -> list[Organisation]:
    """The alliances and PCNs the user may set up a board for."""
    return list(
        Organisation.objects.filter(
            pk__in=manage_scope(user),
            kind__in=[OrganisationKind.ALLIANCE, OrganisationKind.NETWORK],
        ).order_by("kind", "name")
    )


def member_or_404(user: Any, pk: int) -> BoardMember:
    member = BoardMember.objects.filter(pk=pk).select_related("person").first()
    if member is None:
        raise Http404("No such board member")
    member.board = board_or_404(user, member.board_id)
    return member


def eligible_people(board: Board, day: dt.date) -> list[Person]:
    """Who may be named to a board: people holding a role in its organisation or within it (an
    alliance's places, PCNs and practices; a PCN's member practices) on the day."""
    from openpcn.organisations.models import RoleHolding
    from openpcn.organisations.queries import practices_of

    organisation = board.organisation
    if organisation.kind == OrganisationKind.ALLIANCE:
        ids = {
            organisation.pk,
            *Organisation.objects.filter(alliance=organisation).values_list("pk", flat=True),
        }
    else:
        ids = {organisation.pk, *(p.pk for p in practices_of(organisation, day))}
    people_ids = (
        RoleHolding.objects.current_on(day).filter(organisation_id__in=ids).values("person_id")
    )
    return list(Person.objects.filter(pk__in=people_ids).order_by("family_name", "given_name"))
