"""The Ibis engine: compiles the query model into one Ibis expression, run on DuckDB or PySpark.

Plan: every aggregate over frames with the same base (an event table, or a categorised frame) is
computed in ONE grouped pass using filtered aggregates (`max(date) WHERE code IN …`); values on
the latest/first date need a second pass; the practice on a date is a window over registrations.
Each pass yields one row per patient, left-joined onto the patients table, and the patient-level
expressions are then plain column expressions on that wide table.
"""

from __future__ import annotations

import datetime
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from openpcn.population.engine import query_model as qm
from openpcn.population.engine.engines import ARROW_TYPES, result_schema

_IBIS_TYPES = {
    qm.Type.BOOL: "boolean",
    qm.Type.INT: "int64",
    qm.Type.FLOAT: "float64",
    qm.Type.DATE: "date",
    qm.Type.STR: "string",
}
_SHORT_LIST = 16  # code sets up to this size stay literal IN lists on every backend
EXTRACT_TABLE_NAMES: tuple[str, ...] = (
    "patients",
    "practice_registrations",
    "clinical_events",
    "medications",
)


@contextmanager
def quiet_backends() -> Iterator[None]:
    """Silence two known, harmless warnings from the pinned backend versions.

    PySpark 4.3 warns that pandas 3 is not yet fully supported, and its toPandas uses options
    pandas 3 deprecates for pandas 4 (results are unaffected); DuckDB 2.0 deprecates
    `fetch_arrow_table`, which Ibis 12 still calls to fetch results.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
        warnings.filterwarnings("ignore", category=pd.errors.Pandas4Warning)
        warnings.filterwarnings("ignore", message=r"fetch_arrow_table\(\) is deprecated")
        yield


class IbisEngine:
    EXTRACT_TABLE_NAMES = EXTRACT_TABLE_NAMES

    def __init__(
        self,
        backend: Any,
        tables: Mapping[str, ir.Table],
        codes_as_tables: bool = False,
        share_expressions: bool = True,
    ) -> None:
        self.backend = backend
        self.share_expressions = share_expressions
        self.tables = dict(tables)
        # DuckDB scans a long literal IN list row by row but hashes an IN (subquery); Spark
        # rejects subqueries inside aggregate filters but turns long IN lists into hash sets.
        self.codes_as_tables = codes_as_tables

    @classmethod
    def duckdb(cls, tables: Mapping[str, pa.Table], threads: int | None = None) -> IbisEngine:
        """An in-memory DuckDB holding the extract's Arrow tables."""
        config: dict[str, Any] = {} if threads is None else {"threads": threads}
        backend = ibis.duckdb.connect(**config)
        # Copied into DuckDB's own storage through its Arrow scan: Ibis 12's create_table from an
        # in-memory object emits an empty DROP VIEW under sqlglot 30, so it is not used here.
        for name in EXTRACT_TABLE_NAMES:
            backend.con.register(f"_arrow_{name}", tables[name])
            # Table names come from the fixed EXTRACT_TABLE_NAMES, never from input.
            backend.raw_sql(f'CREATE TEMP TABLE "{name}" AS SELECT * FROM "_arrow_{name}"')  # noqa: S608
            backend.con.unregister(f"_arrow_{name}")
        with quiet_backends():
            registered = {name: backend.table(name) for name in EXTRACT_TABLE_NAMES}
        return cls(backend, registered, codes_as_tables=True, share_expressions=False)

    @classmethod
    def pyspark(cls, tables: Mapping[str, pa.Table], session: Any) -> IbisEngine:
        """A PySpark session holding the extract as temporary views (nothing written to disk)."""
        with quiet_backends():
            backend = ibis.pyspark.connect(session)
            for name in EXTRACT_TABLE_NAMES:
                session.createDataFrame(tables[name]).createOrReplaceTempView(name)
            registered = {name: backend.table(name) for name in EXTRACT_TABLE_NAMES}
        return cls(backend, registered)

    def evaluate(self, dataset: Mapping[str, qm.Series]) -> pa.Table:
        compiler = _Compiler(self.tables, self.codes_as_tables, self.share_expressions)
        expression = compiler.compile(dataset)
        with quiet_backends():
            result = self.backend.to_pyarrow(expression)
        target = result_schema(dataset)
        result = result.select(target.names)
        columns = [
            result.column(name).cast(field.type)
            for name, field in zip(target.names, target, strict=True)
        ]
        table = pa.Table.from_arrays(columns, schema=target)
        return table.sort_by("patient_id")


