"""The NHS 5x5 risk matrix (NPSA, "A risk matrix for risk managers", 2008), as plain functions.

A risk's score is its consequence (1 negligible to 5 catastrophic) times its likelihood (1 rare to
5 almost certain), so 1 to 25; the score falls in one of four bands. No Django here: the model,
the pages and the tests all read the matrix from this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

LEVELS = (1, 2, 3, 4, 5)

CONSEQUENCES: dict[int, str] = {
    1: "Negligible",
    2: "Minor",
    3: "Moderate",
    4: "Major",
    5: "Catastrophic",
}
LIKELIHOODS: dict[int, str] = {
    1: "Rare",
    2: "Unlikely",
    3: "Possible",
    4: "Likely",
    5: "Almost certain",
}


class Band(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    EXTREME = "extreme"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def colour(self) -> str:
        """The NPSA colour, as the name of an NHS.UK tag colour (amber is "orange" there)."""
        return _COLOURS[self]

    @property
    def scores(self) -> tuple[int, int]:
        """The lowest and highest score in the band."""
        return _RANGES[self]


_COLOURS = {Band.LOW: "green", Band.MODERATE: "yellow", Band.HIGH: "orange", Band.EXTREME: "red"}
_RANGES = {Band.LOW: (1, 3), Band.MODERATE: (4, 6), Band.HIGH: (8, 12), Band.EXTREME: (15, 25)}


def check_level(value: int, what: str = "level") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in LEVELS:
        raise ValueError(f"The {what} must be a whole number from 1 to 5, not {value!r}")
    return value


def score(consequence: int, likelihood: int) -> int:
    return check_level(consequence, "consequence") * check_level(likelihood, "likelihood")


def band_for_score(value: int) -> Band:
    # No product of two levels is 7, but a score between bands still belongs to the one below.
    if not 1 <= value <= 25:
        raise ValueError(f"A risk score is from 1 to 25, not {value!r}")
    if value <= 3:
        return Band.LOW
    if value <= 6:
        return Band.MODERATE
    if value <= 12:
        return Band.HIGH
    return Band.EXTREME


def band(consequence: int, likelihood: int) -> Band:
    return band_for_score(score(consequence, likelihood))


@dataclass(frozen=True)
class Cell:
    consequence: int
    likelihood: int
    count: int = 0

    @property
    def score(self) -> int:
        return score(self.consequence, self.likelihood)

    @property
    def band(self) -> Band:
        return band_for_score(self.score)


def heat_map(counts: dict[tuple[int, int], int]) -> list[list[Cell]]:
    """The matrix as a row per consequence (catastrophic first), a cell per likelihood (rare first).

    `counts` maps (consequence, likelihood) to a number of risks; missing cells count 0.
    """
    return [
        [Cell(c, likelihood, counts.get((c, likelihood), 0)) for likelihood in LEVELS]
        for c in reversed(LEVELS)
    ]
