"""Which declared interests relate to which agenda items: plain Python, no Django.

A declaration relates to an item when its related organisation is one the item names, or when one
of the item's keywords appears, as a whole word or phrase and in any case, in the interest's
description. Only declarations current on the meeting's date count.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_SEPARATORS = re.compile(r"[,;\n]")


@dataclass(frozen=True)
class Interest:
    declaration_id: int
    person_id: int
    description: str
    declared_on: dt.date
    valid_until: dt.date
    related_organisation_id: int | None = None

    def current_on(self, day: dt.date) -> bool:
        return self.declared_on <= day <= self.valid_until


@dataclass(frozen=True)
class Item:
    item_id: int
    related_organisation_ids: frozenset[int] = frozenset()
    keywords: tuple[str, ...] = field(default_factory=tuple)


def parse_keywords(text: str) -> tuple[str, ...]:
    """Keywords typed as a list separated by commas, semicolons or new lines."""
    seen: dict[str, None] = {}
    for part in _SEPARATORS.split(text or ""):
        word = " ".join(part.split())
        if word and word.casefold() not in {k.casefold() for k in seen}:
            seen[word] = None
    return tuple(seen)


def _mentions(description: str, keyword: str) -> bool:
    # Whole words only, so the keyword "hub" does not match "hubris"; spaces match any whitespace.
    pattern = r"\s+".join(re.escape(part) for part in keyword.split())
    return re.search(rf"(?<!\w){pattern}(?!\w)", description, re.IGNORECASE) is not None


def relates(interest: Interest, item: Item) -> bool:
    if (
        interest.related_organisation_id is not None
        and interest.related_organisation_id in item.related_organisation_ids
    ):
        return True
    return any(_mentions(interest.description, k) for k in item.keywords if k.strip())


def conflicts(
    items: Iterable[Item], interests: Iterable[Interest], *, on: dt.date
) -> dict[int, list[Interest]]:
    """Each item's related interests current on `on`, in the order given; items with none left out."""
    current = [i for i in interests if i.current_on(on)]
    found: dict[int, list[Interest]] = {}
    for item in items:
        related = [i for i in current if relates(i, item)]
        if related:
            found[item.item_id] = related
    return found
