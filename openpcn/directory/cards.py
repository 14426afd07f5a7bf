"""The cards this app puts on the Resources page (core.resources)."""

from __future__ import annotations

from typing import Any

from openpcn.core.cards import Card


def _in_an_alliance(user: Any) -> bool:
    from openpcn.directory.queries import alliances_for

    return bool(alliances_for(user))


def _manages(user: Any) -> bool:
    from openpcn.directory.actions import may_manage
    from openpcn.directory.queries import alliances_for

    return any(may_manage(user, alliance) for alliance in alliances_for(user))


CARDS: list[Card] = [
    Card(
        "Local services directory",
        "directory:search",
        "Find statutory, voluntary, community and faith services by need, near a postcode or "
        "practice, and print a list for the patient.",
        shown=_in_an_alliance,
    ),
    Card(
        "Manage the services directory",
        "directory:manage",
        "Import Open Referral UK feeds, edit entries and keep each one's review date.",
        shown=_manages,
    ),
]
