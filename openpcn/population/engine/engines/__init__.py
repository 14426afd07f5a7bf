"""Query engines: each runs a dataset (named series) over an extract and returns one row per patient.

`reference` is a small pure-Python oracle; `ibis_engine` compiles the same graph for DuckDB (the
default) or PySpark. Tests generate extracts and require every engine to agree exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import pyarrow as pa

from openpcn.population.engine.query_model import Series, Type

ARROW_TYPES: dict[Type, pa.DataType] = {
    Type.BOOL: pa.bool_(),
    Type.INT: pa.int64(),
    Type.FLOAT: pa.float64(),
    Type.DATE: pa.date32(),
    Type.STR: pa.string(),
}


def result_schema(dataset: Mapping[str, Series]) -> pa.Schema:
    """patient_id, then one column per series, in the dataset's order."""
    fields = [pa.field("patient_id", pa.string())]
    fields += [pa.field(name, ARROW_TYPES[series.type]) for name, series in dataset.items()]
    return pa.schema(fields)


def aggregate_schema(dataset: Mapping[str, Series], by: Sequence[str]) -> pa.Schema:
    """The `by` columns, then a count (int64) for every other (bool) series."""
    fields = [pa.field(name, ARROW_TYPES[dataset[name].type]) for name in by]
    fields += [pa.field(name, pa.int64()) for name in dataset if name not in by]
    return pa.schema(fields)


def aggregate_table(
    dataset: Mapping[str, Series], by: Sequence[str], totals: Mapping[tuple[Any, ...], list[int]]
) -> pa.Table:
    """Rows of (key…, counts…) in a fixed order, so engines can be compared row for row."""
    schema = aggregate_schema(dataset, by)
    rows = [(*key, *counts) for key, counts in totals.items()]
    rows.sort(key=lambda row: tuple((value is None, value) for value in row[: len(by)]))
    columns: list[list[Any]] = [[row[index] for row in rows] for index in range(len(schema))]
    return pa.table(columns, schema=schema)


class Engine(Protocol):
    def evaluate(self, dataset: Mapping[str, Series], where: str | None = None) -> pa.Table:
        """One row per patient (only those where the bool series `where` is true), by patient_id."""
        ...

    def aggregate(self, dataset: Mapping[str, Series], by: Sequence[str]) -> pa.Table:
        """Counts of patients true for each bool series, per combination of the `by` series."""
        ...
