"""The sessions a GP rota plans in, with their times (minutes after midnight)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class SessionKind(models.TextChoices):
    AM = "am", "Morning"
    PM = "pm", "Afternoon"
    EVENING = "evening", "Evening"


@dataclass(frozen=True)
class SessionTimes:
    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def label(self) -> str:
        return (
            f"{self.start // 60:02d}:{self.start % 60:02d}–{self.end // 60:02d}:{self.end % 60:02d}"
        )


WEEKDAY_TIMES = {
    SessionKind.AM: SessionTimes(8 * 60, 12 * 60 + 10),
    SessionKind.PM: SessionTimes(13 * 60 + 30, 17 * 60 + 40),
    # Network Standard Hours on weekdays: 18:30–20:00.
    SessionKind.EVENING: SessionTimes(18 * 60 + 30, 20 * 60),
}
# Network Standard Hours on Saturdays: 09:00–17:00, in two sessions.
SATURDAY_TIMES = {
    SessionKind.AM: SessionTimes(9 * 60, 13 * 60),
    SessionKind.PM: SessionTimes(13 * 60, 17 * 60),
}


def times_for(weekday: int, session: str) -> SessionTimes | None:
    """The times of a session on a weekday (0 = Monday), or None when it is not held then."""
    if weekday == 5:
        return SATURDAY_TIMES.get(SessionKind(session))
    if weekday == 6:
        return None
    return WEEKDAY_TIMES[SessionKind(session)]


def is_network_standard_hours(weekday: int, session: str) -> bool:
    """Enhanced Access counts only sessions within the Network Standard Hours."""
    return (
        weekday == 5
        and session in (SessionKind.AM, SessionKind.PM)
        or (weekday < 5 and session == SessionKind.EVENING)
    )
