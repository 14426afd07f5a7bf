"""Tiny Curtois instances written as text, for the rostering engine tests."""

from __future__ import annotations

from openpcn.rostering.engine.curtois.instance import CurtoisInstance, parse_instance


def tiny_instance(
    *,
    horizon: int = 7,
    shifts: str = "D,480,",
    staff: str = "A,D=7,3360,0,5,1,1,1",
    days_off: str = "",
    shift_on: str = "",
    shift_off: str = "",
    cover: str = "0,D,1,100,1",
) -> CurtoisInstance:
    text = "\n".join(
        [
            "# tiny instance for tests",
            "SECTION_HORIZON",
            str(horizon),
            "",
            "SECTION_SHIFTS",
            shifts,
            "",
            "SECTION_STAFF",
            staff,
            "",
            "SECTION_DAYS_OFF",
            days_off,
            "",
            "SECTION_SHIFT_ON_REQUESTS",
            shift_on,
            "",
            "SECTION_SHIFT_OFF_REQUESTS",
            shift_off,
            "",
            "SECTION_COVER",
            cover,
            "",
        ]
    )
    return parse_instance(text, name="tiny")
