"""The Ibis engine: compiles the query model into one Ibis expression, run on DuckDB or PySpark.

Plan: every aggregate over frames with the same base (an event table, or a categorised frame) is
computed in ONE grouped pass using filtered aggregates (`max(date) WHERE code IN …`); values on
the latest/first date need a second pass; the practice on a date is a window over registrations.
Each pass yields one row per patient, left-joined onto the patients table, and the patient-level
expressions are then plain column expressions on that wide table.
"""

from __future__ import annotations

import datetime
import hashlib
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from openpcn.population.engine import query_model as qm
from openpcn.population.engine.engines import ARROW_TYPES, aggregate_table, result_schema

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
        session: Any = None,
    ) -> None:
        self.backend = backend
        self.session = session
        self.lookups: dict[str, ir.Table] = {}
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
        return cls(backend, registered, session=session)

    def evaluate(self, dataset: Mapping[str, qm.Series], where: str | None = None) -> pa.Table:
        expression = self._compile(dataset)
        if where is not None:
            expression = expression.filter(expression[where])
        result = self._execute(expression)
        target = result_schema(dataset)
        columns = [
            result.column(name).cast(field.type)
            for name, field in zip(target.names, target, strict=True)
        ]
        return pa.Table.from_arrays(columns, schema=target).sort_by("patient_id")

    def aggregate(self, dataset: Mapping[str, qm.Series], by: Sequence[str]) -> pa.Table:
        expression = self._compile(dataset)
        flags = [name for name in dataset if name not in by]
        grouped = expression.group_by(list(by)).aggregate(
            **{name: expression[name].cast("int64").sum() for name in flags}
        )
        rows = self._execute(grouped).to_pylist()
        totals = {
            tuple(row[name] for name in by): [int(row[name] or 0) for name in flags] for row in rows
        }
        return aggregate_table(dataset, by, totals)

    def _compile(self, dataset: Mapping[str, qm.Series]) -> ir.Table:
        compiler = _Compiler(
            self.tables, self._lookup, self.codes_as_tables, self.share_expressions
        )
        return compiler.compile(dataset)

    def _execute(self, expression: ir.Table) -> pa.Table:
        with quiet_backends():
            if self.backend.name == "duckdb":
                # Ibis' own fetch adds a DB-API copy; DuckDB's relation API hands Arrow over.
                sql = self.backend.compile(expression)
                result: pa.Table = self.backend.con.sql(sql).to_arrow_table()
                return result
            return self.backend.to_pyarrow(expression)

    def _lookup(self, table: pa.Table) -> ir.Table:
        """A small table (codes, a code-to-category map) registered once under a content name."""
        digest = hashlib.sha256("\x1f".join(table.column_names).encode())
        for column in table.columns:
            digest.update("\x1f".join(str(value) for value in column.to_pylist()).encode())
            digest.update(b"\x1e")
        name = f"_lookup_{digest.hexdigest()[:16]}"
        if name not in self.lookups:
            with quiet_backends():
                if self.backend.name == "duckdb":
                    self.backend.con.register(f"{name}_arrow", table)
                    # The name is a hex digest made here, never input.
                    self.backend.raw_sql(
                        f'CREATE TEMP TABLE "{name}" AS SELECT * FROM "{name}_arrow"'  # noqa: S608
                    )
                    self.backend.con.unregister(f"{name}_arrow")
                else:
                    self.session.createDataFrame(table).createOrReplaceTempView(name)
                self.lookups[name] = self.backend.table(name)
        return self.lookups[name]


class _Compiler:
    def __init__(
        self,
        tables: Mapping[str, ir.Table],
        lookup: Callable[[pa.Table], ir.Table],
        codes_as_tables: bool,
        share_expressions: bool,
    ) -> None:
        self.tables = tables
        self.lookup = lookup  # registers a small table (codes, a mapping) with the backend
        self.share_expressions = share_expressions
        self.codes_as_tables = codes_as_tables
        self.shared: dict[qm.Series, str] = {}  # shared expression -> column of the wide table
        self.names: dict[qm.Series, str] = {}  # aggregate node -> column of the wide table
        self.bases: dict[Any, ir.Table] = {}

    def compile(self, dataset: Mapping[str, qm.Series]) -> ir.Table:
        nodes = [node for series in dataset.values() for node in qm.walk(series)]
        wide = self.tables["patients"]
        for table in self._aggregate_tables(nodes):
            wide = _left_join(wide, table)
        for mapped in dict.fromkeys(n for n in nodes if isinstance(n, qm.MapColumn)):
            # A left join on unique keys: one row per patient stays one row.
            name = self.names.setdefault(mapped, f"_a{len(self.names)}")
            lookup = self.lookup(
                pa.table(
                    {
                        "_key": [key for key, _ in sorted(mapped.mapping)],
                        "_label": [label for _, label in sorted(mapped.mapping)],
                    }
                )
            )
            joined = wide.left_join(lookup, wide[mapped.column] == lookup._key)
            wide = joined.drop("_key").rename({name: "_label"})
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
        yield from self._values_on_dates(
            [n for n in dict.fromkeys(nodes) if isinstance(n, qm.ValueOnDate)]
        )

    def _values_on_dates(self, nodes: list[qm.ValueOnDate]) -> Iterator[ir.Table]:
        """Every value-on-date over one base in one pass: the rows each node keeps are stacked,
        the first/latest date found per (patient, node), the lowest value on it taken, and the
        result pivoted to one column per node."""
        batches: dict[tuple[Any, str, qm.Type], list[qm.ValueOnDate]] = {}
        for node in nodes:
            base, _ = qm.frame_root(node.frame)
            batches.setdefault((base, node.which, node.type), []).append(node)
        for (base, which, value_type), batch in batches.items():
            table = self._base(base)
            parts = []
            for index, node in enumerate(batch):
                _, conditions = qm.frame_root(node.frame)
                value = self._row_value(table, node.value).cast(_IBIS_TYPES[value_type])
                kept = table.filter(
                    *[self._condition(table, c) for c in conditions], value.notnull()
                )
                parts.append(
                    kept.select(
                        patient_id=kept.patient_id,
                        _node=ibis.literal(index, type="int64"),
                        date=kept.date,
                        _value=self._row_value(kept, node.value).cast(_IBIS_TYPES[value_type]),
                    )
                )
            rows = parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)
            day = rows.date.max() if which == "latest" else rows.date.min()
            days = rows.group_by(["patient_id", "_node"]).aggregate(_day=day)
            on_day = rows.join(
                days,
                [
                    rows.patient_id == days.patient_id,
                    rows._node == days._node,
                    rows.date == days._day,
                ],
            )
            lowest = on_day.group_by(["patient_id", "_node"]).aggregate(_lowest=on_day._value.min())
            columns = {}
            for index, node in enumerate(batch):
                name = self.names.setdefault(node, f"_a{len(self.names)}")
                columns[name] = lowest._lowest.max(where=lowest._node == index)
            yield lowest.group_by("patient_id").aggregate(**columns)

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
                mapping = self.lookup(
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
        return self.lookup(pa.table({"code": sorted(codes)})).code

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
        if isinstance(series, qm.MapColumn):
            return wide[self.names[series]].fill_null(series.default)
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
