"""Patient identifiers an extract may carry: the NHS number and its Modulus 11 check digit.

An NHS number is 10 digits; the 10th is a check digit. Multiply the first nine by 10, 9, … 2, add
the products and take the remainder on division by 11; the check digit is 11 minus that
remainder, where 11 becomes 0 and 10 means the number is not valid (no NHS number is issued with
it). `is_valid_nhs_number` checks one value; `valid_nhs_numbers` checks an Arrow column at once
(a national-scale extract has millions). Neither ever puts a value in an error or a log.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
NHS_NUMBER_PROBLEM = "not a valid NHS number (check digit)"
_TEN_DIGITS = re.compile(r"[0-9]{10}")
_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def check_digit(first_nine: str) -> int | None:
    """The check digit for the first nine digits, or None when no valid number starts so."""
    if len(first_nine) != 9 or not first_nine.isascii() or not first_nine.isdigit():
        raise ValueError("expected nine digits")
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, _WEIGHTS, strict=True))
    digit = 11 - total % 11
    if digit == 11:
        return 0
    return None if digit == 10 else digit


def is_valid_nhs_number(value: str) -> bool:
    """True for 10 digits (nothing else, no spaces) whose last is the right check digit."""
    if not _TEN_DIGITS.fullmatch(value):
        return False
    return check_digit(value[:9]) == int(value[9])


def valid_nhs_numbers(values: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray | pa.Array:
    """For each string: whether it is a valid NHS number (null stays null)."""
    values = values.cast(pa.string())
    well_formed = pc.match_substring_regex(values, r"^[0-9]{10}$")
    # Malformed values become ten zeros so the arithmetic below never fails; they stay invalid.
    digits_only = pc.if_else(pc.fill_null(well_formed, False), values, "0000000000")
    digit = [pc.cast(pc.utf8_slice_codeunits(digits_only, i, i + 1), pa.int64()) for i in range(10)]
    total = pc.multiply(digit[0], _WEIGHTS[0])
    for position, weight in enumerate(_WEIGHTS[1:], 1):
        total = pc.add(total, pc.multiply(digit[position], weight))
    remainder = pc.subtract(total, pc.multiply(pc.divide(total, 11), 11))  # integer division
    expected = pc.subtract(11, remainder)
    expected = pc.if_else(pc.equal(expected, 11), 0, expected)  # 10 never equals a digit
    return pc.and_(well_formed, pc.equal(expected, digit[9]))
