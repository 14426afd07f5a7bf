"""Ibis on PySpark: the same rows as the reference engine and DuckDB (a few examples; JVM is slow)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from population_extracts import extracts, generic_series
from population_spec import CODELISTS

from openpcn.population.engine import synthetic
from openpcn.population.engine.engines.ibis_engine import IbisEngine, quiet_backends
from openpcn.population.engine.engines.reference import ReferenceEngine
from openpcn.population.engine.indicators import indicator_dataset

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    pyspark_sql = pytest.importorskip("pyspark.sql")
    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    with quiet_backends():
        session = (
            pyspark_sql.SparkSession.builder.master("local[2]")
            .appName("openpcn-population-tests")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.warehouse.dir", str(warehouse))
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_spark_gives_duckdb_counts_on_synthetic_data(spark: Any) -> None:
    # What the outputs are made from: counts of every flag per practice, IMD quintile, ethnicity.
    as_of = datetime.date(2026, 3, 31)
    tables = synthetic.generate(200, seed=11, as_of=as_of)
    extract_tables = {name: tables[name] for name in IbisEngine.EXTRACT_TABLE_NAMES}
    deciles = dict(
        zip(
            tables["deprivation"].column("lsoa_code").to_pylist(),
            tables["deprivation"].column("imd_decile").to_pylist(),
            strict=True,
        )
    )
    dataset = indicator_dataset(as_of, CODELISTS, imd_deciles=deciles)
    by = ["practice", "imd_quintile", "ethnicity6"]
    duckdb = IbisEngine.duckdb(extract_tables)
    on_spark = IbisEngine.pyspark(extract_tables, spark)
    counts = on_spark.aggregate(dataset, by)  # type: ignore[arg-type]
    assert counts.to_pylist() == duckdb.aggregate(dataset, by).to_pylist()  # type: ignore[arg-type]
    assert sum(counts.column("HYP_REG__num").to_pylist()) > 0  # the data exercises the rules


@settings(
    max_examples=1,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(example=extracts())
def test_spark_agrees_with_reference(
    spark: Any, example: tuple[datetime.date, dict[str, pa.Table]]
) -> None:
    as_of, tables = example
    dataset = {**indicator_dataset(as_of, CODELISTS), **generic_series(as_of)}
    expected = ReferenceEngine(tables).evaluate(dataset)  # type: ignore[arg-type]
    actual = IbisEngine.pyspark(tables, spark).evaluate(dataset)  # type: ignore[arg-type]
    assert actual.to_pylist() == expected.to_pylist()
