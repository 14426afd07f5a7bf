"""Statistical disclosure control for aggregates displayed below alliance level.

The NHS Digital / OpenSAFELY rule: a count of 0 stays 0, counts 1–7 are suppressed ("*"), all
other counts are rounded to the nearest 5. A rate is computed from the rounded counts, and is
suppressed when either of its counts is suppressed (or its rounded denominator is 0).
"""

from __future__ import annotations

from dataclasses import dataclass

SUPPRESSED = "*"
LARGEST_SUPPRESSED = 7
ROUND_TO = 5


def redact_and_round(count: int) -> int | None:
    """None for 1–7 (suppressed); otherwise the count rounded to the nearest 5 (0 stays 0)."""
    if count < 0:
        raise ValueError("a count cannot be negative")
    if 1 <= count <= LARGEST_SUPPRESSED:
        return None
    return ROUND_TO * round(count / ROUND_TO)  # never a tie: integers are never x.5 fives


@dataclass(frozen=True)
class PublishedRate:
    numerator: str
    denominator: str
    value: str


def publish_rate(numerator: int, denominator: int, *, controlled: bool = True) -> PublishedRate:
    """Display strings for a numerator/denominator pair; `controlled=False` at alliance level."""
    if not controlled:
        value = "" if denominator == 0 else repr(numerator / denominator)
        return PublishedRate(str(numerator), str(denominator), value)
    rounded_numerator = redact_and_round(numerator)
    rounded_denominator = redact_and_round(denominator)
    if rounded_numerator is None or rounded_denominator is None:
        value = SUPPRESSED
    elif rounded_denominator == 0:
        value = ""
    else:
        value = repr(rounded_numerator / rounded_denominator)
    return PublishedRate(
        SUPPRESSED if rounded_numerator is None else str(rounded_numerator),
        SUPPRESSED if rounded_denominator is None else str(rounded_denominator),
        value,
    )
