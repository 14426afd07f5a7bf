"""Writes to Clinical Director appointments: open one, nominate, cast a practice's vote, declare.

Running an appointment needs APPOINTMENT_MANAGE over the PCN. A practice's vote is cast by its
practice manager (APPOINTMENT_VOTE over the practice) or recorded by the PCN's manager, naming who
cast it. Declaring counts the votes (appointments.count): no quorum or a tie closes it with no
result; otherwise the Clinical Director is appointed in the registry and the PCN's seat on the
alliance board handed over (organisations.actions). Checked, in a transaction and audited.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import has_permission
from openpcn.appointments.models import (
    Appointment,
    AppointmentStatus,
    Elector,
    Nomination,
    PracticeVote,
)
from openpcn.appointments.queries import tally
from openpcn.boards import actions as boards
from openpcn.boards.models import BoardMember, MemberRole
from openpcn.contracts.models import AgreementStatus, NetworkAgreement
from openpcn.core import audit
from openpcn.core.actions import require_permission
from openpcn.organisations import actions as registry
from openpcn.organisations.models import (
    CLINICAL_ROLE_TITLES,
    BoardSeat,
    Organisation,
    OrganisationKind,
    Person,
    PopulationSnapshot,
    RoleHolding,
    RoleTitle,
)
from openpcn.organisations.queries import practices_of

NOMINABLE_TITLES = CLINICAL_ROLE_TITLES | {RoleTitle.CLINICAL_DIRECTOR}


def _record(by: Any, action: str, obj: Any, appointment: Appointment, before: Any = None) -> None:
    audit.record(
        by=by,
        action=action,
        obj=obj,
        organisation=appointment.network,
        before=before,
        after=audit.snapshot(obj),
    )


def agreement_in_force(network: Organisation, on: dt.date) -> NetworkAgreement | None:
    """The signed version of the PCN's Network Agreement in force on the day."""
    return (
        NetworkAgreement.objects.filter(
            network=network,
            status__in=[AgreementStatus.SIGNED, AgreementStatus.SUPERSEDED],
            effective_from__lte=on,
        )
        .order_by("-effective_from", "-version")
        .first()
    )


def term_end(starts: dt.date, months: int) -> dt.date:
    """The last day of a term of `months` from `starts` (a term from 1 April for 36 months ends
    on 31 March three years on)."""
    month_index = starts.month - 1 + months
    year, month = starts.year + month_index // 12, month_index % 12 + 1
    day = min(starts.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day) - dt.timedelta(days=1)


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("network", "network__alliance")
        .get(pk=appointment.pk)
    )


def _require_open(appointment: Appointment) -> None:
    if appointment.status != AppointmentStatus.OPEN:
        raise ValidationError(f"This appointment is {appointment.get_status_display().lower()}")


@transaction.atomic
def open_appointment(
    *, by: Any, network: Organisation, vote_date: dt.date, term_starts: dt.date
) -> Appointment:
    """Open an appointment under the Network Agreement in force on the vote's date, with its
    member practices then (and their registered lists then) as the electorate."""
    require_permission(by, Permission.APPOINTMENT_MANAGE, organisation=network)
    if network.kind != OrganisationKind.NETWORK:
        raise ValidationError("A Clinical Director is appointed by a PCN")
    if term_starts < vote_date:
        raise ValidationError("The term of office cannot start before the vote")
    Organisation.objects.select_for_update().filter(pk=network.pk).first()
    if Appointment.objects.filter(network=network, status=AppointmentStatus.OPEN).exists():
        raise ValidationError(f"{network.name} already has an appointment open")
    agreement = agreement_in_force(network, vote_date)
    if agreement is None:
        raise ValidationError(
            f"{network.name} has no signed Network Agreement in force on "
            f"{vote_date:%d %B %Y}: its Schedule 1 says how the Clinical Director is appointed"
        )
    members = sorted(practices_of(network, vote_date), key=lambda p: p.name)
    if not members:
        raise ValidationError(f"{network.name} has no member practices on {vote_date:%d %B %Y}")
    lists = {}
    for practice in members:
        snapshot = (
            PopulationSnapshot.objects.filter(practice=practice, date__lte=vote_date)
            .order_by("-date")
            .first()
        )
        lists[practice.pk] = snapshot
    needs_lists = (
        agreement.director_voting == "list_size" or agreement.director_quorum_basis == "list_size"
    )
    missing = [p.name for p in members if lists[p.pk] is None]
    if needs_lists and missing:
        raise ValidationError(
            f"The vote counts registered lists, but {', '.join(missing)} "
            f"{'has' if len(missing) == 1 else 'have'} no list size on or before "
            f"{vote_date:%d %B %Y}"
        )
    appointment = Appointment.objects.create(
        network=network,
        agreement=agreement,
        vote_date=vote_date,
        term_starts=term_starts,
        voting=agreement.director_voting,
        quorum_basis=agreement.director_quorum_basis,
        quorum_percent=agreement.director_quorum_percent,
        term_months=agreement.director_term_months,
        opened_by=by,
    )
    Elector.objects.bulk_create(
        Elector(
            appointment=appointment,
            practice=practice,
            list_size=snap.registered if (snap := lists[practice.pk]) else None,
            list_date=snap.date if snap else None,
        )
        for practice in members
    )
    _record(by, "open_director_appointment", appointment, appointment)
    return appointment


