"""What the solver returns, and the settings it always needs: seed, workers and time limit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SolveSettings:
    """Search settings. There are no defaults on purpose: every caller chooses them.

    With one worker and a fixed seed the search is reproducible because time is then measured by
    the solver's deterministic clock; with more workers the wall clock is the limit.
    """

    time_limit_seconds: float
    workers: int
    seed: int
    log_progress: bool = False


@dataclass(frozen=True, order=True)
class Assignment:
    """One staff member working one shift type on one day."""

    staff_id: str
    day: int
    shift_id: str


@dataclass(frozen=True)
class Penalty:
    """One soft cost of a rota, in words a rota planner understands."""

    rule: str
    cost: int
    text: str


@dataclass(frozen=True)
class RotaSolution:
    """The best rota found. `status` is OPTIMAL, FEASIBLE, INFEASIBLE or UNKNOWN (no rota yet)."""

    status: str
    assignments: tuple[Assignment, ...]
    objective: int | None
    lower_bound: int
    seconds: float
    penalties: tuple[Penalty, ...]
    seconds_to_first_solution: float | None = None

    @property
    def has_rota(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE")

    def shift_of(self, staff_id: str, day: int) -> list[str]:
        return [a.shift_id for a in self.assignments if a.staff_id == staff_id and a.day == day]
