"""The rostering problem as frozen data: days, shift types, staff, cover, locks and a published rota.

Everything here is immutable and plain Python, so a problem can be built by the Django side, by the
Curtois reader or by a test, and handed to the solver unchanged. Times are minutes; days are indices
into `RotaProblem.days`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Day:
    """One day of the rota; `weekday` is 0 for Monday … 6 for Sunday."""

    index: int
    weekday: int
    date: datetime.date | None = None

    @property
    def is_weekend(self) -> bool:
        return self.weekday >= 5

    @property
    def label(self) -> str:
        name = WEEKDAY_NAMES[self.weekday]
        if self.date is not None:
            return f"{name} {self.date.day} {self.date.strftime('%B')}"
        return f"{name} week {self.index // 7 + 1}"


@dataclass(frozen=True)
class ShiftType:
    """A kind of session: how long it is, when it starts, where, and who may work it.

    A shift type without a start time is treated as filling the whole day, so it overlaps every
    other shift that day. `not_followed_by` lists shift types that may not be worked the next day.
    """

    id: str
    minutes: int
    start_minute: int | None = None
    site: str | None = None
    skills: frozenset[str] = frozenset()
    not_followed_by: frozenset[str] = frozenset()
    unsocial: bool = False
    label: str = ""

    @property
    def end_minute(self) -> int | None:
        return None if self.start_minute is None else self.start_minute + self.minutes

    @property
    def name(self) -> str:
        return self.label or self.id

    def overlaps(self, other: ShiftType) -> bool:
        """True when one person cannot work both on the same day."""
        if self.start_minute is None or other.start_minute is None:
            return True
        assert self.end_minute is not None and other.end_minute is not None
        return self.start_minute < other.end_minute and other.start_minute < self.end_minute


@dataclass(frozen=True)
class ShiftRequest:
    """A wish to work (or not to work) a shift type on a day, with a weight."""

    day: int
    shift_id: str
    weight: int


@dataclass(frozen=True)
class StaffMember:
    """A clinician or other staff member, their contract limits and their wishes.

    `sites` of None means any site. `max_shifts` maps a shift type id to a maximum count; a shift
    type missing from it is unlimited and a maximum of 0 means never.
    """

    id: str
    name: str = ""
    skills: frozenset[str] = frozenset()
    sites: frozenset[str] | None = None
    max_shifts: tuple[tuple[str, int], ...] = ()
    min_minutes: int = 0
    max_minutes: int | None = None
    min_consecutive_days: int = 1
    max_consecutive_days: int | None = None
    min_consecutive_days_off: int = 1
    max_weekends: int | None = None
    unavailable_days: frozenset[int] = frozenset()
    shift_on_requests: tuple[ShiftRequest, ...] = ()
    shift_off_requests: tuple[ShiftRequest, ...] = ()

    @property
    def display_name(self) -> str:
        return self.name or self.id

    def max_count(self, shift_id: str) -> int | None:
        for key, value in self.max_shifts:
            if key == shift_id:
                return value
        return None

    def can_work(self, shift: ShiftType) -> bool:
        """Skills, site and per-shift maximum allow this person on this shift type at all."""
        if not shift.skills <= self.skills:
            return False
        if self.sites is not None and shift.site is not None and shift.site not in self.sites:
            return False
        return self.max_count(shift.id) != 0


@dataclass(frozen=True)
class CoverRequirement:
    """How many people (with `skill`, if given) a shift type needs on a day, and the cost of missing."""

    day: int
    shift_id: str
    target: int
    weight_under: int
    weight_over: int = 0
    skill: str | None = None


@dataclass(frozen=True)
class LockedAssignment:
    """A cell fixed by the planner: `shift_id` worked on `day`, or the whole day off if None."""

    staff_id: str
    day: int
    shift_id: str | None


@dataclass(frozen=True)
class RotaWeights:
    """Weights of the GP soft rules (Curtois instances leave them all at 0 by not using them)."""

    two_sites_one_day: int = 0
    site_continuity: int = 0
    unsocial_fairness: int = 0
    change_from_published: int = 0


@dataclass(frozen=True)
class RotaProblem:
    """Everything the solver needs. Rules that do not apply are left at their neutral value.

    `min_rest_minutes` is the rest between the end of one day's last shift and the start of the
    next day's first (660 for the Working Time Regulations); `max_average_weekly_minutes` caps
    hours averaged over the whole period (2880 for 48 hours). `min_runs_at_edges` says whether
    minimum run lengths also apply to runs touching the first or last day; False follows the
    Curtois convention, since the rota before and after the period is unknown.
    """

    name: str
    days: tuple[Day, ...]
    shift_types: tuple[ShiftType, ...]
    staff: tuple[StaffMember, ...]
    cover: tuple[CoverRequirement, ...] = ()
    locked: tuple[LockedAssignment, ...] = ()
    published: tuple[tuple[str, int, str], ...] = ()
    min_rest_minutes: int | None = None
    max_average_weekly_minutes: int | None = None
    min_runs_at_edges: bool = False
    weights: RotaWeights = field(default_factory=RotaWeights)

    def shift(self, shift_id: str) -> ShiftType:
        for shift in self.shift_types:
            if shift.id == shift_id:
                return shift
        raise KeyError(f"unknown shift type {shift_id!r}")

    def member(self, staff_id: str) -> StaffMember:
        for member in self.staff:
            if member.id == staff_id:
                return member
        raise KeyError(f"unknown staff member {staff_id!r}")

    def weekends(self) -> list[tuple[int, ...]]:
        """Day indices of each Saturday–Sunday weekend (a lone Saturday or Sunday counts too)."""
        groups: dict[int, list[int]] = {}
        for day in self.days:
            if day.is_weekend:
                key = day.index - (day.weekday - 5)
                groups.setdefault(key, []).append(day.index)
        return [tuple(days) for _, days in sorted(groups.items())]

    def must_not_follow(self, first: ShiftType, second: ShiftType) -> bool:
        """`second` may not be worked the day after `first` (listed, or too little rest)."""
        if second.id in first.not_followed_by:
            return True
        if self.min_rest_minutes is None:
            return False
        if first.end_minute is None or second.start_minute is None:
            return False
        return MINUTES_PER_DAY + second.start_minute - first.end_minute < self.min_rest_minutes


def weeks_of(days: int) -> tuple[Day, ...]:
    """Days starting on a Monday, without dates (as in the Curtois instances)."""
    return tuple(Day(index=i, weekday=i % 7) for i in range(days))
