"""Split a rota problem into independent parts that can be solved one after another.

Two staff members are in the same part when they could work a common shift type; cover for a shift
type goes with the staff who could work it. An alliance whose PCNs share no staff is therefore
solved PCN by PCN, which is far faster than one model for everyone and gives the same optimum for
every rule except unsocial fairness, whose fair share is then worked out within each part (among
the people who could actually do those sessions).
"""

from __future__ import annotations

import dataclasses

from openpcn.rostering.engine.problem import RotaProblem


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def independent_parts(problem: RotaProblem) -> list[RotaProblem]:
    """The parts in a stable order (by first staff member); one part if nothing splits."""
    staff_count = len(problem.staff)
    groups = _UnionFind(staff_count + len(problem.shift_types))
    for e, member in enumerate(problem.staff):
        for s, shift in enumerate(problem.shift_types):
            if member.can_work(shift):
                groups.union(e, staff_count + s)
    roots = sorted(
        {groups.find(i) for i in range(staff_count + len(problem.shift_types))},
        key=lambda root: min(i for i in range(len(groups.parent)) if groups.find(i) == root),
    )
    if len(roots) <= 1:
        return [problem]
    staff_root = [groups.find(e) for e in range(staff_count)]
    shift_root = {
        shift.id: groups.find(staff_count + s) for s, shift in enumerate(problem.shift_types)
    }
    parts: list[RotaProblem] = []
    for root in roots:
        staff = tuple(m for e, m in enumerate(problem.staff) if staff_root[e] == root)
        staff_ids = {m.id for m in staff}
        # Requests may name shift types the person cannot work; keep those types for the words.
        requested = {
            r.shift_id for m in staff for r in (*m.shift_on_requests, *m.shift_off_requests)
        }
        shift_types = tuple(
            s for s in problem.shift_types if shift_root[s.id] == root or s.id in requested
        )
        if not staff and not any(shift_root[c.shift_id] == root for c in problem.cover):
            continue
        parts.append(
            dataclasses.replace(
                problem,
                name=f"{problem.name} part {len(parts) + 1}",
                staff=staff,
                shift_types=shift_types,
                cover=tuple(c for c in problem.cover if shift_root[c.shift_id] == root),
                locked=tuple(lock for lock in problem.locked if lock.staff_id in staff_ids),
                published=tuple(cell for cell in problem.published if cell[0] in staff_ids),
            )
        )
    return parts