class _Compiler:
    def __init__(
        self, tables: Mapping[str, ir.Table], codes_as_tables: bool, share_expressions: bool
    ) -> None:
        self.tables = tables
        self.share_expressions = share_expressions
        self.codes_as_tables = codes_as_tables
        self.code_tables: dict[frozenset[str], ir.Table] = {}
        self.shared: dict[qm.Series, str] = {}  # shared expression -> column of the wide table
        self.names: dict[qm.Series, str] = {}  # aggregate node -> column of the wide table
        self.bases: dict[Any, ir.Table] = {}

    def compile(self, dataset: Mapping[str, qm.Series]) -> ir.Table:
        nodes = [node for series in dataset.values() for node in qm.walk(series)]
        wide = self.tables["patients"]
        for table in self._aggregate_tables(nodes):
            wide = _left_join(wide, table)
        if any(isinstance(node, qm.PracticeOnDate) for node in nodes):
            for day in sorted({node.on for node in nodes if isinstance(node, qm.PracticeOnDate)}):
                wide = _left_join(wide, self._practice_on(day))
        # On Spark, expressions used more than once (the base population, age…) become columns
        # first, level by level, so the plan states each once instead of inlining it everywhere
        # (DuckDB eliminates common subexpressions itself and compiles the flat form faster).
        counts = Counter(
            node for node in nodes if self.share_expressions and isinstance(node, _SHAREABLE)
        )
        shared = [node for node, count in counts.items() if count > 1]
        for depth in sorted({_depth(node) for node in shared}):
            level = [node for node in shared if _depth(node) == depth]
            columns = {}
            for node in level:
                columns[f"_s{len(self.shared)}"] = self._series(node, wide)
                self.shared[node] = f"_s{len(self.shared)}"
            wide = wide.mutate(**columns)
        selections = {
            name: self._series(series, wide).cast(_IBIS_TYPES[series.type])
            for name, series in dataset.items()
        }
        return wide.select(patient_id=wide.patient_id, **selections)

    # --- aggregates ---------------------------------------------------------------------------

    def _aggregate_tables(self, nodes: list[qm.Series]) -> Iterator[ir.Table]:
        by_base: dict[Any, dict[str, ir.Scalar]] = {}
        for node in dict.fromkeys(nodes):  # de-duplicated, order kept
            if not isinstance(node, qm.Exists | qm.Count | qm.CountDistinct | qm.DateOf):
                continue
            base, conditions = qm.frame_root(node.frame)
            table = self._base(base)
            where = self._conditions(table, conditions)
            name = self.names.setdefault(node, f"_a{len(self.names)}")
            metrics = by_base.setdefault(base, {})
            if isinstance(node, qm.Exists | qm.Count):
                metrics[name] = table.patient_id.count(where=where)
            elif isinstance(node, qm.CountDistinct):
                metrics[name] = table[node.column].nunique(where=where)
            elif node.which == "latest":
                metrics[name] = table.date.max(where=where)
            else:
                metrics[name] = table.date.min(where=where)
        for base, metrics in by_base.items():
            table = self._base(base)
            yield table.group_by("patient_id").aggregate(**metrics)
        for node in dict.fromkeys(nodes):
            if isinstance(node, qm.ValueOnDate):
                yield self._value_on_date(node)

    def _value_on_date(self, node: qm.ValueOnDate) -> ir.Table:
        base, conditions = qm.frame_root(node.frame)
        table = self._base(base)
        value = self._row_value(table, node.value)
        rows = table.mutate(_value=value).filter(
            *[self._condition(table, c) for c in conditions], value.notnull()
        )
        day = rows.date.max() if node.which == "latest" else rows.date.min()
        days = rows.group_by("patient_id").aggregate(_day=day)
        on_day = rows.join(days, [rows.patient_id == days.patient_id, rows.date == days._day])
        name = self.names.setdefault(node, f"_a{len(self.names)}")
        return on_day.group_by("patient_id").aggregate(**{name: on_day._value.min()})

    def _practice_on(self, day: datetime.date) -> ir.Table:
        registrations = self.tables["practice_registrations"]
        active = registrations.filter(
            registrations.start_date <= day,
            registrations.end_date.isnull() | (registrations.end_date > day),
        )
        order = [
            active.start_date.desc(),
            active.end_date.desc(nulls_first=True),
            active.practice_code.asc(),
        ]
        ranked = active.mutate(_rank=ibis.row_number().over(group_by="patient_id", order_by=order))
        name = self.names.setdefault(qm.PracticeOnDate(day), f"_a{len(self.names)}")
        return ranked.filter(ranked._rank == 0).select("patient_id", **{name: ranked.practice_code})

    def _base(self, base: qm.EventTable | qm.WithCategory) -> ir.Table:
        if base not in self.bases:
            if isinstance(base, qm.EventTable):
                self.bases[base] = self.tables[base.name]
            else:
                inner, conditions = qm.frame_root(base.source)
                source = self._base(inner)
                if conditions:
                    source = source.filter(*[self._condition(source, c) for c in conditions])
                mapping = ibis.memtable(
                    pa.table(
                        {
                            "_code": [code for code, _ in sorted(base.mapping)],
                            "category": [category for _, category in sorted(base.mapping)],
                        }
                    )
                )
                joined = source.join(mapping, source[base.column] == mapping._code)
                self.bases[base] = joined.select(*source.columns, "category")
        return self.bases[base]

    def _conditions(self, table: ir.Table, conditions: tuple[qm.RowCondition, ...]) -> Any:
        if not conditions:
            return None
        combined = self._condition(table, conditions[0])
        for condition in conditions[1:]:
            combined = combined & self._condition(table, condition)
        return combined

    def _condition(self, table: ir.Table, condition: qm.RowCondition) -> ir.BooleanValue:
        if isinstance(condition, qm.CodeIn):
            return table[condition.column].isin(self._codes(condition.codes))
        if isinstance(condition, qm.NotNull):
            return table[condition.column].notnull()
        column = table[condition.column]
        result: ir.BooleanValue = column.notnull()
        if condition.after is not None:
            result = result & (column > condition.after)
        if condition.on_or_before is not None:
            result = result & (column <= condition.on_or_before)
        return result

    def _codes(self, codes: frozenset[str]) -> Any:
        if not self.codes_as_tables or len(codes) <= _SHORT_LIST:
            return sorted(codes)
        if codes not in self.code_tables:
            self.code_tables[codes] = ibis.memtable(pa.table({"code": sorted(codes)}))
        return self.code_tables[codes].code

    def _row_value(self, table: ir.Table, value: qm.RowValue) -> ir.Value:
        if isinstance(value, qm.RowColumn):
            return table[value.name]
        raw = table[value.column].cast("float64")
        rescaled = (raw - value.offset) * value.factor
        in_codes = table[value.code_column].isin(self._codes(value.codes))
        return ibis.ifelse(in_codes, rescaled, raw)

    # --- patient-level expressions ----------------------------------------------------------

    def _series(self, series: qm.Series, wide: ir.Table) -> Any:
        if series in self.shared:
            return wide[self.shared[series]]
        if isinstance(series, qm.PatientColumn):
            return wide[series.name]
        if isinstance(series, qm.Value):
            return ibis.literal(series.value, type=_IBIS_TYPES[series.type])
        if isinstance(series, qm.Exists):
            return wide[self.names[series]].fill_null(0) > 0
        if isinstance(series, qm.Count | qm.CountDistinct):
            return wide[self.names[series]].fill_null(0).cast("int64")
        if isinstance(series, qm.DateOf | qm.ValueOnDate | qm.PracticeOnDate):
            return wide[self.names[series]]
        if isinstance(series, qm.AgeOnDate):
            born = wide.date_of_birth
            birthday_to_come = (born.month() > series.on.month) | (
                (born.month() == series.on.month) & (born.day() > series.on.day)
            )
            return series.on.year - born.year().cast("int64") - ibis.ifelse(birthday_to_come, 1, 0)
        if isinstance(series, qm.Compare):
            left, right = self._series(series.left, wide), self._series(series.right, wide)
            return _COMPARE[series.op](left, right)
        if isinstance(series, qm.And | qm.Or):
            items = [self._series(item, wide) for item in series.items]
            combined = items[0]
            for item in items[1:]:
                combined = (combined & item) if isinstance(series, qm.And) else (combined | item)
            return combined
        if isinstance(series, qm.Not):
            return ~self._series(series.item, wide)
        if isinstance(series, qm.IsNull):
            return self._series(series.item, wide).isnull()
        if isinstance(series, qm.Arithmetic):
            left, right = self._series(series.left, wide), self._series(series.right, wide)
            if series.type is qm.Type.FLOAT:
                left = left.cast("float64")
            return _ARITHMETIC[series.op](left, right)
        if isinstance(series, qm.IfElse):
            condition = self._series(series.condition, wide).fill_null(False)
            then = self._series(series.then, wide)
            return ibis.ifelse(condition, then, self._series(series.otherwise, wide))
        return self._series(series.item, wide).fill_null(series.default.value)