def _may_vote_for(by: Any, appointment: Appointment, practice: Organisation) -> bool:
    return has_permission(by, Permission.APPOINTMENT_VOTE, organisation=practice)


@transaction.atomic
def nominate(
    *,
    by: Any,
    appointment: Appointment,
    person: Person,
    practice: Organisation,
    statement: str = "",
) -> Nomination:
    """Nominate a GP partner or clinician of a member practice; nominations close at the first
    vote. The PCN's manager nominates anyone eligible; a practice manager, from their practice."""
    appointment = _locked(appointment)
    if by is not None and not (
        has_permission(by, Permission.APPOINTMENT_MANAGE, organisation=appointment.network)
        or _may_vote_for(by, appointment, practice)
    ):
        raise PermissionDenied(f"{by} may not nominate for {appointment}")
    _require_open(appointment)
    if appointment.votes.exists():
        raise ValidationError("Nominations closed when the first vote was cast")
    if not appointment.electors.filter(practice=practice).exists():
        raise ValidationError(f"{practice.name} is not a member practice in this vote")
    holds_role = (
        RoleHolding.objects.current_on(appointment.vote_date)
        .filter(person=person, organisation=practice, title__in=NOMINABLE_TITLES)
        .exists()
    )
    if not holds_role:
        raise ValidationError(
            f"{person} is not a GP partner or clinician of {practice.name} "
            f"on {appointment.vote_date:%d %B %Y}"
        )
    if appointment.nominations.filter(person=person).exists():
        raise ValidationError(f"{person} is already nominated")
    nomination = Nomination.objects.create(
        appointment=appointment,
        person=person,
        practice=practice,
        statement=statement.strip(),
        nominated_by=by,
    )
    _record(by, "nominate_clinical_director", nomination, appointment)
    return nomination


@transaction.atomic
def cast_vote(
    *,
    by: Any,
    appointment: Appointment,
    practice: Organisation,
    nomination: Nomination,
    cast_on: dt.date,
    cast_by: str = "",
) -> PracticeVote:
    """A member practice's one vote: cast by its practice manager, or recorded by the PCN's
    manager with the name of who cast it for the practice."""
    appointment = _locked(appointment)
    voter = by is None or _may_vote_for(by, appointment, practice)
    manager = by is not None and has_permission(
        by, Permission.APPOINTMENT_MANAGE, organisation=appointment.network
    )
    if not (voter or manager):
        raise PermissionDenied(f"{by} may not vote for {practice}")
    _require_open(appointment)
    if not appointment.electors.filter(practice=practice).exists():
        raise ValidationError(f"{practice.name} is not a member practice in this vote")
    if nomination.appointment_id != appointment.pk:
        raise ValidationError("Vote for someone nominated in this appointment")
    if appointment.votes.filter(practice=practice).exists():
        raise ValidationError(f"{practice.name} has already voted: one vote per practice")
    cast_by = cast_by.strip()
    if not cast_by and voter and by is not None:
        cast_by = str(by.person) if by.person_id else (by.get_full_name() or by.username)
    if not cast_by:
        raise ValidationError(f"Say who cast {practice.name}'s vote")
    vote = PracticeVote.objects.create(
        appointment=appointment,
        practice=practice,
        nomination=nomination,
        cast_by=cast_by,
        cast_on=cast_on,
        recorded_by=by,
    )
    _record(by, "cast_practice_vote", vote, appointment)
    return vote


