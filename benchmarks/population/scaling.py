"""Scaling table: generator and full suite at 100k, 390k, 1.8M and 5M patients (run by hand).

    .venv/bin/python benchmarks/population/scaling.py [--sizes 100000 390000 1800000 5000000]

Each size runs in fresh subprocesses (one to generate the cached extract, one to load it and run
the suite) so each peak RSS (from getrusage in the child) belongs to that stage alone. Prints a
Markdown table for docs/benchmarks/population.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_average  # noqa: E402

SCRIPT = Path(__file__).resolve().parent / "run_suite.py"


def _child(*arguments: str) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, str(SCRIPT), *arguments, "--json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[100_000, 390_000, 1_800_000, 5_000_000]
    )
    args = parser.parse_args()
    print(f"load average at start: {load_average()}")
    print(
        "| patients | clinical events | medication rows | generate + write (s) | generator peak RSS"
        " (MB) | load + validate (s) | full suite (s) | suite peak RSS (MB) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        generated = _child("--patients", str(size), "--generate-only")
        suite = _child("--patients", str(size), "--no-generate")
        print(
            f"| {size:,} | {int(suite['events_rows']):,} | {int(suite['medications_rows']):,} "
            f"| {generated['generate_and_write_s']:.1f} | {generated['peak_rss_mb']:,.0f} "
            f"| {suite['load_s']:.1f} | {suite['suite_s']:.1f} | {suite['peak_rss_mb']:,.0f} |",
            flush=True,
        )
    print(f"load average at end: {load_average()}")


if __name__ == "__main__":
    main()
