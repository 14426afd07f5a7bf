"""Postcodes and haversine distances for directory searches."""

from __future__ import annotations

import pytest

from openpcn.directory.geo import haversine_m, normalise_postcode


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("ls14ap", "LS1 4AP"),
        (" sw1a  1aa ", "SW1A 1AA"),
        ("ZZ9 1DL", "ZZ9 1DL"),
        ("LS1", ""),
        ("", ""),
    ],
)
def test_directory_postcode_normalised(typed: str, kept: str) -> None:
    assert normalise_postcode(typed) == kept


def test_directory_haversine_london_to_leeds() -> None:
    # Charing Cross to Leeds station: 272 km as the crow flies.
    assert haversine_m(51.5073, -0.1276, 53.7949, -1.5475) == pytest.approx(272_000, rel=0.01)


def test_directory_haversine_one_degree_of_latitude() -> None:
    assert haversine_m(53.0, -2.0, 54.0, -2.0) == pytest.approx(111_195, rel=0.001)
    assert haversine_m(53.0, -2.0, 53.0, -2.0) == 0