@transaction.atomic
def declare_result(*, by: Any, appointment: Appointment, on: dt.date) -> Appointment:
    """Close the vote and count it. No quorum, or a tie, closes it with no one appointed."""
    appointment = _locked(appointment)
    require_permission(by, Permission.APPOINTMENT_MANAGE, organisation=appointment.network)
    _require_open(appointment)
    if not appointment.nominations.exists():
        raise ValidationError("No one has been nominated")
    before = audit.snapshot(appointment)
    result = tally(appointment)
    appointment.declared_on = on
    appointment.declared_by = by
    if not result.quorate:
        appointment.status = AppointmentStatus.NO_QUORUM
    elif result.tied:
        appointment.status = AppointmentStatus.TIED
    else:
        assert result.winner is not None  # quorate and not tied: one leader
        nomination = appointment.nominations.select_related("person").get(pk=result.winner)
        appointment.status = AppointmentStatus.DECLARED
        appointment.elected = nomination.person
        appointment.term_ends = term_end(appointment.term_starts, appointment.term_months)
    appointment.save()
    _record(by, "declare_director_appointment", appointment, appointment, before)
    if appointment.status == AppointmentStatus.DECLARED:
        assert appointment.elected is not None
        registry.appoint(
            by=by,
            person=appointment.elected,
            organisation=appointment.network,
            title=RoleTitle.CLINICAL_DIRECTOR,
            start_date=appointment.term_starts,
        )
        alliance = appointment.network.alliance
        if alliance is not None and _pcn_seats(appointment):
            if by is None or has_permission(by, Permission.BOARD_MANAGE, organisation=alliance):
                _hand_over(by, appointment)
            else:
                # The alliance board is the alliance's to change: it waits for someone who may.
                appointment.board_seat_pending = True
                appointment.save(update_fields=["board_seat_pending"])
    return appointment


def _pcn_seats(appointment: Appointment) -> list[BoardSeat]:
    return list(
        BoardSeat.objects.select_for_update().filter(
            alliance=appointment.network.alliance,
            representing=appointment.network,
            end_date__isnull=True,
        )
    )


def _hand_over(by: Any, appointment: Appointment) -> None:
    assert appointment.elected is not None and appointment.network.alliance is not None
    for seat in _pcn_seats(appointment):
        if seat.person_id == appointment.elected.pk:
            continue  # re-appointed: the seat stays as it is
        registry.end_board_seat(by=by, seat=seat, end_date=appointment.term_starts)
        registry.seat_on_board(
            by=by,
            alliance=appointment.network.alliance,
            person=appointment.elected,
            # The chair is the board's own choice; the PCN's new Clinical Director takes a seat.
            role="member" if seat.role in ("chair", "vice_chair") else seat.role,
            representing=appointment.network,
            start_date=appointment.term_starts,
        )
        _follow_on_boards(by, appointment, outgoing=seat.person)


def _follow_on_boards(by: Any, appointment: Appointment, *, outgoing: Person) -> None:
    """The alliance's boards (boards app) seat the same people as the registry's board seats."""
    assert appointment.elected is not None
    starts = appointment.term_starts
    for member in (
        BoardMember.objects.select_related("board")
        .filter(board__organisation=appointment.network.alliance, person=outgoing)
        .current_on(starts)
    ):
        boards.end_board_member(by=by, member=member, end_date=starts)
        boards.add_board_member(
            by=by,
            board=member.board,
            person=appointment.elected,
            # As for the seat: the chair is the board's own choice.
            role=MemberRole.MEMBER if member.role in ("chair", "vice_chair") else member.role,
            voting=member.voting,
            start_date=starts,
        )


@transaction.atomic
def hand_over_board_seat(*, by: Any, appointment: Appointment) -> Appointment:
    """Give the PCN's seat on the alliance board to the Clinical Director the vote appointed."""
    appointment = _locked(appointment)
    alliance = appointment.network.alliance
    require_permission(by, Permission.BOARD_MANAGE, organisation=alliance)
    if not appointment.board_seat_pending:
        raise ValidationError("No board seat is waiting to be handed over")
    before = audit.snapshot(appointment)
    _hand_over(by, appointment)
    appointment.board_seat_pending = False
    appointment.save(update_fields=["board_seat_pending"])
    _record(by, "hand_over_board_seat", appointment, appointment, before)
    return appointment