_SHAREABLE = (
    qm.Compare,
    qm.And,
    qm.Or,
    qm.Not,
    qm.IsNull,
    qm.Arithmetic,
    qm.Coalesce,
    qm.IfElse,
    qm.AgeOnDate,
)


def _depth(series: qm.Series) -> int:
    """Height of the expression tree below `series` (leaves are 0)."""
    children = _direct_children(series)
    return 0 if not children else 1 + max(_depth(child) for child in children)


def _direct_children(series: qm.Series) -> tuple[qm.Series, ...]:
    if isinstance(series, qm.Compare | qm.Arithmetic):
        return (series.left, series.right)
    if isinstance(series, qm.And | qm.Or):
        return series.items
    if isinstance(series, qm.Not | qm.IsNull | qm.Coalesce):
        return (series.item,)
    if isinstance(series, qm.IfElse):
        return (series.condition, series.then, series.otherwise)
    return ()


def _left_join(wide: ir.Table, table: ir.Table) -> ir.Table:
    joined = wide.left_join(table, wide.patient_id == table.patient_id)
    return joined.drop("patient_id_right")


_COMPARE: dict[str, Any] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}
_ARITHMETIC: dict[str, Any] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}

__all__ = ["ARROW_TYPES", "IbisEngine", "quiet_backends"]
