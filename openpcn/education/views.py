"""Education pages: events, booking and the waitlist, the register, feedback, certificates, the CPD
log and the attendance and feedback report. Thin: the actions decide, queries narrow to scope."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import has_permission, organisations_for
from openpcn.core.forms import attempt
from openpcn.education import actions, calendar, queries
from openpcn.education.certificate import certificate_pdf
from openpcn.education.forms import CapacityForm, EventForm, FeedbackForm
from openpcn.education.models import Booking, BookingStatus, Event
from openpcn.organisations.models import Organisation, OrganisationKind
from openpcn.workforce.models import JobRole
from openpcn.workforce.queries import own_staff_record


def _managed(request: HttpRequest, pk: int) -> Event:
    event = queries.event_or_404(request.user, pk)
    if not queries.can_manage(request.user, event):
        raise Http404("No such event")
    return event


@login_required
def events(request: HttpRequest) -> HttpResponse:
    staff = own_staff_record(request.user)
    can_create = has_permission(request.user, Permission.EVENT_MANAGE)
    if staff is None and not can_create:
        raise Http404("Education events are for staff and the people who run events")
    now = timezone.now()
    visible = queries.visible_events(request.user)
    bookings: dict[int, Booking] = {}
    if staff is not None:
        live = Booking.objects.filter(staff=staff).exclude(status=BookingStatus.CANCELLED)
        bookings = {b.event_id: b for b in live}
    managed = set(queries.managed_events(request.user).values_list("pk", flat=True))
    return render(
        request,
        "education/events.jinja",
        {
            "upcoming": list(visible.filter(ends_at__gt=now).order_by("starts_at")),
            "past": list(visible.filter(ends_at__lte=now).order_by("-starts_at")[:20]),
            "bookings": bookings,
            "managed": managed,
            "can_create": can_create,
            "staff": staff,
            "feedback_due": list(queries.feedback_due(staff)) if staff else [],
        },
    )


def _event_form(request: HttpRequest) -> EventForm:
    organisations = organisations_for(request.user, Permission.EVENT_MANAGE).exclude(
        kind=OrganisationKind.PLACE
    )
    orgs = sorted(organisations, key=lambda o: (o.kind != OrganisationKind.ALLIANCE, o.name))
    alliance_ids = {o.alliance_id or o.pk for o in orgs}
    networks = Organisation.objects.filter(
        kind=OrganisationKind.NETWORK, alliance_id__in=alliance_ids
    ).order_by("name")
    return EventForm(
        request.POST or None,
        organisations=[(o.pk, o.name) for o in orgs],
        roles=[(r.pk, r.name) for r in JobRole.objects.order_by("name")],
        networks=[(n.pk, n.name) for n in networks],
    )


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user, Permission.EVENT_MANAGE):
        raise PermissionDenied("You may not create education events")
    form = _event_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = Organisation.objects.get(pk=data["organisation"])
        starts_at, ends_at = form.times()
        event = attempt(
            form,
            lambda: actions.create_event(
                by=request.user,
                organisation=organisation,
                kind=data["kind"],
                title=data["title"],
                learning_outcomes=data["learning_outcomes"],
                speakers=data["speakers"],
                venue=data["venue"],
                online_link=data["online_link"],
                starts_at=starts_at,
                ends_at=ends_at,
                cpd_hours=data["cpd_hours"],
                capacity=data["capacity"],
                audience_roles=JobRole.objects.filter(pk__in=data["audience_roles"]),
                audience_networks=Organisation.objects.filter(pk__in=data["audience_networks"]),
            ),
        )
        if event is not None:
            messages.success(request, f"{event.title} is open for booking.")
            return redirect("education:event", event.pk)
    return render(request, "education/event_form.jinja", {"form": form})


@login_required
def event(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.event_or_404(request.user, pk)
    staff = own_staff_record(request.user)
    manage = queries.can_manage(request.user, found)
    booking = queries.live_booking(staff, found) if staff else None
    now = timezone.now()
    return render(
        request,
        "education/event.jinja",
        {
            "event": found,
            "booking": booking,
            "position": queries.waitlist_position(booking) if booking else None,
            "can_book": staff is not None and queries.in_audience(staff, found),
            "manage": manage,
            "attendees": list(queries.attendees(found)) if manage else [],
            "waitlist": list(queries.waitlist(found).select_related("staff__person"))
            if manage
            else [],
            "started": found.starts_at <= now,
            "capacity_form": CapacityForm(initial={"capacity": found.capacity}),
            "roles": list(found.audience_roles.all()),
            "networks": list(found.audience_networks.all()),
        },
    )


@login_required
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.event_or_404(request.user, pk)
    response = HttpResponse(calendar.invitation(found), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="event-{found.pk}.ics"'
    return response


def _after(request: HttpRequest, event: Event, work: Callable[[], Any], done: str) -> HttpResponse:
    try:
        work()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        raise Http404("No such event") from error
    else:
        messages.success(request, done)
    return redirect("education:event", event.pk)


@login_required
@require_POST
def book(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.event_or_404(request.user, pk)
    if own_staff_record(request.user) is None:
        raise PermissionDenied("Only someone with a staff record can book an event")
    try:
        booking = actions.book(by=request.user, event=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        raise Http404("No such event") from error
    else:
        if booking.status == BookingStatus.BOOKED:
            messages.success(request, "Your place is booked. A confirmation is on its way.")
        else:
            messages.success(
                request, "The event is full: you are on the waitlist and will be told of a place."
            )
    return redirect("education:event", found.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = queries.booking_or_404(request.user, pk)
    return _after(
        request,
        booking.event,
        lambda: actions.cancel(by=request.user, booking=booking),
        "The booking is cancelled.",
    )


@login_required
@require_POST
def capacity(request: HttpRequest, pk: int) -> HttpResponse:
    found = _managed(request, pk)
    form = CapacityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Places must be a whole number, at least 1.")
        return redirect("education:event", found.pk)
    return _after(
        request,
        found,
        lambda: actions.change_capacity(
            by=request.user, event=found, capacity=form.cleaned_data["capacity"]
        ),
        "The number of places is changed.",
    )


@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    found = _managed(request, pk)
    booked = list(queries.attendees(found))
    error = ""
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("attended") if v.isdigit()}
        try:
            actions.take_register(by=request.user, event=found, attended=chosen)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            came = sum(1 for b in booked if b.pk in chosen)
            messages.success(request, f"Register saved: {came} of {len(booked)} attended.")
            return redirect("education:event", found.pk)
    return render(
        request,
        "education/register.jinja",
        {
            "event": found,
            "booked": booked,
            "error": error,
            "started": found.starts_at <= timezone.now(),
        },
    )


@login_required
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    booking = queries.booking_or_404(request.user, pk)
    staff = own_staff_record(request.user)
    if staff is None or booking.staff_id != staff.pk:
        raise Http404("No such booking")
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        given = attempt(
            form,
            lambda: actions.give_feedback(
                by=request.user,
                booking=booking,
                overall=data["overall"],
                relevance=data["relevance"],
                comments=data["comments"],
            ),
        )
        if given is not None:
            messages.success(request, "Thank you for your feedback.")
            return redirect("education:cpd_log")
    return render(request, "education/feedback.jinja", {"booking": booking, "form": form})


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    booking = queries.booking_or_404(request.user, pk)
    if not booking.attended:
        raise Http404("A certificate is given for an event attended")
    response = HttpResponse(certificate_pdf(booking), content_type="application/pdf")
    name = f"cpd-certificate-{booking.certificate_number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def cpd_log(request: HttpRequest) -> HttpResponse:
    staff = own_staff_record(request.user)
    if staff is None:
        raise Http404("A CPD log belongs to someone with a staff record")
    years = queries.cpd_log(staff)
    return render(
        request,
        "education/cpd_log.jinja",
        {
            "staff": staff,
            "years": years,
            "feedback_due": {b.pk for b in queries.feedback_due(staff)},
            "training": list(staff.training.all()),
        },
    )


@login_required
def report(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user, Permission.EVENT_MANAGE):
        raise PermissionDenied("You may not read education reports")
    return render(
        request,
        "education/report.jinja",
        {"report": queries.report(queries.managed_events(request.user))},
    )


@login_required
def report_export(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user, Permission.EVENT_MANAGE):
        raise PermissionDenied("You may not read education reports")
    found = queries.report(queries.managed_events(request.user))
    response = HttpResponse(content_type="text/csv")
    name = f"education-attendance-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    csv.writer(response).writerows(queries.csv_rows(found))
    return response
