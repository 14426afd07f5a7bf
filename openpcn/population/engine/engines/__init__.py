"""Query engines: each runs a dataset (named series) over an extract and returns one row per patient.

`reference` is a small pure-Python oracle; `ibis_engine` compiles the same graph for DuckDB (the
default) or PySpark. Tests generate extracts and require every engine to agree exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

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


class Engine(Protocol):
    def evaluate(self, dataset: Mapping[str, Series]) -> pa.Table:
        """One row per patient in the patients table, sorted by patient_id."""
        ...
