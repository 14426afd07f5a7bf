"""Reader for the Curtois NRP text format (schedulingbenchmarks.org/nrp, Instance1–24).

`read_instance(path)` returns a frozen `CurtoisInstance`. Malformed input raises
`InstanceFormatError` naming the file, the line and what is wrong with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)


class InstanceFormatError(ValueError):
    """A line of an instance file that cannot be read."""

    def __init__(self, source: str, line: int, problem: str) -> None:
        super().__init__(f"{source}, line {line}: {problem}")
        self.source = source
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class CurtoisShift:
    id: str
    minutes: int
    cannot_follow: tuple[str, ...]


@dataclass(frozen=True)
class CurtoisEmployee:
    id: str
    max_shifts: tuple[tuple[str, int], ...]
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_consecutive_off: int
    max_weekends: int


@dataclass(frozen=True)
class CurtoisRequest:
    employee: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class CurtoisCover:
    day: int
    shift: str
    requirement: int
    weight_under: int
    weight_over: int


@dataclass(frozen=True)
class CurtoisInstance:
    name: str
    horizon: int
    shifts: tuple[CurtoisShift, ...]
    employees: tuple[CurtoisEmployee, ...]
    days_off: tuple[tuple[str, int], ...]
    shift_on: tuple[CurtoisRequest, ...]
    shift_off: tuple[CurtoisRequest, ...]
    cover: tuple[CurtoisCover, ...]


class _Reader:
    """Turns (line number, text) records into typed values, raising errors that point at the line."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.last_line = 0

    def fail(self, line: int, problem: str) -> InstanceFormatError:
        return InstanceFormatError(self.source, line, problem)

    def fields(self, line: int, text: str, count: int, what: str) -> list[str]:
        parts = [part.strip() for part in text.split(",")]
        if len(parts) != count:
            raise self.fail(
                line,
                f"expected {count} comma-separated fields ({what}), got {len(parts)} in {text!r}",
            )
        return parts

    def integer(self, line: int, value: str, what: str, minimum: int = 0) -> int:
        try:
            number = int(value)
        except ValueError:
            raise self.fail(line, f"{what} must be a whole number, got {value!r}") from None
        if number < minimum:
            raise self.fail(line, f"{what} must be at least {minimum}, got {number}")
        return number


def _sections(text: str, reader: _Reader) -> dict[str, list[tuple[int, str]]]:
    sections: dict[str, list[tuple[int, str]]] = {}
    current: str | None = None
    number = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            if line not in SECTIONS:
                raise reader.fail(number, f"unknown section {line!r}")
            if line in sections:
                raise reader.fail(number, f"section {line} appears twice")
            current = line
            sections[current] = []
            continue
        if current is None:
            raise reader.fail(number, f"data before the first SECTION_ header: {line!r}")
        sections[current].append((number, line))
    reader.last_line = number
    return sections


def _required(
    sections: dict[str, list[tuple[int, str]]], name: str, reader: _Reader
) -> list[tuple[int, str]]:
    if name not in sections:
        raise reader.fail(reader.last_line, f"missing section {name} (end of file)")
    return sections[name]


