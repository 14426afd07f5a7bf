"""Development test data: the Maturity Matrix areas seeded, and helpers to rate every area."""

from __future__ import annotations

import pytest

from openpcn.development.reference import AREAS, ensure_reference_data


@pytest.fixture(autouse=True)
def _maturity_matrix(db) -> None:  # type: ignore[no-untyped-def]
    ensure_reference_data()  # a test that committed for real may have emptied the tables


def _every_area(level: int, evidence: str = "") -> dict[str, tuple[int, str]]:
    return {key: (level, evidence or f"Evidence for {key}") for key, _name in AREAS}


@pytest.fixture
def every_area():  # type: ignore[no-untyped-def]
    """`every_area(2)`: ratings for a self-assessment giving every area that step."""
    return _every_area
