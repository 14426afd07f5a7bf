"""Posting amounts are exact to the penny: Decimals, whole numbers or numeric strings, never floats."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from openpcn.ledger.actions import LARGEST, to_amount


def test_whole_pounds_and_strings_are_exact_amounts():
    assert to_amount(5) == Decimal("5.00")
    assert to_amount("-12.3") == Decimal("-12.30")
    assert to_amount(Decimal("1.50")) == Decimal("1.50")


@pytest.mark.parametrize("bad", [0, "0.00", 1.5, True, "1.001", "abc", "Infinity", "NaN", "1e12"])
def test_bad_amounts_are_refused(bad):
    with pytest.raises(ValidationError):
        to_amount(bad)


@given(pence=st.integers(-(10**14) + 1, 10**14 - 1).filter(bool))
def test_any_whole_number_of_pence_in_range_is_accepted_unchanged(pence):
    amount = Decimal(pence) / 100
    assert to_amount(amount) == amount
    assert abs(amount) <= LARGEST


@given(tenths_of_pence=st.integers(-(10**6), 10**6).filter(lambda t: t % 10))
def test_fractions_of_a_penny_are_refused(tenths_of_pence):
    with pytest.raises(ValidationError, match="more than two decimal places"):
        to_amount(Decimal(tenths_of_pence) / 1000)
