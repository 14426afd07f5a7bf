"""Clinical Director appointments: each PCN's appointments, one appointment's nominations, votes
and result, and the forms that open, nominate, vote, declare and hand over the board seat."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import has_permission
from openpcn.appointments import actions, queries
from openpcn.appointments.forms import DeclareForm, NominationForm, OpenForm, VoteForm
from openpcn.appointments.models import AppointmentStatus


@login_required
def index(request: HttpRequest) -> HttpResponse:
    networks = queries.managed_networks(request.user)
    appointments = list(queries.visible_appointments(request.user).order_by("network__name"))
    if not networks and not appointments:
        raise Http404("No appointments for you")
    form = OpenForm(networks, request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            appointment = actions.open_appointment(
                by=request.user,
                network=form.cleaned_data["network"],
                vote_date=form.cleaned_data["vote_date"],
                term_starts=form.cleaned_data["term_starts"],
            )
        except PermissionDenied as error:
            raise Http404("No such PCN") from error
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, "Appointment opened: record nominations, then the votes.")
            return redirect("appointments:detail", appointment.pk)
    return render(
        request,
        "appointments/index.jinja",
        {"appointments": appointments, "networks": networks, "form": form},
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = queries.appointment_or_404(request.user, pk)
    manage = queries.may_manage(request.user, appointment)
    electors = queries.electors(appointment)
    votes = queries.votes_by_practice(appointment)
    nominations = list(appointment.nominations.select_related("person", "practice"))
    voter_electors = [
        e
        for e in queries.practices_user_votes_for(request.user, appointment)
        if e.practice_id not in votes
    ]
    nominable = [e for e in queries.practices_user_votes_for(request.user, appointment)]
    tally = queries.tally(appointment)
    alliance = appointment.network.alliance
    return render(
        request,
        "appointments/detail.jinja",
        {
            "appointment": appointment,
            "manage": manage,
            "electors": electors,
            "votes": votes,
            "nominations": nominations,
            "nomination_form": NominationForm(appointment, nominable)
            if appointment.is_open and not votes
            else None,
            "vote_form": (
                VoteForm(appointment, voter_electors, manage=manage)
                if appointment.is_open and nominations and voter_electors
                else None
            ),
            "declare_form": DeclareForm(today=timezone.localdate())
            if manage and appointment.is_open
            else None,
            "tally": tally,
            "show_count": not appointment.is_open,
            "totals": {n.pk: tally.totals.get(n.pk, 0) for n in nominations},
            "can_hand_over": appointment.board_seat_pending
            and alliance is not None
            and has_permission(request.user, Permission.BOARD_MANAGE, organisation=alliance),
            "statuses": AppointmentStatus,
        },
    )


def _back(pk: int) -> HttpResponse:
    return redirect("appointments:detail", pk)


def _failed(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _form_errors(request: HttpRequest, form: object) -> None:
    errors = form.errors  # type: ignore[attr-defined]
    messages.error(
        request, " ".join(f"{message}" for field in errors.values() for message in field)
    )


@login_required
@require_POST
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = queries.appointment_or_404(request.user, pk)
    form = NominationForm(
        appointment, queries.practices_user_votes_for(request.user, appointment), request.POST
    )
    if not form.is_valid():
        _form_errors(request, form)
        return _back(pk)
    practice, person = form.cleaned_data["nominee"]
    try:
        actions.nominate(
            by=request.user,
            appointment=appointment,
            person=person,
            practice=practice,
            statement=form.cleaned_data["statement"],
        )
    except PermissionDenied as error:
        raise Http404("No such appointment") from error
    except ValidationError as error:
        _failed(request, error)
    else:
        messages.success(request, f"{person} nominated.")
    return _back(pk)


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = queries.appointment_or_404(request.user, pk)
    manage = queries.may_manage(request.user, appointment)
    form = VoteForm(
        appointment,
        queries.practices_user_votes_for(request.user, appointment),
        request.POST,
        manage=manage,
    )
    if not form.is_valid():
        _form_errors(request, form)
        return _back(pk)
    elector = form.cleaned_data["practice"]
    try:
        actions.cast_vote(
            by=request.user,
            appointment=appointment,
            practice=elector.practice,
            nomination=form.cleaned_data["nomination"],
            cast_on=timezone.localdate(),
            cast_by=form.cleaned_data.get("cast_by", ""),
        )
    except PermissionDenied as error:
        raise Http404("No such appointment") from error
    except ValidationError as error:
        _failed(request, error)
    else:
        messages.success(request, f"{elector.practice.name}'s vote is recorded.")
    return _back(pk)


@login_required
@require_POST
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = queries.appointment_or_404(request.user, pk)
    form = DeclareForm(request.POST, today=timezone.localdate())
    if not form.is_valid():
        _form_errors(request, form)
        return _back(pk)
    try:
        appointment = actions.declare_result(
            by=request.user, appointment=appointment, on=form.cleaned_data["on"]
        )
    except PermissionDenied as error:
        raise Http404("No such appointment") from error
    except ValidationError as error:
        _failed(request, error)
    else:
        if appointment.status == AppointmentStatus.DECLARED:
            messages.success(
                request,
                f"{appointment.elected} is appointed Clinical Director of "
                f"{appointment.network.name} until {appointment.term_ends:%d %B %Y}.",
            )
        else:
            messages.warning(request, f"{appointment.get_status_display()}: no one is appointed.")
    return _back(pk)


@login_required
@require_POST
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = queries.appointment_or_404(request.user, pk)
    try:
        actions.hand_over_board_seat(by=request.user, appointment=appointment)
    except PermissionDenied as error:
        raise Http404("No such appointment") from error
    except ValidationError as error:
        _failed(request, error)
    else:
        messages.success(request, "The PCN's seat on the alliance board is handed over.")
    return _back(pk)
