"""Shared set-up for the population benchmarks: cached synthetic extracts and timing."""

from __future__ import annotations

import contextlib
import os
import resource
import time
from collections.abc import Iterator
from pathlib import Path

from openpcn.population.engine import synthetic

CACHE = Path(os.environ.get("OPENPCN_BENCH_CACHE", "/tmp/openpcn-population-bench"))
AS_OF = synthetic.DEFAULT_AS_OF
SEED = 2024


def extract_folder(patients: int, refresh: bool = False) -> Path:
    """A synthetic extract of `patients` patients (seed 2024), generated once and cached."""
    folder = CACHE / f"extract-{patients}"
    if refresh or not (folder / "organisation_map.csv").is_file():
        synthetic.write(synthetic.generate(patients, SEED, as_of=AS_OF), folder)
    return folder


@contextlib.contextmanager
def timed(results: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    results[name] = time.perf_counter() - start


def peak_rss_mb() -> float:
    """This process' peak resident set size in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"
