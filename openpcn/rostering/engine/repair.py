"""Repair a published rota after a change (sickness, new leave) with as few changes as possible.

The changed problem is solved again with one extra soft rule: every cell that differs from the
published rota costs `change_weight`. The published rota is the starting hint, so when nothing has
changed and it was optimal the answer is the published rota itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from openpcn.rostering.engine.problem import RotaProblem
from openpcn.rostering.engine.solution import Assignment, RotaSolution, SolveSettings
from openpcn.rostering.engine.solver import solve_rota


@dataclass(frozen=True)
class RotaRepair:
    """The repaired rota and the differences from the published one."""

    solution: RotaSolution
    removed: tuple[Assignment, ...]
    added: tuple[Assignment, ...]

    @property
    def changes(self) -> int:
        return len(self.removed) + len(self.added)


def repair_rota(
    problem: RotaProblem,
    published: Iterable[Assignment],
    settings: SolveSettings,
    *,
    change_weight: int,
) -> RotaRepair:
    """Re-solve `problem` (already holding the change) close to the `published` rota."""
    before = tuple(sorted(published))
    weights = dataclasses.replace(problem.weights, change_from_published=change_weight)
    changed = dataclasses.replace(
        problem,
        weights=weights,
        published=tuple((a.staff_id, a.day, a.shift_id) for a in before),
    )
    solution = solve_rota(changed, settings, hint=before)
    after = set(solution.assignments)
    return RotaRepair(
        solution=solution,
        removed=tuple(a for a in before if a not in after) if solution.has_rota else (),
        added=tuple(sorted(after - set(before))),
    )
