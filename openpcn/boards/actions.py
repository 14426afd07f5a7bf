"""Writes to boards, meetings and the declarations register: permission checked, atomic, audited.

BOARD_MANAGE over a board's organisation (the alliance or PCN) is needed to set it up, name its
members, schedule meetings, build agendas and record attendance, decisions, actions and minutes.
A board member may record and renew their own declarations of interest (matched through their
account's registry person); BOARD_MANAGE holders may record anyone's on their board.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import has_permission
from openpcn.boards import votes
from openpcn.boards.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Board,
    BoardMember,
    Decision,
    Declaration,
    InterestType,
    Meeting,
    MeetingStatus,
    MemberRole,
)
from openpcn.boards.storage import check_paper
from openpcn.core import audit
from openpcn.core.actions import end_dated_record, require_permission
from openpcn.organisations.models import Organisation, OrganisationKind, Person

BOARD_KINDS = (OrganisationKind.ALLIANCE, OrganisationKind.NETWORK)


def _record(by: Any, action: str, obj: Any, board: Board, before: Any = None) -> None:
    audit.record(
        by=by,
        action=action,
        obj=obj,
        organisation=board.organisation,
        before=before,
        # A paper is a file: its name (paper_name) is recorded, not its contents.
        after=audit.snapshot(obj, exclude=("paper",)),
    )


def _manage(by: Any, board: Board) -> None:
    require_permission(by, Permission.BOARD_MANAGE, organisation=board.organisation)


@transaction.atomic
def create_board(*, by: Any, organisation: Organisation, name: str, quorum: int) -> Board:
    require_permission(by, Permission.BOARD_MANAGE, organisation=organisation)
    if organisation.kind not in BOARD_KINDS:
        raise ValidationError("A board belongs to an alliance or a PCN")
    name = name.strip()
    if not name:
        raise ValidationError("A board needs a name")
    if quorum < 1:
        raise ValidationError("A board's quorum is at least one voting member")
    if Board.objects.filter(organisation=organisation, name=name).exists():
        raise ValidationError(f"{organisation.name} already has a board called {name}")
    board = Board.objects.create(organisation=organisation, name=name, quorum=quorum)
    _record(by, "create_board", board, board)
    return board


@transaction.atomic
def add_board_member(
    *,
    by: Any,
    board: Board,
    person: Person,
    role: str = "member",  # a MemberRole value
    voting: bool = True,
    start_date: dt.date,
    end_date: dt.date | None = None,
) -> BoardMember:
    """Start a person's term on a board; an observer never votes."""
    _manage(by, board)
    if role not in MemberRole.values:
        raise ValidationError(f"Unknown board role {role!r}")
    if role == MemberRole.OBSERVER and voting:
        raise ValidationError("An observer does not vote")
    if end_date is not None and end_date <= start_date:
        raise ValidationError("A term must end after it starts")
    overlapping = BoardMember.objects.filter(board=board, person=person).exclude(
        end_date__lte=start_date
    )
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lt=end_date)
    if overlapping.exists():
        raise ValidationError(f"{person} already has a term on {board} at that time")
    member = BoardMember.objects.create(
        board=board,
        person=person,
        role=role,
        voting=voting,
        start_date=start_date,
        end_date=end_date,
    )
    _record(by, "add_board_member", member, board)
    return member


@transaction.atomic
def end_board_member(*, by: Any, member: BoardMember, end_date: dt.date) -> BoardMember:
    _manage(by, member.board)
    member = (
        BoardMember.objects.select_for_update()
        .select_related("board__organisation", "person")
        .get(pk=member.pk)
    )
    if member.end_date is not None and member.end_date <= timezone.localdate():
        raise ValidationError(f"{member.person}'s term already ended on {member.end_date:%d %B %Y}")
    end_dated_record(
        by=by,
        record=member,
        end_date=end_date,
        action="end_board_member",
        organisation=member.board.organisation,
        what="A board term",
    )
    return member


@transaction.atomic
def schedule_meeting(
    *, by: Any, board: Board, starts_at: dt.datetime, place: str = "", online: bool = False
) -> Meeting:
    _manage(by, board)
    place = place.strip()
    if not place and not online:
        raise ValidationError("Say where the meeting is, or that it is online")
    meeting = Meeting.objects.create(board=board, starts_at=starts_at, place=place, online=online)
    _record(by, "schedule_meeting", meeting, board)
    return meeting


