"""Variation and inequality statistics for indicator values.

- Percentiles and deciles follow the OpenPrescribing contract: PERCENT_RANK over non-null values
  (×100; nulls get none) and PERCENTILE_CONT at 0.1 … 0.9, every organisation weighted equally.
- Funnel limits for proportions: the Wilson score interval around the pooled proportion at 95%
  and 99.8% (Spiegelhalter 2005; PHEindicatormethods).
- SPC: XmR chart with the NHS "Making Data Count" rules; ties between rules resolved
  trend > shift > two-of-three > single point.
- Inequality: IMD quintiles from deciles, and the slope index of inequality (weighted least
  squares of group values on the midpoint of each group's cumulative population share).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Z_95 = 1.959963984540054  # two-sided 95%: p = 0.025 each side
Z_99_8 = 3.090232306167813  # two-sided 99.8%: p = 0.001 each side
XMR_LIMIT = 2.66  # 3 sigma for individuals: 3 / d2, d2 = 1.128
RUN_LENGTH = 7  # points in a shift or a trend


def percent_ranks(values: Sequence[float | None]) -> list[float | None]:
    """SQL PERCENT_RANK() ×100 over the non-null values: (rank − 1) / (n − 1), ties share a rank."""
    present = sorted(value for value in values if value is not None)
    if not present:
        return [None for _ in values]
    ranks: list[float | None] = []
    for value in values:
        if value is None:
            ranks.append(None)
        elif len(present) == 1:
            ranks.append(0.0)
        else:
            below = _count_below(present, value)
            ranks.append(100.0 * below / (len(present) - 1))
    return ranks


def _count_below(ordered: list[float], value: float) -> int:
    low, high = 0, len(ordered)
    while low < high:
        middle = (low + high) // 2
        if ordered[middle] < value:
            low = middle + 1
        else:
            high = middle
    return low


def percentile_cont(values: Sequence[float | None], fraction: float) -> float | None:
    """SQL PERCENTILE_CONT: linear interpolation between the closest ranks."""
    present = sorted(value for value in values if value is not None)
    if not present:
        return None
    position = fraction * (len(present) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(present) - 1)
    return present[lower] + (position - lower) * (present[upper] - present[lower])


def deciles(values: Sequence[float | None]) -> dict[int, float | None]:
    """The 10th … 90th centiles, keyed 10, 20, … 90."""
    return {centile: percentile_cont(values, centile / 100) for centile in range(10, 100, 10)}


@dataclass(frozen=True)
class FunnelLimits:
    lower_99_8: float
    lower_95: float
    upper_95: float
    upper_99_8: float


def wilson_limits(proportion: float, denominator: int, z: float) -> tuple[float, float]:
    """Wilson score limits for a proportion `proportion` observed on `denominator` units."""
    n, p = denominator, proportion
    centre = 2 * n * p + z * z
    spread = z * math.sqrt(z * z + 4 * n * p * (1 - p))
    scale = 2 * (n + z * z)
    return (centre - spread) / scale, (centre + spread) / scale


def funnel_limits(target: float, denominator: int) -> FunnelLimits | None:
    if denominator <= 0:
        return None
    low_95, high_95 = wilson_limits(target, denominator, Z_95)
    low_998, high_998 = wilson_limits(target, denominator, Z_99_8)
    return FunnelLimits(low_998, low_95, high_95, high_998)


def funnel_flag(value: float | None, limits: FunnelLimits | None) -> str:
    """'High (0.001)', 'High (0.025)', 'Low (0.025)', 'Low (0.001)' or '' (within limits)."""
    if value is None or limits is None:
        return ""
    if value > limits.upper_99_8:
        return "High (0.001)"
    if value > limits.upper_95:
        return "High (0.025)"
    if value < limits.lower_99_8:
        return "Low (0.001)"
    if value < limits.lower_95:
        return "Low (0.025)"
    return ""


PointType = Literal[
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neither",
]


@dataclass(frozen=True)
class XmRChart:
    mean: float
    mean_moving_range: float
    lower_limit: float
    upper_limit: float
    point_types: tuple[PointType, ...]
    rules: tuple[str, ...]  # the rule behind each point's type ('' for common cause)


def xmr_chart(values: Sequence[float], low_is_good: bool | None) -> XmRChart | None:
    """An XmR chart with Making Data Count rules; None with fewer than two points."""
    if len(values) < 2:
        return None
    mean = sum(values) / len(values)
    moving_ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    mean_mr = sum(moving_ranges) / len(moving_ranges)
    lower, upper = mean - XMR_LIMIT * mean_mr, mean + XMR_LIMIT * mean_mr
    inner_upper = mean + (2 / 3) * XMR_LIMIT * mean_mr
    inner_lower = mean - (2 / 3) * XMR_LIMIT * mean_mr
    count = len(values)
    # Each rule marks points with a side: +1 high, −1 low. Later rules in this list win.
    rule_sides: list[tuple[str, list[int]]] = []

    single = [1 if v > upper else -1 if v < lower else 0 for v in values]
    rule_sides.append(("single point", single))

    outer = [1 if v > inner_upper else -1 if v < inner_lower else 0 for v in values]
    two_of_three = [0] * count
    for start in range(count - 2):
        window = outer[start : start + 3]
        for side in (1, -1):
            if window.count(side) >= 2:
                for offset, point_side in enumerate(window):
                    if point_side == side:
                        two_of_three[start + offset] = side
    rule_sides.append(("two of three", two_of_three))

    sides = [1 if v > mean else -1 if v < mean else 0 for v in values]
    rule_sides.append(("shift", _runs(sides, RUN_LENGTH)))

    steps = [0] + [
        1 if b > a else -1 if b < a else 0 for a, b in zip(values, values[1:], strict=False)
    ]
    trend = [0] * count
    # A trend of 7 points is 6 consecutive steps in one direction; its first point counts too.
    for index, side in enumerate(_runs(steps[1:], RUN_LENGTH - 1)):
        if side:
            trend[index] = trend[index + 1] = side
    rule_sides.append(("trend", trend))

    point_types: list[PointType] = []
    rules: list[str] = []
    for index in range(count):
        chosen = ("", 0)
        for rule, marks in rule_sides:
            if marks[index]:
                chosen = (rule, marks[index])
        rules.append(chosen[0])
        point_types.append(_point_type(chosen[1], low_is_good))
    return XmRChart(mean, mean_mr, lower, upper, tuple(point_types), tuple(rules))


def _runs(sides: list[int], length: int) -> list[int]:
    """Mark every element of a run of at least `length` equal non-zero sides with that side."""
    marks = [0] * len(sides)
    start = 0
    for index in range(len(sides) + 1):
        if index == len(sides) or sides[index] != sides[start]:
            if sides[start] != 0 and index - start >= length:
                marks[start:index] = [sides[start]] * (index - start)
            start = index
    return marks


def _point_type(side: int, low_is_good: bool | None) -> PointType:
    if side == 0:
        return "common_cause"
    if low_is_good is None:
        return "special_cause_neither"
    improving = (side < 0) if low_is_good else (side > 0)
    return "special_cause_improvement" if improving else "special_cause_concern"


def imd_quintile(decile: int | None) -> str:
    """Decile 1–2 → '1' (most deprived) … 9–10 → '5'; no match → 'unknown'."""
    if decile is None or not 1 <= decile <= 10:
        return "unknown"
    return str((decile + 1) // 2)


@dataclass(frozen=True)
class SlopeIndex:
    sii: float  # fitted value at rank 1 (most advantaged) minus at rank 0 (least advantaged)
    rii: float | None  # (Y0 + SII) / Y0, None when the fitted Y0 is 0


def slope_index_of_inequality(groups: Sequence[tuple[float, float]]) -> SlopeIndex | None:
    """SII from (value, population) pairs ordered from least to most advantaged.

    Each group's rank is the midpoint of its cumulative population share; the line is fitted by
    least squares weighted by population share.
    """
    total = sum(population for _, population in groups)
    if len(groups) < 2 or total <= 0 or any(population <= 0 for _, population in groups):
        return None
    shares = [population / total for _, population in groups]
    ranks, cumulative = [], 0.0
    for share in shares:
        ranks.append(cumulative + share / 2)
        cumulative += share
    values = [value for value, _ in groups]
    mean_rank = sum(a * b for a, b in zip(shares, ranks, strict=True))
    mean_value = sum(a * y for a, y in zip(shares, values, strict=True))
    covariance = sum(
        a * (b - mean_rank) * (y - mean_value)
        for a, b, y in zip(shares, ranks, values, strict=True)
    )
    variance = sum(a * (b - mean_rank) ** 2 for a, b in zip(shares, ranks, strict=True))
    slope = covariance / variance
    intercept = mean_value - slope * mean_rank
    rii = None if intercept == 0 else (intercept + slope) / intercept
    return SlopeIndex(sii=slope, rii=rii)
