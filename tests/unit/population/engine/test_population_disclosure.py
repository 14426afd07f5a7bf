"""Disclosure control: 0 stays 0, 1–7 suppressed, the rest rounded to the nearest 5."""

from __future__ import annotations

import pytest

from openpcn.population.engine.disclosure import publish_rate, redact_and_round


@pytest.mark.parametrize(
    ("count", "published"),
    [(0, 0), (1, None), (7, None), (8, 10), (12, 10), (13, 15), (15, 15), (1002, 1000)],
)
def test_redact_and_round(count: int, published: int | None) -> None:
    assert redact_and_round(count) == published


def test_negative_count_is_refused() -> None:
    with pytest.raises(ValueError):
        redact_and_round(-1)


def test_rate_from_rounded_counts() -> None:
    rate = publish_rate(12, 23)  # 10 / 25
    assert (rate.numerator, rate.denominator, rate.value) == ("10", "25", "0.4")


def test_rate_from_a_suppressed_count_is_suppressed() -> None:
    assert (publish_rate(5, 100).numerator, publish_rate(5, 100).value) == ("*", "*")
    small = publish_rate(0, 6)
    assert (small.numerator, small.denominator, small.value) == ("0", "*", "*")
    assert publish_rate(0, 0).value == ""


def test_alliance_level_is_not_controlled() -> None:
    rate = publish_rate(3, 9, controlled=False)
    assert (rate.numerator, rate.denominator) == ("3", "9")
    assert float(rate.value) == pytest.approx(1 / 3)
