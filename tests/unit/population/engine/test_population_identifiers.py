"""The NHS number Modulus 11 check digit (identifiers.py), one value and a column at a time."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openpcn.population.engine.identifiers import (
    check_digit,
    is_valid_nhs_number,
    valid_nhs_numbers,
)

VALID = ["9434765919", "9434765870", "4010232137", "9990000018", "0000000000"]
INVALID = [
    "9434765918",  # wrong check digit
    "9434765871",
    "1234567890",  # the check digit would be 10: no such number
    "943476591",  # nine digits
    "94347659190",  # eleven
    "943 476 5919",  # spaces are not stripped here
    "943-476-5919",
    "94347659l9",
    "",
    "٩٤٣٤٧٦٥٩١٩",  # Arabic-Indic digits are not ASCII digits
]


@pytest.mark.parametrize("number", VALID)
def test_known_valid_numbers_pass(number: str) -> None:
    assert is_valid_nhs_number(number)


@pytest.mark.parametrize("number", INVALID)
def test_malformed_or_wrong_check_digit_numbers_fail(number: str) -> None:
    assert not is_valid_nhs_number(number)


def test_check_digit() -> None:
    assert check_digit("943476591") == 9
    assert check_digit("943476587") == 0
    assert check_digit("123456789") is None  # remainder 1: 11 - 1 = 10, never issued
    with pytest.raises(ValueError, match="nine digits"):
        check_digit("12345")


def test_a_column_is_checked_at_once_keeping_nulls() -> None:
    values = [*VALID, None, *INVALID]
    chunked = pa.chunked_array([values[:4], values[4:]], pa.string())
    expected = [True] * len(VALID) + [None] + [False] * len(INVALID)
    assert valid_nhs_numbers(chunked).to_pylist() == expected
    assert valid_nhs_numbers(pa.array(values, pa.string())).to_pylist() == expected


@given(st.lists(st.text("0123456789", min_size=10, max_size=10), max_size=30))
def test_the_column_check_agrees_with_the_single_check(numbers: list[str]) -> None:
    column = valid_nhs_numbers(pa.array(numbers, pa.string())).to_pylist()
    assert column == [is_valid_nhs_number(number) for number in numbers]
