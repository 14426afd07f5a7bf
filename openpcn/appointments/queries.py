"""Reads for the appointments pages, narrowed to what the user may see: an appointment is visible
to APPOINTMENT_MANAGE over its PCN, or to APPOINTMENT_VOTE over one of its voting practices;
anything else is a 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids, has_permission
from openpcn.appointments import count
from openpcn.appointments.models import Appointment, AppointmentStatus, Elector, PracticeVote
from openpcn.organisations.models import Organisation, OrganisationKind


def manage_scope(user: Any) -> set[int]:
    return covered_organisation_ids(user, Permission.APPOINTMENT_MANAGE)


def vote_scope(user: Any) -> set[int]:
    return covered_organisation_ids(user, Permission.APPOINTMENT_VOTE)


def visible_appointments(user: Any) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(
            Q(network_id__in=manage_scope(user)) | Q(electors__practice_id__in=vote_scope(user))
        )
        .distinct()
        .select_related("network", "elected", "agreement")
    )


def appointment_or_404(user: Any, pk: int) -> Appointment:
    appointment = visible_appointments(user).filter(pk=pk).first()
    if appointment is None:
        raise Http404("No such appointment")
    return appointment


def managed_networks(user: Any) -> list[Organisation]:
    return list(
        Organisation.objects.filter(pk__in=manage_scope(user), kind=OrganisationKind.NETWORK)
    )


def network_or_404(user: Any, pk: int) -> Organisation:
    network = next((n for n in managed_networks(user) if n.pk == pk), None)
    if network is None:
        raise Http404("No such PCN")
    return network


def may_manage(user: Any, appointment: Appointment) -> bool:
    return has_permission(user, Permission.APPOINTMENT_MANAGE, organisation=appointment.network)


def electors(appointment: Appointment) -> list[Elector]:
    return list(appointment.electors.select_related("practice").order_by("practice__name"))


def votes_by_practice(appointment: Appointment) -> dict[int, PracticeVote]:
    return {
        v.practice_id: v
        for v in appointment.votes.select_related("nomination__person", "recorded_by")
    }


def practices_user_votes_for(user: Any, appointment: Appointment) -> list[Elector]:
    """The member practices whose vote this user may cast or record."""
    if may_manage(user, appointment):
        return electors(appointment)
    scope = vote_scope(user)
    return [e for e in electors(appointment) if e.practice_id in scope]


def tally(appointment: Appointment) -> count.Tally:
    """The count of the votes cast so far, by the terms the appointment opened under."""
    return count.count(
        (count.Ballot(v.practice_id, v.nomination_id) for v in appointment.votes.all()),
        nominees=appointment.nominations.values_list("pk", flat=True),
        electorate={e.practice_id: e.list_size or 0 for e in appointment.electors.all()},
        voting=appointment.voting,
        quorum_basis=appointment.quorum_basis,
        quorum_percent=appointment.quorum_percent,
    )


@dataclass(frozen=True)
class DueItem:
    due: dt.date
    kind: str
    what: str
    appointment: Appointment


def due_items(user: Any, until: dt.date) -> list[DueItem]:
    """Clinical Directors' terms ending by `until` (the latest result of each PCN, while no
    appointment has followed it), and board seats waiting to be handed over."""
    found = []
    latest: dict[int, Appointment] = {}
    for appointment in visible_appointments(user).filter(status=AppointmentStatus.DECLARED):
        held = latest.get(appointment.network_id)
        if held is None or appointment.term_starts > held.term_starts:
            latest[appointment.network_id] = appointment
    for appointment in latest.values():
        assert appointment.term_ends is not None  # a declared result has one (constraint)
        followed = Appointment.objects.filter(
            network_id=appointment.network_id, created_at__gt=appointment.created_at
        ).exists()
        if appointment.term_ends <= until and not followed:
            found.append(
                DueItem(
                    appointment.term_ends,
                    "Clinical Director's term ends",
                    f"{appointment.elected}, {appointment.network.name}",
                    appointment,
                )
            )
    board_scope = covered_organisation_ids(user, Permission.BOARD_MANAGE)
    for appointment in Appointment.objects.filter(
        board_seat_pending=True, network__alliance_id__in=board_scope
    ).select_related("network", "elected"):
        found.append(
            DueItem(
                appointment.term_starts,
                "Board seat to hand over",
                f"{appointment.elected} for {appointment.network.name}",
                appointment,
            )
        )
    return found
