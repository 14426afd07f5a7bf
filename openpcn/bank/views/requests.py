"""The practice side: request cover, follow each request, cancel it, and decide after the session."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids, has_permission
from openpcn.bank import actions, pools, queries
from openpcn.bank.forms import CancelForm, CoverRequestForm, TimesheetForm
from openpcn.bank.models import BookingStatus, CoverRequest, CoverStatus
from openpcn.bank.views import error_text, render_bank


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    practices = queries.requesting_practices(request.user)
    approves = bool(covered_organisation_ids(request.user, Permission.TIMESHEET_APPROVE))
    if not practices and not approves:
        raise Http404("You request no cover")
    past = request.GET.get("show") == "past"
    return render_bank(
        request,
        "bank/request_list.jinja",
        {
            "rows": queries.practice_requests(request.user, upcoming=not past),
            "past": past,
            "can_request": bool(practices),
            "to_approve": queries.timesheets_to_approve(request.user) if approves else [],
            "approves": approves,
            "now": timezone.now(),
        },
    )


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    practices = queries.requesting_practices(request.user)
    if not practices:
        raise Http404("You cannot request cover")
    sites = {p.pk: list(queries.sites_for(p)) for p in practices}
    form = CoverRequestForm(request.POST or None, practices=practices, sites=sites)
    if request.method == "POST" and form.is_valid():
        try:
            cover = actions.post_cover_request(by=request.user, **form.action_arguments())
        except ValidationError as error:
            form.add_error(None, error_text(error))
        except PermissionDenied as error:
            raise Http404("No such practice") from error
        else:
            messages.success(
                request,
                f"Cover requested: {cover.skill.name} at {cover.site.name}, "
                f"{timezone.localtime(cover.starts_at):%A %d %B %H:%M}. "
                "It is offered to your own staff first.",
            )
            return redirect("bank:request", cover.pk)
    return render_bank(request, "bank/request_new.jinja", {"form": form})


def _detail_context(request: HttpRequest, cover: CoverRequest) -> dict[str, object]:
    row = queries.request_row(cover)
    booking = row.booking
    now = timezone.now()
    approves = has_permission(
        request.user, Permission.TIMESHEET_APPROVE, organisation=cover.practice
    )
    decidable = (
        approves
        and booking is not None
        and booking.status == BookingStatus.BOOKED
        and cover.starts_at <= now
    )
    local_start = timezone.localtime(booking.starts_at if booking else cover.starts_at)
    local_end = timezone.localtime(booking.ends_at if booking else cover.ends_at)
    return {
        "row": row,
        "cover": cover,
        "booking": booking,
        "timesheet": row.timesheet,
        "cancellable": cover.status != CoverStatus.CANCELLED and cover.starts_at > now,
        "decidable": decidable,
        "cancel_form": CancelForm(),
        "timesheet_form": TimesheetForm(
            initial={"started": f"{local_start:%H:%M}", "ended": f"{local_end:%H:%M}"},
            session_date=local_start.date(),
        ),
        "late_hours": pools.policy_for(cover.practice.alliance).late_cancellation_hours,
        "CoverStatus": CoverStatus,
        "BookingStatus": BookingStatus,
    }


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cover = queries.get_request_or_404(request.user, pk)
    return render_bank(request, "bank/request_detail.jinja", _detail_context(request, cover))


@login_required
@require_POST
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    cover = queries.get_request_or_404(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            cover = actions.cancel_cover_request(
                by=request.user, request=cover, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            if cover.late_cancellation:
                messages.success(
                    request,
                    "Request cancelled. This is a late cancellation: the booked person was due "
                    "to work it, and it is recorded as late.",
                )
            else:
                messages.success(request, "Request cancelled.")
            return redirect("bank:request", cover.pk)
    context = _detail_context(request, cover)
    context["cancel_form"] = form
    return render_bank(request, "bank/request_detail.jinja", context, status=400)


@login_required
@require_POST
def timesheet_approve(request: HttpRequest, pk: int) -> HttpResponse:
    cover = queries.get_request_or_404(request.user, pk)
    booking = queries.get_booking_to_decide_or_404(request.user, cover)
    form = TimesheetForm(request.POST, session_date=timezone.localtime(booking.starts_at).date())
    if form.is_valid():
        started, ended = form.times()
        try:
            timesheet = actions.approve_timesheet(
                by=request.user, booking=booking, started_at=started, ended_at=ended
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request,
                f"Timesheet approved: {booking.staff.person.full_name} is paid "
                f"£{timesheet.amount:,.2f}.",
            )
            return redirect("bank:request", cover.pk)
    context = _detail_context(request, cover)
    context["timesheet_form"] = form
    return render_bank(request, "bank/request_detail.jinja", context, status=400)


@login_required
@require_POST
def no_show(request: HttpRequest, pk: int) -> HttpResponse:
    cover = queries.get_request_or_404(request.user, pk)
    booking = queries.get_booking_to_decide_or_404(request.user, cover)
    try:
        actions.record_no_show(by=request.user, booking=booking)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, f"Recorded: {booking.staff.person.full_name} did not attend. Nothing is paid."
        )
    return redirect("bank:request", cover.pk)
