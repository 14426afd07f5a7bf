"""Disclosure control for survey results: pure functions, no Django.

Below MIN_RESPONDENTS a group's results are withheld; otherwise counts are rounded to the nearest
ROUND_TO, percentages come from the rounded counts, and a mean is shown only with enough respondents.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MIN_RESPONDENTS = 5
ROUND_TO = 5
WITHHELD = "fewer than 5 responses"


def shown(respondents: int) -> bool:
    return respondents >= MIN_RESPONDENTS


def round_count(count: int) -> int:
    """Round to the nearest 5, halves up (so 2 -> 0, 3 -> 5, 12 -> 10, 13 -> 15)."""
    if count < 0:
        raise ValueError("A count cannot be negative")
    return ((count + ROUND_TO // 2) // ROUND_TO) * ROUND_TO


@dataclass(frozen=True)
class Tally:
    label: str
    count: int
    percent: int | None


def tallies(counts: Sequence[tuple[str, int]]) -> list[Tally]:
    """Rounded counts and whole-number percentages of the rounded total."""
    rounded = [(label, round_count(count)) for label, count in counts]
    total = sum(count for _, count in rounded)
    return [
        Tally(label, count, round(100 * count / total) if total else None)
        for label, count in rounded
    ]


def mean(values: Sequence[int], respondents: int) -> float | None:
    """The mean to one decimal place, or None when too few answered."""
    if not shown(respondents) or len(values) < MIN_RESPONDENTS:
        return None
    return round(sum(values) / len(values), 1)


def free_text(
    texts: Iterable[str], respondents: int, *, rng: random.Random | None = None
) -> list[str]:
    """Non-empty comments in random order, or none when too few responded at this level."""
    if not shown(respondents):
        return []
    kept = [text.strip() for text in texts if text.strip()]
    (rng or random.SystemRandom()).shuffle(kept)
    return kept
