"""The rostering engine: a frozen `RotaProblem` in, an explained `RotaSolution` out (no Django).

Public names: the problem types from `problem`, `solve_rota` from `solver`, `repair_rota` from
`repair`. The Curtois benchmark reader, scorer and mapper live in `engine.curtois`.
"""

from openpcn.rostering.engine.problem import (
    CoverRequirement,
    Day,
    LockedAssignment,
    RotaProblem,
    RotaWeights,
    ShiftRequest,
    ShiftType,
    StaffMember,
)
from openpcn.rostering.engine.solution import Assignment, Penalty, RotaSolution, SolveSettings

__all__ = [
    "Assignment",
    "CoverRequirement",
    "Day",
    "LockedAssignment",
    "Penalty",
    "RotaProblem",
    "RotaSolution",
    "RotaWeights",
    "ShiftRequest",
    "ShiftType",
    "SolveSettings",
    "StaffMember",
]
