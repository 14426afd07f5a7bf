"""The versioned JSON API for offers and claims (token authentication; OpenAPI at /api/v1/openapi.json).

Used by the load test and by anyone integrating a mobile app. Every write calls the same actions as
the web pages; errors are clear 4xx answers that change nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import BaseModel

from openpcn.accounts.models import User
from openpcn.accounts.scope import remember_on
from openpcn.bank import actions, pools
from openpcn.bank.losing import TOKEN_USER
from openpcn.bank.middleware import filled_checked
from openpcn.bank.models import Booking
from openpcn.core.tokens import hash_token
from openpcn.workforce.queries import own_staff_record

REFUSAL_STATUS = {
    actions.ALREADY_FILLED: 409,
    "double_booked": 409,
    "unavailable": 409,
    "rest": 409,
    "closed": 409,
    "not_eligible": 403,
    "not_yet": 403,
    "not_found": 404,
}


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # Hand-written: every claim pays for this lookup, and the ORM's query building costs more.
        found = list(
            User.objects.raw(f"SELECT u.* {TOKEN_USER}", [hash_token(token), timezone.now()])
        )
        if not found:
            return None
        # This user object lives for this request only, so its scope can be remembered on it.
        remember_on(found[0])
        request.user = found[0]
        return found[0]


api = NinjaAPI(
    title="OpenPCN staff bank API",
    version="1",
    description="Offers of sessions that need cover, and claims on them.",
    urls_namespace="api-v1",
    auth=BearerToken(),
)


class Problem(Schema):
    code: str
    detail: str


class OfferOut(BaseModel):  # plain pydantic: built here, not read from models
    id: int
    practice: str
    site: str
    skill: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    rate: Decimal
    notes: str


class ClaimIn(Schema):
    idempotency_key: str


class BookingOut(BaseModel):  # plain pydantic: built here, not read from models
    id: int
    cover_request: int
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    site: str
    repeated: bool = False


def _offer(offer: pools.Offer) -> OfferOut:
    return OfferOut(
        id=offer.pk,
        practice=offer.practice_name,
        site=offer.site_name,
        skill=offer.skill_name,
        starts_at=offer.starts_at,
        ends_at=offer.ends_at,
        rate=offer.rate,
        notes=offer.notes,
    )


def _booking(booking: Booking, repeated: bool = False) -> BookingOut:
    return BookingOut(
        id=booking.pk,
        cover_request=booking.cover_request_id,
        status=booking.status,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        site=booking.cover_request.site.name,
        repeated=repeated,
    )


def _staff(request: HttpRequest) -> Any:
    staff = own_staff_record(request.user)
    if staff is None:
        raise HttpError(403, "This account has no staff record")
    return staff


@api.get("/offers", response=list[OfferOut], summary="Sessions I can claim now")
def list_offers(request: HttpRequest) -> list[OfferOut]:
    return [_offer(r) for r in pools.open_offers_for(_staff(request))]


@api.post(
    "/offers/{offer_id}/claim",
    response={
        201: BookingOut,
        200: BookingOut,
        403: Problem,
        404: Problem,
        409: Problem,
        422: Problem,
    },
    summary="Claim a session (idempotent per key)",
)
def claim(request: HttpRequest, offer_id: int, payload: ClaimIn) -> Status[Any]:
    try:
        result = actions.claim_cover(
            by=request.user,
            request_id=offer_id,
            idempotency_key=payload.idempotency_key,
            filled_checked=filled_checked(request, offer_id),
        )
    except actions.ClaimRefused as refusal:
        return Status(
            REFUSAL_STATUS.get(refusal.code, 409),
            Problem(code=refusal.code, detail=refusal.message),
        )
    except PermissionDenied as error:
        return Status(403, Problem(code="forbidden", detail=str(error)))
    except ValidationError as error:
        return Status(422, Problem(code="invalid", detail=" ".join(error.messages)))
    return Status(200 if result.repeated else 201, _booking(result.booking, result.repeated))


@api.get("/bookings", response=list[BookingOut], summary="My bookings")
def list_bookings(request: HttpRequest) -> list[BookingOut]:
    staff = _staff(request)
    return [
        _booking(b)
        for b in Booking.objects.filter(staff=staff).select_related("cover_request__site")
    ]


@api.post(
    "/bookings/{booking_id}/withdraw",
    response={200: BookingOut, 404: Problem, 409: Problem},
    summary="Withdraw from a future booking",
)
def withdraw(request: HttpRequest, booking_id: int) -> Status[Any]:
    staff = _staff(request)
    booking = (
        Booking.objects.filter(pk=booking_id, staff=staff)
        .select_related("cover_request__site", "staff__person")
        .first()
    )
    if booking is None:
        return Status(404, Problem(code="not_found", detail="No such booking of yours"))
    try:
        booking = actions.withdraw_booking(by=request.user, booking=booking)
    except ValidationError as error:
        return Status(409, Problem(code="not_withdrawable", detail=" ".join(error.messages)))
    return Status(200, _booking(booking))
