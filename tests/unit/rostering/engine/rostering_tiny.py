"""Tiny Curtois instances written as text, for the rostering engine tests."""

from __future__ import annotations

from hypothesis import strategies as st

from openpcn.rostering.engine.curtois.instance import CurtoisInstance, parse_instance

HORIZON = 7
SHIFTS = ("D", "N")


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


@st.composite
def tiny_instances(draw: st.DrawFn) -> CurtoisInstance:
    shift_count = draw(st.integers(1, 2))
    shifts = SHIFTS[:shift_count]
    lengths = {s: draw(st.sampled_from([240, 480])) for s in shifts}
    follow = "N" if shift_count == 2 and draw(st.booleans()) else ""
    shift_lines = [f"D,{lengths['D']},{follow}"] + (
        [f"N,{lengths['N']},"] if shift_count == 2 else []
    )
    staff_lines, off_lines, on_lines, off_req_lines = [], [], [], []
    for employee in ("A", "B"):
        maxima = "|".join(f"{s}={draw(st.integers(0, 5))}" for s in shifts)
        min_minutes = draw(st.sampled_from([0, 480, 960]))
        staff_lines.append(
            f"{employee},{maxima},{draw(st.sampled_from([1440, 2400, 3360]))},{min_minutes},"
            f"{draw(st.integers(2, 5))},{draw(st.integers(1, 3))},{draw(st.integers(1, 2))},"
            f"{draw(st.integers(0, 1))}"
        )
        days = draw(st.lists(st.integers(0, HORIZON - 1), max_size=2, unique=True))
        if days:
            off_lines.append(",".join([employee, *map(str, days)]))
        for lines in (on_lines, off_req_lines):
            for _ in range(draw(st.integers(0, 2))):
                lines.append(
                    f"{employee},{draw(st.integers(0, HORIZON - 1))},"
                    f"{draw(st.sampled_from(shifts))},{draw(st.integers(1, 3))}"
                )
    cover_lines = [
        f"{day},{shift},{draw(st.integers(0, 2))},100,{draw(st.integers(0, 2))}"
        for day in range(HORIZON)
        for shift in shifts
    ]
    return tiny_instance(
        horizon=HORIZON,
        shifts="\n".join(shift_lines),
        staff="\n".join(staff_lines),
        days_off="\n".join(off_lines),
        shift_on="\n".join(on_lines),
        shift_off="\n".join(off_req_lines),
        cover="\n".join(cover_lines),
    )
