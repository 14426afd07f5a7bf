"""Curtois NRP benchmark, side by side with the peer (run by hand, not in CI).

The peer is the Curtois model that ships in cpmpy (`cpmpy.tools.io.nurserostering`), solved with the
same CP-SAT, the same time limit, workers and seed, on the same local instance files. Both rosters
are checked by our independent scorer, so neither number is taken on trust.

    .venv/bin/python benchmarks/rostering/curtois_vs_cpmpy.py ../shared/benchmarks/curtois \
        --time-limit 60 --workers 2 --seed 0 --out docs-table.md

Instances are read by path and never copied. Prints one JSON line per instance, then a Markdown
table: instance, best known, ours, peer, gap to best known, time to first feasible roster.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import cpmpy as cp
from cpmpy.tools.io.nurserostering import _model_nurserostering, parse_scheduling_period
from ortools.sat.python import cp_model

from openpcn.rostering.engine.curtois.instance import CurtoisInstance, read_instance
from openpcn.rostering.engine.curtois.scorer import score_roster
from openpcn.rostering.engine.curtois.solve import solve_curtois
from openpcn.rostering.engine.solution import SolveSettings


def best_known(folder: Path) -> dict[str, int]:
    """BK column of BEST_KNOWN.md, by instance name."""
    values: dict[str, int] = {}
    for line in (folder / "BEST_KNOWN.md").read_text().splitlines():
        match = re.match(r"\|\s*(Instance\d+)\s*\|(?:[^|]*\|){4}\s*(\d+)\s*\|", line)
        if match:
            values[match.group(1)] = int(match.group(2))
    return values


class _FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self, started: float) -> None:
        super().__init__()
        self.started = started
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = time.perf_counter() - self.started


def run_peer(path: Path, instance: CurtoisInstance, settings: SolveSettings) -> dict[str, Any]:
    started = time.perf_counter()
    data = parse_scheduling_period(str(path))
    model, nurse_view = _model_nurserostering(**data)
    solver = cp.SolverLookup.get("ortools", model)
    callback = _FirstSolution(started)
    found = solver.solve(
        time_limit=settings.time_limit_seconds,
        num_workers=settings.workers,
        random_seed=settings.seed,
        solution_callback=callback,
    )
    seconds = time.perf_counter() - started
    if not found:
        return {"objective": None, "first": None, "seconds": seconds, "scored": None}
    shift_ids = ["", *data["shifts"].keys()]
    roster = {
        nurse["ID"]: [shift_ids[int(v)] for v in nurse_view[i].value()]
        for i, nurse in enumerate(data["staff"])
    }
    score = score_roster(instance, roster)
    return {
        "objective": int(solver.objective_value()),
        "first": callback.first,
        "seconds": seconds,
        "scored": score.objective if score.feasible else f"infeasible: {score.violations[:2]}",
    }


def run_ours(instance: CurtoisInstance, settings: SolveSettings) -> dict[str, Any]:
    result = solve_curtois(instance, settings)
    score = score_roster(instance, result.roster) if result.objective is not None else None
    return {
        "objective": result.objective,
        "lower_bound": result.lower_bound,
        "status": result.status,
        "first": result.seconds_to_first_solution,
        "seconds": result.seconds,
        "scored": score.objective if score and score.feasible else None,
    }


def gap(value: int | None, best: int) -> str:
    return "–" if value is None else f"{100 * (value - best) / best:.1f}%"


def seconds_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Curtois NRP: ours against cpmpy's model")
    parser.add_argument("folder", type=Path, help="folder with InstanceN.txt and BEST_KNOWN.md")
    parser.add_argument("--instances", type=int, nargs="+", default=list(range(1, 13)))
    parser.add_argument("--time-limit", type=float, required=True)
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", type=Path, help="also write the Markdown table here")
    args = parser.parse_args(argv)
    settings = SolveSettings(args.time_limit, args.workers, args.seed)
    known = best_known(args.folder)

    rows = []
    for number in args.instances:
        path = args.folder / f"Instance{number}.txt"
        instance = read_instance(path)
        ours = run_ours(instance, settings)
        peer = run_peer(path, instance, settings)
        row = {
            "instance": instance.name,
            "best_known": known.get(instance.name),
            "ours": ours,
            "peer": peer,
        }
        rows.append(row)
        print(json.dumps(row), flush=True)

    lines = [
        f"Time limit {args.time_limit:g} s, {args.workers} workers, seed {args.seed}.",
        "",
        "| Instance | Best known | Ours | Peer (cpmpy) | Ours: gap to BK | Peer: gap to BK "
        "| Ours: first feasible (s) | Peer: first feasible (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        best = row["best_known"]
        ours, peer = row["ours"], row["peer"]
        lines.append(
            f"| {row['instance']} | {best} | {ours['objective']} | {peer['objective']} | "
            f"{gap(ours['objective'], best)} | {gap(peer['objective'], best)} | "
            f"{seconds_text(ours['first'])} | {seconds_text(peer['first'])} |"
        )
    table = "\n".join(lines)
    print()
    print(table)
    if args.out:
        args.out.write_text(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
