"""Generated extracts: the DuckDB engine must agree exactly with the reference engine."""

from __future__ import annotations

import datetime

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from population_extracts import extracts, generic_series
from population_spec import CODELISTS

from openpcn.population.engine.engines.ibis_engine import IbisEngine
from openpcn.population.engine.engines.reference import ReferenceEngine
from openpcn.population.engine.indicators import indicator_dataset, worklist_dataset

DECILES = {"E01000001": 2}  # the generator's only mapped LSOA; None and others are unknown


def _dataset(as_of: datetime.date) -> dict[str, object]:
    return {**indicator_dataset(as_of, CODELISTS, imd_deciles=DECILES), **generic_series(as_of)}


@settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(extracts())
def test_duckdb_agrees_with_reference(example: tuple[datetime.date, dict[str, pa.Table]]) -> None:
    as_of, tables = example
    dataset = _dataset(as_of)
    expected = ReferenceEngine(tables).evaluate(dataset)  # type: ignore[arg-type]
    actual = IbisEngine.duckdb(tables).evaluate(dataset)  # type: ignore[arg-type]
    assert actual.schema == expected.schema
    assert actual.to_pylist() == expected.to_pylist()


@settings(
    max_examples=6,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(extracts())
def test_grouped_counts_and_worklists_agree(
    example: tuple[datetime.date, dict[str, pa.Table]],
) -> None:
    as_of, tables = example
    dataset = indicator_dataset(as_of, CODELISTS, imd_deciles=DECILES)
    by = ["practice", "imd_quintile", "ethnicity6"]
    reference, duckdb = ReferenceEngine(tables), IbisEngine.duckdb(tables)
    assert duckdb.aggregate(dataset, by).to_pylist() == reference.aggregate(dataset, by).to_pylist()
    worklists = worklist_dataset(as_of, CODELISTS)
    expected = reference.evaluate(worklists, where="on_a_worklist")
    assert duckdb.evaluate(worklists, where="on_a_worklist").to_pylist() == expected.to_pylist()