def _locked_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update().select_related("board__organisation").get(pk=meeting.pk)
    )


def _open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("The meeting was cancelled")


@transaction.atomic
def add_agenda_item(
    *,
    by: Any,
    meeting: Meeting,
    title: str,
    presenter: Person | None = None,
    for_decision: bool = False,
    related_organisations: Iterable[Organisation] = (),
    keywords: str = "",
    paper: UploadedFile | None = None,
) -> AgendaItem:
    """Add an item at the end of the agenda, with its paper (PDF, .docx or .xlsx) if there is one."""
    _manage(by, meeting.board)
    locked = _locked_meeting(meeting)
    _open(locked)
    title = title.strip()
    if not title:
        raise ValidationError("An agenda item needs a title")
    if paper is not None:
        refusal = check_paper(paper)
        if refusal:
            raise ValidationError(refusal)
    last = AgendaItem.objects.filter(meeting=locked).aggregate(n=Max("order"))["n"] or 0
    item = AgendaItem(
        meeting=locked,
        order=last + 1,
        title=title,
        presenter=presenter,
        for_decision=for_decision,
        keywords=", ".join(part.strip() for part in keywords.split(",") if part.strip()),
    )
    if paper is not None:
        item.paper_name = (paper.name or "paper")[-200:]
        item.paper.save(item.paper_name, paper, save=False)
    item.save()
    item.related_organisations.set(list(related_organisations))
    _record(by, "add_agenda_item", item, locked.board)
    return item


@transaction.atomic
def record_attendance(
    *, by: Any, meeting: Meeting, attendance: Mapping[BoardMember, str]
) -> list[Attendance]:
    """Record each member as present or sending apologies (again, to correct it)."""
    _manage(by, meeting.board)
    locked = _locked_meeting(meeting)
    _open(locked)
    day = timezone.localtime(locked.starts_at).date()
    recorded = []
    for member, status in attendance.items():
        if member.board_id != locked.board_id or not member.serves_on(day):
            raise ValidationError(f"{member.person} is not on {locked.board} on {day:%d %B %Y}")
        if status not in AttendanceStatus.values:
            raise ValidationError(f"Unknown attendance {status!r}")
        row = Attendance.objects.filter(meeting=locked, member=member).first()
        before = audit.snapshot(row)
        if row is None:
            row = Attendance(meeting=locked, member=member)
        row.status = status
        row.save()
        _record(by, "record_attendance", row, locked.board, before=before)
        recorded.append(row)
    return recorded


def present_voting(meeting: Meeting) -> int:
    return Attendance.objects.filter(
        meeting=meeting, status=AttendanceStatus.PRESENT, member__voting=True
    ).count()


@transaction.atomic
def record_decision(
    *,
    by: Any,
    agenda_item: AgendaItem,
    wording: str,
    votes_for: int,
    votes_against: int,
    abstentions: int = 0,
) -> Decision:
    """Record the board's decision on an item for decision; refused when the meeting is inquorate."""
    _manage(by, agenda_item.meeting.board)
    meeting = _locked_meeting(agenda_item.meeting)
    _open(meeting)
    if not agenda_item.for_decision:
        raise ValidationError(f"{agenda_item.title} is not an item for decision")
    if Decision.objects.filter(agenda_item=agenda_item).exists():
        raise ValidationError(f"A decision on {agenda_item.title} is already recorded")
    wording = wording.strip()
    if not wording:
        raise ValidationError("Write down what was decided")
    try:
        outcome = votes.decide(
            present_voting=present_voting(meeting),
            quorum=meeting.board.quorum,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
        )
    except votes.VoteError as error:
        raise ValidationError(str(error)) from error
    decision = Decision.objects.create(
        agenda_item=agenda_item,
        wording=wording,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        present_voting=outcome.present_voting,
        carried=outcome.carried,
    )
    _record(by, "record_decision", decision, meeting.board)
    return decision


@transaction.atomic
def record_minutes(*, by: Any, meeting: Meeting, minutes: str) -> Meeting:
    """Record (or correct) the minutes; a meeting with minutes has been held."""
    _manage(by, meeting.board)
    locked = _locked_meeting(meeting)
    _open(locked)
    before = audit.snapshot(locked)
    locked.minutes = minutes.strip()
    if locked.minutes:
        locked.status = MeetingStatus.HELD
    locked.save()
    _record(by, "record_minutes", locked, locked.board, before=before)
    return locked


