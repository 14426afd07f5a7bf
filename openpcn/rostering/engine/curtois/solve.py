"""Solve a Curtois instance with the general engine and check the answer with the independent scorer."""

from __future__ import annotations

from dataclasses import dataclass

from openpcn.rostering.engine.curtois.instance import CurtoisInstance
from openpcn.rostering.engine.curtois.mapping import Roster, to_roster, to_rota_problem
from openpcn.rostering.engine.curtois.scorer import score_roster
from openpcn.rostering.engine.solution import SolveSettings
from openpcn.rostering.engine.solver import solve_by_columns


@dataclass(frozen=True)
class CurtoisResult:
    """A roster, its objective as the independent scorer computes it, and how the search went."""

    instance: str
    status: str
    objective: int | None
    lower_bound: int
    seconds: float
    seconds_to_first_solution: float | None
    roster: Roster


class ScorerDisagreement(AssertionError):
    """The model and the independent scorer disagree: one of them has a bug."""


def solve_curtois(instance: CurtoisInstance, settings: SolveSettings) -> CurtoisResult:
    solution = solve_by_columns(to_rota_problem(instance), settings)
    roster = to_roster(instance, solution.assignments)
    if solution.objective is not None:
        score = score_roster(instance, roster)
        if not score.feasible or score.objective != solution.objective:
            raise ScorerDisagreement(
                f"{instance.name}: model objective {solution.objective}, scorer "
                f"{score.objective}, violations {list(score.violations)[:5]}"
            )
    return CurtoisResult(
        instance=instance.name,
        status=solution.status,
        objective=solution.objective,
        lower_bound=solution.lower_bound,
        seconds=solution.seconds,
        seconds_to_first_solution=solution.seconds_to_first_solution,
        roster=roster,
    )
