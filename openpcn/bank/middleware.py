"""A fast lane for the commonest answer under load: "already filled" to an API claim.

When a popular session is offered, nearly every claim on it loses. This middleware, placed first
after SecurityMiddleware, answers those claims with one query (losing.py) before sessions, the
other middleware, URL resolution and the API framework run; every other claim, and every claim
it cannot read, goes on to the API as before (docs/adr/0015).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from openpcn.bank import losing
from openpcn.bank.actions import ALREADY_FILLED, FILLED_MESSAGE
from openpcn.core.tokens import hash_token

CLAIM_PATH = re.compile(r"^/api/v1/offers/(\d+)/claim$")
CHECKED = "openpcn_bank_filled_checked"  # on the request: the offer this lane found not filled


def filled_checked(request: HttpRequest, offer_id: int) -> bool:
    """This middleware found the offer not filled by someone else, for this request's claim."""
    return getattr(request, CHECKED, None) == offer_id


class FilledSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = CLAIM_PATH.match(request.path_info) if request.method == "POST" else None
        if match:
            if self._filled_for_claimer(request, int(match[1])):
                answer = JsonResponse(
                    {"code": ALREADY_FILLED, "detail": FILLED_MESSAGE}, status=409
                )
                answer["Content-Length"] = str(
                    len(answer.content)
                )  # CommonMiddleware is not reached
                return answer
            # The API need not ask again (claim_cover's filled_checked): it was asked just now.
            setattr(request, CHECKED, int(match[1]))
        return self.get_response(request)

    @staticmethod
    def _filled_for_claimer(request: HttpRequest, offer_id: int) -> bool:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return False
        try:
            key = json.loads(request.body)["idempotency_key"].strip()
        except (ValueError, TypeError, KeyError, AttributeError):
            return False  # the API gives the clear 4xx for a malformed claim
        if not 8 <= len(key) <= 64:
            return False
        return losing.filled_for_token(hash_token(token.strip()), offer_id, key, timezone.now())
