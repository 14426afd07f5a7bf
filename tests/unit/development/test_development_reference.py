"""The Maturity Matrix reference data: five areas in the matrix's order, four steps from Foundation."""

from __future__ import annotations

from openpcn.development import reference


def test_five_areas_and_four_steps_with_a_source_note() -> None:
    assert [name for _key, name in reference.AREAS] == [
        "Leadership, planning and partnerships",
        "Use of data and population health management",
        "Integrating care",
        "Managing resources",
        "Working with people and communities",
    ]
    assert [label for _level, label in reference.STEPS] == [
        "Foundation",
        "Step 1",
        "Step 2",
        "Step 3",
    ]
    assert "verify" in reference.SOURCE_NOTE