@transaction.atomic
def cancel_meeting(*, by: Any, meeting: Meeting) -> Meeting:
    _manage(by, meeting.board)
    locked = _locked_meeting(meeting)
    if locked.status != MeetingStatus.PLANNED:
        raise ValidationError("Only a planned meeting can be cancelled")
    before = audit.snapshot(locked)
    locked.status = MeetingStatus.CANCELLED
    locked.save()
    _record(by, "cancel_meeting", locked, locked.board, before=before)
    return locked


@transaction.atomic
def add_action(
    *,
    by: Any,
    meeting: Meeting,
    description: str,
    owner: Person,
    due_date: dt.date,
    agenda_item: AgendaItem | None = None,
) -> ActionItem:
    _manage(by, meeting.board)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError("That agenda item is on another meeting")
    description = description.strip()
    if not description:
        raise ValidationError("Say what the action is")
    action = ActionItem.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        description=description,
        owner=owner,
        due_date=due_date,
    )
    _record(by, "add_action", action, meeting.board)
    return action


@transaction.atomic
def complete_action(*, by: Any, action: ActionItem, on: dt.date | None = None) -> ActionItem:
    _manage(by, action.meeting.board)
    locked = ActionItem.objects.select_for_update().get(pk=action.pk)
    if locked.status == ActionStatus.DONE:
        raise ValidationError("That action is already done")
    before = audit.snapshot(locked)
    locked.status = ActionStatus.DONE
    locked.completed_on = on or dt.date.today()
    locked.save()
    _record(by, "complete_action", locked, action.meeting.board, before=before)
    return locked


def may_declare_for(by: Any, person: Person, board: Board, on: dt.date | None = None) -> bool:
    """Whether `by` may record `person`'s declaration to `board`: their own, or as its manager."""
    if by is None or has_permission(by, Permission.BOARD_MANAGE, organisation=board.organisation):
        return True
    own = getattr(by, "person_id", None) == person.pk
    serving = BoardMember.objects.current_on(on or dt.date.today()).filter(board=board)
    return own and serving.filter(person=person).exists()


def _alliance_of(organisation: Organisation) -> Organisation:
    if organisation.kind == OrganisationKind.ALLIANCE:
        return organisation
    return Organisation.objects.get(pk=organisation.alliance_id)


def _one_year_on(day: dt.date) -> dt.date:
    # Declarations are renewed annually; 29 February falls back to 28 February.
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def record_declaration(
    *,
    by: Any,
    person: Person,
    board: Board,
    interest: str,
    interest_type: str,
    declared_on: dt.date | None = None,
    valid_until: dt.date | None = None,
    related_organisation: Organisation | None = None,
) -> Declaration:
    """Record a board member's interest in the alliance's register, valid for a year by default."""
    declared_on = declared_on or dt.date.today()
    if not may_declare_for(by, person, board):
        raise PermissionDenied(f"{by} may not declare interests for {person} to {board}")
    if not BoardMember.objects.filter(board=board, person=person).exists():
        raise ValidationError(f"{person} is not a member of {board}")
    interest = interest.strip()
    if not interest:
        raise ValidationError("Describe the interest")
    if interest_type not in InterestType.values:
        raise ValidationError(f"Unknown type of interest {interest_type!r}")
    valid_until = valid_until or _one_year_on(declared_on)
    if valid_until < declared_on:
        raise ValidationError("A declaration cannot run out before it is made")
    declaration = Declaration.objects.create(
        person=person,
        board=board,
        alliance=_alliance_of(board.organisation),
        interest=interest,
        interest_type=interest_type,
        related_organisation=related_organisation,
        declared_on=declared_on,
        valid_until=valid_until,
    )
    _record(by, "record_declaration", declaration, board)
    return declaration


@transaction.atomic
def renew_declaration(
    *, by: Any, declaration: Declaration, on: dt.date | None = None
) -> Declaration:
    """Confirm a declaration still stands: it runs for another year from `on` (today)."""
    on = on or dt.date.today()
    if not may_declare_for(by, declaration.person, declaration.board):
        raise PermissionDenied(f"{by} may not renew {declaration}")
    locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
    before = audit.snapshot(locked)
    locked.valid_until = _one_year_on(on)
    locked.save()
    _record(by, "renew_declaration", locked, declaration.board, before=before)
    return locked
