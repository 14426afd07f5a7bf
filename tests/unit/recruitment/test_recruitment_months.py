"""Vacancy months: days over 365.25/12, to one decimal place."""

import datetime as dt
from decimal import Decimal

from openpcn.recruitment.reports import months_between


def test_a_year_empty_is_twelve_months() -> None:
    assert months_between(dt.date(2025, 4, 1), dt.date(2026, 4, 1)) == Decimal("12.0")


def test_a_post_filled_in_45_days_was_empty_for_one_and_a_half_months() -> None:
    assert months_between(dt.date(2026, 1, 1), dt.date(2026, 2, 15)) == Decimal("1.5")


def test_an_end_before_the_start_counts_nothing() -> None:
    assert months_between(dt.date(2026, 2, 1), dt.date(2026, 1, 1)) == Decimal("0.0")
