"""Time the population engine on a synthetic extract (run by hand, not a test).

    .venv/bin/python benchmarks/population/run_suite.py --patients 390000 [--months 12] [--json]

Stages: generate (in memory, not cached), load (validate the cached extract), register in
DuckDB, the full indicator suite (every indicator, all outputs: aggregates, groups, published
files, variation, inequality, worklists), and optionally the monthly SPC series.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import AS_OF, SEED, extract_folder, load_average, peak_rss_mb, timed  # noqa: E402

from openpcn.population.engine import outputs, synthetic  # noqa: E402
from openpcn.population.engine.codelist_library import load_codelists  # noqa: E402
from openpcn.population.engine.engines.ibis_engine import IbisEngine  # noqa: E402
from openpcn.population.engine.loading import load_extract  # noqa: E402


def measure(patients: int, months: int, generate: bool) -> dict[str, float]:
    results: dict[str, float] = {}
    if generate:
        with timed(results, "generate_s"):
            synthetic.generate(patients, SEED, as_of=AS_OF)
    folder = extract_folder(patients)
    with timed(results, "load_s"):
        extract = load_extract(folder, folder / "deprivation.csv", folder / "organisation_map.csv")
    with timed(results, "register_s"):
        engine = IbisEngine.duckdb(extract.tables)
    settings = outputs.RunSettings(as_of=AS_OF, codelists=load_codelists(), months=0)
    with tempfile.TemporaryDirectory() as out, timed(results, "suite_s"):
        outputs.run(engine, extract, settings, Path(out))
    if months:
        monthly = outputs.RunSettings(as_of=AS_OF, codelists=load_codelists(), months=months)
        with tempfile.TemporaryDirectory() as out, timed(results, f"suite_with_{months}_months_s"):
            outputs.run(engine, extract, monthly, Path(out))
    results["events_rows"] = extract.tables["clinical_events"].num_rows
    results["medications_rows"] = extract.tables["medications"].num_rows
    results["peak_rss_mb"] = peak_rss_mb()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=390_000)
    parser.add_argument("--months", type=int, default=0)
    parser.add_argument("--no-generate", action="store_true", help="skip the generator timing")
    parser.add_argument(
        "--generate-only",
        action="store_true",
        help="time generating and writing the cached extract, then stop",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.generate_only:
        generated: dict[str, float] = {"patients": args.patients}
        with timed(generated, "generate_and_write_s"):
            extract_folder(args.patients, refresh=True)
        generated["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(generated) if args.json else generated)
        return
    extract_folder(args.patients)  # cache outside the timings
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results = measure(args.patients, args.months, not args.no_generate)
    results["patients"] = args.patients
    if args.json:
        print(json.dumps(results))
        return
    print(f"{started}; load average {load_average()}")
    for name, value in results.items():
        print(f"{name:>28}: {value:,.2f}")


if __name__ == "__main__":
    main()
