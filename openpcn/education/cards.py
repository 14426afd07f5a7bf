"""The cards this app puts on the Resources page (core.resources)."""

from __future__ import annotations

from typing import Any

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import has_permission
from openpcn.core.cards import Card
from openpcn.workforce.queries import own_staff_record


def _is_staff(user: Any) -> bool:
    return own_staff_record(user) is not None


CARDS: list[Card] = [
    Card(
        "Education events",
        "education:events",
        "Protected learning time, courses, webinars and clinical meetings: book a place, "
        "or run an event and take its register.",
        lambda user: _is_staff(user) or has_permission(user, Permission.EVENT_MANAGE),
    ),
    Card(
        "My CPD log",
        "education:cpd_log",
        "The events you attended with their CPD hours and certificates, by appraisal year.",
        _is_staff,
    ),
]
