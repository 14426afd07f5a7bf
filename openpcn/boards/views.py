"""Board pages: boards in scope, a board, a meeting (agenda with conflict flags, attendance,
quorum, decisions, actions, minutes), their forms, papers, and the declarations register."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import get_organisation_or_404
from openpcn.boards import actions, queries
from openpcn.boards.forms import (
    ActionForm,
    AgendaItemForm,
    AttendanceForm,
    BoardForm,
    DecisionForm,
    DeclarationForm,
    EndTermForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
)
from openpcn.boards.models import Board, Declaration, Meeting, MeetingStatus
from openpcn.boards.storage import SERVED_TYPES
from openpcn.core.forms import attempt
from openpcn.organisations.models import Organisation, Person


def _managed_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = queries.meeting_or_404(request.user, pk)
    if not queries.can_manage(request.user, meeting.board):
        raise Http404("No such meeting")
    return meeting


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not queries.view_scope(request.user):
        raise Http404("You see no boards")
    boards = list(queries.visible_boards(request.user).order_by("organisation__name", "name"))
    return render(
        request,
        "boards/index.jinja",
        {"boards": boards, "can_set_up": bool(queries.setup_organisations(request.user))},
    )


@login_required
def board_new(request: HttpRequest) -> HttpResponse:
    organisations = queries.setup_organisations(request.user)
    if not organisations:
        raise Http404("You set up no boards")
    form = BoardForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = attempt(
            form,
            lambda: actions.create_board(
                by=request.user,
                organisation=data["organisation"],
                name=data["name"],
                quorum=data["quorum"],
            ),
        )
        if made is not None:
            messages.success(request, f"{made.name} set up: now name its members.")
            return redirect("boards:board", made.pk)
    return render(request, "boards/board_form.jinja", {"form": form})


@login_required
def member_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.board_or_404(request.user, pk)
    if not queries.can_manage(request.user, found):
        raise Http404("No such board")
    today = dt.date.today()
    form = MemberForm(
        request.POST or None,
        people=queries.eligible_people(found, today),
        initial={"start_date": today},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = attempt(
            form,
            lambda: actions.add_board_member(
                by=request.user,
                board=found,
                person=data["person"],
                role=data["role"],
                voting=data["voting"],
                start_date=data["start_date"],
                end_date=data["end_date"],
            ),
        )
        if made is not None:
            messages.success(request, f"{made.person} named to {found.name}.")
            return redirect("boards:board", found.pk)
    return render(request, "boards/member_form.jinja", {"form": form, "board": found})


@login_required
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    member = queries.member_or_404(request.user, pk)
    if not queries.can_manage(request.user, member.board):
        raise Http404("No such board member")
    form = EndTermForm(request.POST or None, initial={"end_date": dt.date.today()})
    if request.method == "POST" and form.is_valid():
        ended = attempt(
            form,
            lambda: actions.end_board_member(
                by=request.user, member=member, end_date=form.cleaned_data["end_date"]
            ),
        )
        if ended is not None:
            messages.success(request, f"{ended.person}'s term ends on {ended.end_date:%d %B %Y}.")
            return redirect("boards:board", member.board.pk)
    return render(request, "boards/member_end_form.jinja", {"form": form, "member": member})


@login_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.board_or_404(request.user, pk)
    upcoming, past = queries.meetings(found)
    today = dt.date.today()
    members = queries.all_members(found)
    return render(
        request,
        "boards/board.jinja",
        {
            "board": found,
            "current": [m for m in members if m.serves_on(today)],
            "former": [m for m in members if not m.serves_on(today)],
            "upcoming": upcoming,
            "past": past,
            "can_manage": queries.can_manage(request.user, found),
        },
    )


@login_required
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.board_or_404(request.user, pk)
    if not queries.can_manage(request.user, found):
        raise Http404("No such board")
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = attempt(
            form,
            lambda: actions.schedule_meeting(
                by=request.user,
                board=found,
                starts_at=data["starts_at"],
                place=data["place"],
                online=data["online"],
            ),
        )
        if meeting is not None:
            messages.success(request, f"Meeting scheduled for {meeting.starts_at:%d %B %Y}.")
            return redirect("boards:meeting", meeting.pk)
    return render(request, "boards/meeting_form.jinja", {"form": form, "board": found})


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.meeting_or_404(request.user, pk)
    items = queries.agenda(found)
    recorded = queries.attendance(found)
    day = timezone.localtime(found.starts_at).date()
    return render(
        request,
        "boards/meeting.jinja",
        {
            "meeting": found,
            "board": found.board,
            "items": items,
            "flags": queries.conflict_flags(found, items),
            "members": queries.members_on(found.board, day),
            "recorded": recorded,
            "quorum": queries.quorum_status(found, recorded),
            "action_log": queries.action_log(found),
            "can_manage": queries.can_manage(request.user, found.board)
            and found.status != MeetingStatus.CANCELLED,
            "today": dt.date.today(),
        },
    )


@login_required
def item_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = _managed_meeting(request, pk)
    form = AgendaItemForm(
        request.POST or None,
        request.FILES or None,
        people=queries.possible_people(found.board),
        organisations=queries.related_choices(found.board),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = attempt(
            form,
            lambda: actions.add_agenda_item(
                by=request.user,
                meeting=found,
                title=data["title"],
                presenter=data["presenter"],
                for_decision=data["for_decision"],
                related_organisations=data["related_organisations"],
                keywords=data["keywords"],
                paper=data["paper"] or None,
            ),
        )
        if item is not None:
            messages.success(request, f"Item {item.order} added to the agenda.")
            return redirect("boards:meeting", found.pk)
    return render(request, "boards/item_form.jinja", {"form": form, "meeting": found})


@login_required
def paper(request: HttpRequest, pk: int) -> FileResponse:
    item = queries.item_or_404(request.user, pk)
    if not item.paper:
        raise Http404("No paper for this item")
    name = item.paper_name or Path(item.paper.name).name
    return FileResponse(
        item.paper.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=SERVED_TYPES.get(Path(name).suffix.lower(), "application/octet-stream"),
    )


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    found = _managed_meeting(request, pk)
    day = timezone.localtime(found.starts_at).date()
    form = AttendanceForm(
        request.POST or None,
        members=queries.members_on(found.board, day),
        recorded={k: a.status for k, a in queries.attendance(found).items()},
    )
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            lambda: actions.record_attendance(
                by=request.user, meeting=found, attendance=form.attendance()
            ),
        )
        if done is not None:
            messages.success(request, "Attendance recorded.")
            return redirect("boards:meeting", found.pk)
    return render(request, "boards/attendance_form.jinja", {"form": form, "meeting": found})


@login_required
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.item_or_404(request.user, pk)
    if not queries.can_manage(request.user, item.meeting.board) or not item.for_decision:
        raise Http404("No such item for decision")
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = attempt(
            form,
            lambda: actions.record_decision(
                by=request.user,
                agenda_item=item,
                wording=data["wording"],
                votes_for=data["votes_for"],
                votes_against=data["votes_against"],
                abstentions=data["abstentions"],
            ),
        )
        if made is not None:
            outcome = "carried" if made.carried else "not carried"
            messages.success(request, f"Decision on {item.title} recorded: {outcome}.")
            return redirect("boards:meeting", item.meeting.pk)
    recorded = queries.attendance(item.meeting)
    return render(
        request,
        "boards/decision_form.jinja",
        {
            "form": form,
            "item": item,
            "meeting": item.meeting,
            "quorum": queries.quorum_status(item.meeting, recorded),
        },
    )


@login_required
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = _managed_meeting(request, pk)
    form = ActionForm(
        request.POST or None,
        people=queries.possible_people(found.board),
        items=queries.agenda(found),
        initial={"agenda_item": request.GET.get("item")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = attempt(
            form,
            lambda: actions.add_action(
                by=request.user,
                meeting=found,
                description=data["description"],
                owner=data["owner"],
                due_date=data["due_date"],
                agenda_item=data["agenda_item"],
            ),
        )
        if made is not None:
            messages.success(request, "Action added.")
            return redirect("boards:meeting", found.pk)
    return render(request, "boards/action_form.jinja", {"form": form, "meeting": found})


@require_POST
@login_required
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = queries.action_or_404(request.user, pk)
    if not queries.can_manage(request.user, action.meeting.board):
        raise Http404("No such action")
    try:
        actions.complete_action(by=request.user, action=action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        raise Http404("No such action") from error
    else:
        messages.success(request, f"Action done: {action.description}.")
    return redirect("boards:meeting", action.meeting.pk)


@login_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    found = _managed_meeting(request, pk)
    form = MinutesForm(request.POST or None, initial={"minutes": found.minutes})
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            lambda: actions.record_minutes(
                by=request.user, meeting=found, minutes=form.cleaned_data["minutes"]
            ),
        )
        if done is not None:
            messages.success(request, "Minutes recorded.")
            return redirect("boards:meeting", found.pk)
    return render(request, "boards/minutes_form.jinja", {"form": form, "meeting": found})


@login_required
def declarations(request: HttpRequest) -> HttpResponse:
    if not queries.view_scope(request.user):
        raise Http404("You see no declarations register")
    alliances = queries.register_alliances(request.user)
    chosen = request.GET.get("alliance", "")
    alliance: Organisation | None = None
    if chosen:
        if not chosen.isdigit():
            raise Http404("No such organisation")
        alliance = get_organisation_or_404(request.user, Permission.BOARD_VIEW, pk=int(chosen))
    found = queries.visible_declarations(request.user)
    if alliance is not None:
        found = found.filter(alliance=alliance)
    today = dt.date.today()
    rows = list(found.order_by("alliance__name", "person__family_name", "-declared_on"))
    return render(
        request,
        "boards/declarations.jinja",
        {
            "alliances": alliances,
            "alliance": alliance,
            "declarations": rows,
            "renewals_due": sum(1 for d in rows if d.renewal_due(today)),
            "today": today,
            "can_declare": bool(queries.declarable_boards(request.user)),
            "renewable": {
                d.pk for d in rows if actions.may_declare_for(request.user, d.person, d.board)
            },
        },
    )


def _declarers(request: HttpRequest, boards: list[Board]) -> list[Person]:
    """Whom the user may declare for: themselves, and any member of a board they manage."""
    managed = [b for b in boards if queries.can_manage(request.user, b)]
    people = {m.person for b in managed for m in queries.members_on(b, dt.date.today())}
    own = getattr(request.user, "person", None)
    if own is not None:
        people.add(own)
    return sorted(people, key=lambda p: (p.family_name, p.given_name))


@login_required
def declaration_new(request: HttpRequest) -> HttpResponse:
    boards = queries.declarable_boards(request.user)
    if not boards:
        raise Http404("You sit on no board and manage none")
    people = _declarers(request, boards)
    organisations = sorted(
        {o for b in boards for o in queries.related_choices(b)}, key=lambda o: (o.kind, o.name)
    )
    own = getattr(request.user, "person_id", None)
    form = DeclarationForm(
        request.POST or None,
        boards=boards,
        people=people,
        organisations=organisations,
        initial={"person": own, "declared_on": dt.date.today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = attempt(
            form,
            lambda: actions.record_declaration(
                by=request.user,
                person=data["person"],
                board=data["board"],
                interest=data["interest"],
                interest_type=data["interest_type"],
                declared_on=data["declared_on"],
                related_organisation=data["related_organisation"],
            ),
        )
        if made is not None:
            messages.success(request, f"Declaration recorded for {made.person}.")
            return redirect("boards:declarations")
    return render(request, "boards/declaration_form.jinja", {"form": form})


@require_POST
@login_required
def declaration_renew(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = queries.visible_declarations(request.user).filter(pk=pk).first()
    if declaration is None:
        raise Http404("No such declaration")
    try:
        renewed: Declaration = actions.renew_declaration(by=request.user, declaration=declaration)
    except PermissionDenied as error:
        raise Http404("No such declaration") from error
    messages.success(
        request, f"Declaration renewed until {renewed.valid_until:%d %B %Y}: {renewed.person}."
    )
    return redirect("boards:declarations")
