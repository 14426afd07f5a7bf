"""`openpcn roster …`: solve and score Curtois benchmark instances with the rostering engine."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from openpcn.cli.main import CommandError
from openpcn.rostering.engine.curtois.instance import (
    CurtoisInstance,
    InstanceFormatError,
    read_instance,
)
from openpcn.rostering.engine.curtois.scorer import score_roster
from openpcn.rostering.engine.curtois.solve import solve_curtois
from openpcn.rostering.engine.solution import SolveSettings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("roster", help="rostering engine: benchmark instances")
    commands = parser.add_subparsers(dest="roster_command", metavar="ROSTER_COMMAND", required=True)

    solve = commands.add_parser(
        "solve-curtois", help="solve a Curtois NRP instance and write the roster as JSON"
    )
    solve.add_argument("instance", type=Path, help="an InstanceN.txt file")
    solve.add_argument("--time-limit", type=float, required=True, metavar="SECONDS")
    solve.add_argument("--workers", type=int, required=True, metavar="N")
    solve.add_argument("--seed", type=int, required=True, metavar="K")
    solve.add_argument("--out", type=Path, required=True, metavar="ROSTER.json")
    solve.add_argument("--log", action="store_true", help="print the CP-SAT search log")
    solve.set_defaults(handler=handle_solve)

    score = commands.add_parser(
        "score-curtois", help="check a roster's hard rules and compute its objective"
    )
    score.add_argument("instance", type=Path, help="an InstanceN.txt file")
    score.add_argument("roster", type=Path, help="a ROSTER.json written by solve-curtois")
    score.set_defaults(handler=handle_score)


def _load_instance(path: Path) -> CurtoisInstance:
    try:
        return read_instance(path)
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror}") from error
    except (InstanceFormatError, UnicodeDecodeError) as error:
        raise CommandError(str(error)) from error


def handle_solve(args: argparse.Namespace) -> int:
    if args.time_limit <= 0:
        raise CommandError("--time-limit must be positive")
    if args.workers < 1:
        raise CommandError("--workers must be at least 1")
    instance = _load_instance(args.instance)
    settings = SolveSettings(
        time_limit_seconds=args.time_limit,
        workers=args.workers,
        seed=args.seed,
        log_progress=args.log,
    )
    result = solve_curtois(instance, settings)
    try:
        args.out.write_text(
            json.dumps(
                {
                    "instance": instance.name,
                    "objective": result.objective,
                    "assignments": result.roster,
                }
            )
            + "\n"
        )
    except OSError as error:
        raise CommandError(f"cannot write {args.out}: {error.strerror}") from error
    summary = {
        "instance": instance.name,
        "objective": result.objective,
        "lower_bound": result.lower_bound,
        "status": result.status,
        "seconds": round(result.seconds, 3),
    }
    print(json.dumps(summary))
    return 0 if result.objective is not None else 1


def handle_score(args: argparse.Namespace) -> int:
    instance = _load_instance(args.instance)
    try:
        data = json.loads(args.roster.read_text())
    except OSError as error:
        raise CommandError(f"cannot read {args.roster}: {error.strerror}") from error
    except json.JSONDecodeError as error:
        raise CommandError(f"{args.roster} is not JSON: {error}") from error
    assignments = data.get("assignments") if isinstance(data, dict) else None
    if not isinstance(assignments, dict) or not all(
        isinstance(days, list) and all(isinstance(shift, str) for shift in days)
        for days in assignments.values()
    ):
        raise CommandError(
            f'{args.roster}: "assignments" must map each employee ID to a list of shift IDs'
        )
    score = score_roster(instance, assignments)
    print(
        json.dumps(
            {
                "instance": instance.name,
                "objective": score.objective if score.feasible else None,
                "feasible": score.feasible,
                "violations": list(score.violations),
            }
        )
    )
    return 0 if score.feasible else 1