def parse_instance(text: str, name: str, source: str | None = None) -> CurtoisInstance:
    reader = _Reader(source or name)
    sections = _sections(text, reader)

    horizon_lines = _required(sections, "SECTION_HORIZON", reader)
    if len(horizon_lines) != 1:
        line = horizon_lines[1][0] if len(horizon_lines) > 1 else 0
        raise reader.fail(line, "SECTION_HORIZON must hold exactly one number")
    line, value = horizon_lines[0]
    horizon = reader.integer(line, value, "the horizon", minimum=1)

    shifts: list[CurtoisShift] = []
    for line, text_line in _required(sections, "SECTION_SHIFTS", reader):
        shift_id, minutes, follow = reader.fields(
            line, text_line, 3, "ShiftID, minutes, cannot follow"
        )
        if not shift_id:
            raise reader.fail(line, "empty shift ID")
        if any(s.id == shift_id for s in shifts):
            raise reader.fail(line, f"shift {shift_id!r} is defined twice")
        cannot = tuple(part for part in follow.split("|") if part)
        shifts.append(CurtoisShift(shift_id, reader.integer(line, minutes, "shift length"), cannot))
    shift_ids = {s.id for s in shifts}
    shift_lines = dict(
        zip(
            [s.id for s in shifts],
            [ln for ln, _ in _required(sections, "SECTION_SHIFTS", reader)],
            strict=True,
        )
    )
    for shift in shifts:
        for other in shift.cannot_follow:
            if other not in shift_ids:
                raise reader.fail(
                    shift_lines[shift.id],
                    f"unknown shift {other!r} in the cannot-follow list of {shift.id!r}",
                )

    employees: list[CurtoisEmployee] = []
    for line, text_line in _required(sections, "SECTION_STAFF", reader):
        parts = reader.fields(
            line,
            text_line,
            8,
            "ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, "
            "MaxConsecutiveShifts, MinConsecutiveShifts, MinConsecutiveDaysOff, "
            "MaxWeekends",
        )
        maxima: list[tuple[str, int]] = []
        for item in filter(None, parts[1].split("|")):
            if "=" not in item:
                raise reader.fail(line, f"per-shift maximum {item!r} is not of the form SHIFT=N")
            shift_id, count = item.split("=", 1)
            if shift_id not in shift_ids:
                raise reader.fail(line, f"unknown shift {shift_id!r} in per-shift maxima")
            maxima.append((shift_id, reader.integer(line, count, f"maximum of shift {shift_id}")))
        employees.append(
            CurtoisEmployee(
                id=parts[0],
                max_shifts=tuple(maxima),
                max_minutes=reader.integer(line, parts[2], "MaxTotalMinutes"),
                min_minutes=reader.integer(line, parts[3], "MinTotalMinutes"),
                max_consecutive=reader.integer(line, parts[4], "MaxConsecutiveShifts"),
                min_consecutive=reader.integer(line, parts[5], "MinConsecutiveShifts"),
                min_consecutive_off=reader.integer(line, parts[6], "MinConsecutiveDaysOff"),
                max_weekends=reader.integer(line, parts[7], "MaxWeekends"),
            )
        )
    employee_ids = {e.id for e in employees}

    def known_employee(line: int, value: str) -> str:
        if value not in employee_ids:
            raise reader.fail(line, f"unknown employee {value!r}")
        return value

    def known_day(line: int, value: str) -> int:
        number = reader.integer(line, value, "day")
        if number >= horizon:
            raise reader.fail(line, f"day {number} is outside the horizon of {horizon} days")
        return number

    def known_shift(line: int, value: str) -> str:
        if value not in shift_ids:
            raise reader.fail(line, f"unknown shift {value!r}")
        return value

    days_off: list[tuple[str, int]] = []
    for line, text_line in sections.get("SECTION_DAYS_OFF", []):
        parts = [part.strip() for part in text_line.split(",")]
        who = known_employee(line, parts[0])
        days_off.extend((who, known_day(line, value)) for value in parts[1:] if value)

    def requests(section: str) -> tuple[CurtoisRequest, ...]:
        found = []
        for line, text_line in sections.get(section, []):
            who, when, what, weight = reader.fields(
                line, text_line, 4, "EmployeeID, Day, ShiftID, Weight"
            )
            found.append(
                CurtoisRequest(
                    known_employee(line, who),
                    known_day(line, when),
                    known_shift(line, what),
                    reader.integer(line, weight, "weight"),
                )
            )
        return tuple(found)

    cover: list[CurtoisCover] = []
    for line, text_line in _required(sections, "SECTION_COVER", reader):
        when, what, need, under, over = reader.fields(
            line, text_line, 5, "Day, ShiftID, Requirement, WeightUnder, WeightOver"
        )
        cover.append(
            CurtoisCover(
                known_day(line, when),
                known_shift(line, what),
                reader.integer(line, need, "requirement"),
                reader.integer(line, under, "under-cover weight"),
                reader.integer(line, over, "over-cover weight"),
            )
        )

    return CurtoisInstance(
        name=name,
        horizon=horizon,
        shifts=tuple(shifts),
        employees=tuple(employees),
        days_off=tuple(days_off),
        shift_on=requests("SECTION_SHIFT_ON_REQUESTS"),
        shift_off=requests("SECTION_SHIFT_OFF_REQUESTS"),
        cover=tuple(cover),
    )


def read_instance(path: Path | str) -> CurtoisInstance:
    """Read an instance file; its name is the file name without extension (e.g. 'Instance1')."""
    path = Path(path)
    return parse_instance(path.read_text(encoding="ascii"), name=path.stem, source=str(path))
