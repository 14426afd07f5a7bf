"""Generated extracts: the DuckDB engine must agree exactly with the reference engine."""

from __future__ import annotations

import datetime

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from population_extracts import extracts, generic_series
from population_spec import CODELISTS

from openpcn.population.engine.engines.ibis_engine import IbisEngine
from openpcn.population.engine.engines.reference import ReferenceEngine
from openpcn.population.engine.indicators import indicator_dataset


def _dataset(as_of: datetime.date) -> dict[str, object]:
    return {**indicator_dataset(as_of, CODELISTS), **generic_series(as_of)}


@settings(
    max_examples=25,
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
