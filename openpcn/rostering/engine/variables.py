"""The decision variables of a rota: one Boolean per staff member, day and shift type they could work.

A variable exists only where the staff member's skills, sites and per-shift maxima allow the shift
type at all, so a GP-scale problem (hundreds of staff, dozens of sites) stays small.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from openpcn.rostering.engine.problem import RotaProblem
from openpcn.rostering.engine.solution import Assignment

Cell = tuple[int, int]
"""(staff index, day index)."""


@dataclass
class RotaVariables:
    """`shifts[(staff, day)]` lists (shift index, Boolean); `works[(staff, day)]` is 1 if any.

    When a cell's shifts all overlap (at most one can be worked), `works` is simply their sum, an
    expression rather than a variable, which keeps the model small; otherwise it is a Boolean.
    """

    shifts: dict[Cell, list[tuple[int, cp_model.IntVar]]] = field(default_factory=dict)
    works: dict[Cell, cp_model.LinearExprT] = field(default_factory=dict)
    by_shift: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)

    def get(self, staff: int, day: int, shift: int) -> cp_model.IntVar | None:
        return self.by_shift.get((staff, day, shift))

    def work(self, staff: int, day: int) -> cp_model.LinearExprT | None:
        return self.works.get((staff, day))


def create_variables(model: cp_model.CpModel, problem: RotaProblem) -> RotaVariables:
    """One Boolean per possible (staff, day, shift) and a 'works that day' Boolean per cell."""
    variables = RotaVariables()
    for e, member in enumerate(problem.staff):
        possible = [s for s, shift in enumerate(problem.shift_types) if member.can_work(shift)]
        for day in problem.days:
            cell: list[tuple[int, cp_model.IntVar]] = []
            for s in possible:
                var = model.new_bool_var(f"x[{member.id},{day.index},{problem.shift_types[s].id}]")
                cell.append((s, var))
                variables.by_shift[(e, day.index, s)] = var
            if not cell:
                continue
            variables.shifts[(e, day.index)] = cell
            types = [problem.shift_types[s] for s, _ in cell]
            if all(a.overlaps(b) for i, a in enumerate(types) for b in types[i + 1 :]):
                variables.works[(e, day.index)] = sum(var for _, var in cell)
                continue
            works = model.new_bool_var(f"works[{member.id},{day.index}]")
            variables.works[(e, day.index)] = works
            # 'works' is exactly "at least one shift".
            model.add_bool_or([var for _, var in cell]).only_enforce_if(works)
            for _, var in cell:
                model.add_implication(var, works)
    return variables


def cells_of(problem: RotaProblem, assignments: Iterable[Assignment]) -> set[tuple[int, int, int]]:
    """A rota as (staff index, day, shift index) keys of `RotaVariables.by_shift`; unknown ids
    (someone or a shift type no longer in the problem) are left out."""
    shift_index = {shift.id: s for s, shift in enumerate(problem.shift_types)}
    staff_index = {member.id: e for e, member in enumerate(problem.staff)}
    return {
        (staff_index[a.staff_id], a.day, shift_index[a.shift_id])
        for a in assignments
        if a.staff_id in staff_index and a.shift_id in shift_index
    }


def fix(model: cp_model.CpModel, var: cp_model.IntVar, value: int) -> None:
    """Pin a variable to one value in `model` (which may be a clone of the one `var` came from)."""
    domain = model.proto.variables[var.index].domain
    domain.clear()
    domain.extend([value, value])
