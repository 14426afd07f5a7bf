"""The staff side: sessions I can claim now, claiming one safely, and my bank sessions.

Each Claim button posts a key made when the page was drawn, so pressing it twice (or the browser
sending the form again) returns the booking already made rather than claiming twice.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import has_permission
from openpcn.bank import actions, pools, queries
from openpcn.bank.models import BookingStatus
from openpcn.bank.views import error_text, render_bank
from openpcn.workforce.models import StaffMember
from openpcn.workforce.queries import own_staff_record


def _me(request: HttpRequest) -> StaffMember:
    staff = own_staff_record(request.user)
    if staff is None or not has_permission(request.user, Permission.BANK_CLAIM):
        raise Http404("You cannot claim bank sessions")
    return staff


def _offers(staff: StaffMember) -> list[tuple[pools.Offer, str]]:
    """The open offers, each with a fresh claim key."""
    return [(offer, uuid.uuid4().hex) for offer in pools.open_offers_for(staff)]


def _available(
    request: HttpRequest, staff: StaffMember, refusal: str = "", status: int = 200
) -> HttpResponse:
    response = render_bank(
        request,
        "bank/available.jinja",
        {"offers": _offers(staff), "refusal": refusal},
        status=status,
    )
    # Each drawing has fresh claim keys: a page from the browser's cache would replay old ones.
    response["Cache-Control"] = "no-store"
    return response


@login_required
def available(request: HttpRequest) -> HttpResponse:
    return _available(request, _me(request))


@login_required
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _me(request)
    key = request.POST.get("idempotency_key", "")
    try:
        result = actions.claim_cover(by=request.user, request_id=pk, idempotency_key=key)
    except actions.ClaimRefused as refusal:
        return _available(request, staff, refusal.message, status=409)
    except ValidationError as error:
        return _available(request, staff, error_text(error), status=400)
    except PermissionDenied as error:
        raise Http404("You cannot claim bank sessions") from error
    if result.repeated and result.booking.status != BookingStatus.BOOKED:
        # The key of a claim since withdrawn (an old copy of the page): claim from a fresh one.
        return _available(
            request,
            staff,
            "That Claim button was used before, and you have since withdrawn from the session. "
            "If it is still available, claim it again below.",
            status=409,
        )
    if result.repeated:
        messages.success(request, "You had already claimed this session: it is still yours.")
    return redirect("bank:booked", result.booking.pk)


@login_required
def booked(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation after a claim."""
    booking = queries.get_my_booking_or_404(_me(request), pk)
    booking = queries.my_bookings(booking.staff).get(pk=booking.pk)
    return render_bank(request, "bank/booked.jinja", {"booking": booking})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    staff = _me(request)
    now = timezone.now()
    bookings = list(queries.my_bookings(staff)[:200])
    return render_bank(
        request,
        "bank/mine.jinja",
        {
            "upcoming": [b for b in bookings if b.ends_at > now],
            "past": [b for b in bookings if b.ends_at <= now],
            "now": now,
            "BookingStatus": BookingStatus,
        },
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    booking = queries.get_my_booking_or_404(_me(request), pk)
    try:
        actions.withdraw_booking(by=request.user, booking=booking)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, "You have withdrawn from the session. It is offered to colleagues again."
        )
    return redirect("bank:mine")
