"""The Curtois reader: real instances load, and malformed lines are reported by number."""

from __future__ import annotations

from pathlib import Path

import pytest
from rostering_tiny import tiny_instance

from openpcn.rostering.engine.curtois.instance import (
    InstanceFormatError,
    parse_instance,
    read_instance,
)

GOOD = """SECTION_HORIZON
14

SECTION_SHIFTS
D,480,E
E,480,

SECTION_STAFF
A,D=14|E=3,4320,3360,5,2,2,1

SECTION_DAYS_OFF
A,0,3

SECTION_SHIFT_ON_REQUESTS
A,2,D,2

SECTION_SHIFT_OFF_REQUESTS

SECTION_COVER
0,D,1,100,1
"""


def test_reader_instance1_sizes(curtois_dir: Path) -> None:
    instance = read_instance(curtois_dir / "Instance1.txt")
    assert instance.name == "Instance1"
    assert (instance.horizon, len(instance.employees), len(instance.shifts)) == (14, 8, 1)
    assert instance.employees[0].max_shifts == (("D", 14),)


def test_reader_crlf_and_lf_agree() -> None:
    assert parse_instance(GOOD, "x") == parse_instance(GOOD.replace("\n", "\r\n"), "x")


def test_reader_fields() -> None:
    instance = parse_instance(GOOD, "x")
    assert instance.shifts[0].cannot_follow == ("E",)
    assert instance.days_off == (("A", 0), ("A", 3))
    assert instance.shift_on[0].weight == 2
    assert instance.employees[0].max_shifts == (("D", 14), ("E", 3))


@pytest.mark.parametrize(
    ("broken", "line", "words"),
    [
        (GOOD.replace("14\n", "fourteen\n", 1), 2, "horizon must be a whole number"),
        (GOOD.replace("D,480,E", "D,480,X"), 5, "unknown shift 'X'"),
        (GOOD.replace("A,D=14|E=3,4320", "A,D=14|E3,4320"), 9, "not of the form SHIFT=N"),
        (GOOD.replace("A,2,D,2", "A,2,D"), 15, "expected 4 comma-separated fields"),
        (GOOD.replace("A,0,3", "A,0,30"), 12, "outside the horizon"),
        (GOOD.replace("0,D,1,100,1", "0,D,1,100,1\n1,D,1,1OO,1"), 21, "under-cover weight"),
        (GOOD.replace("SECTION_COVER", "SECTION_COVERS"), 19, "unknown section"),
        (GOOD.replace("A,2,D,2", "Z,2,D,2"), 15, "unknown employee 'Z'"),
    ],
)
def test_reader_malformed_names_line(broken: str, line: int, words: str) -> None:
    with pytest.raises(InstanceFormatError) as caught:
        parse_instance(broken, "broken", source="broken.txt")
    assert caught.value.line == line
    assert words in str(caught.value)
    assert str(caught.value).startswith(f"broken.txt, line {line}: ")


def test_reader_missing_cover_section() -> None:
    with pytest.raises(InstanceFormatError, match="missing section SECTION_COVER"):
        parse_instance(GOOD.split("SECTION_COVER")[0], "x")


def test_tiny_instance_helper_parses() -> None:
    assert tiny_instance().horizon == 7
