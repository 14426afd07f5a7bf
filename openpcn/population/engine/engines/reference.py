"""The reference engine: a direct, slow, obviously-correct reading of the query model in Python.

It is the oracle the other engines are tested against, so it favours plain loops over speed.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pyarrow as pa

from openpcn.population.engine import query_model as qm
from openpcn.population.engine.engines import aggregate_table, result_schema

Row = dict[str, Any]
PerPatient = dict[str, Any]


class ReferenceEngine:
    def __init__(self, tables: Mapping[str, pa.Table]) -> None:
        patients = sorted(tables["patients"].to_pylist(), key=lambda row: row["patient_id"])
        self._patients: dict[str, Row] = {row["patient_id"]: row for row in patients}
        self._rows: dict[str, dict[str, list[Row]]] = {}
        for name in ("clinical_events", "medications", "practice_registrations"):
            by_patient: dict[str, list[Row]] = defaultdict(list)
            for row in tables[name].to_pylist():
                by_patient[row["patient_id"]].append(row)
            self._rows[name] = dict(by_patient)
        self._frames: dict[qm.Frame, dict[str, list[Row]]] = {}
        self._series: dict[qm.Series, PerPatient] = {}

    def evaluate(self, dataset: Mapping[str, qm.Series], where: str | None = None) -> pa.Table:
        patients = list(self._patients)
        if where is not None:
            keep = self._evaluate(dataset[where])
            patients = [pid for pid in patients if keep[pid] is True]
        columns: dict[str, list[Any]] = {"patient_id": patients}
        for name, series in dataset.items():
            values = self._evaluate(series)
            columns[name] = [values[patient_id] for patient_id in patients]
        return pa.table(columns, schema=result_schema(dataset))

    def aggregate(self, dataset: Mapping[str, qm.Series], by: Sequence[str]) -> pa.Table:
        """Per combination of the `by` columns: the number of patients true for each flag."""
        flags = [name for name in dataset if name not in by]
        totals: dict[tuple[Any, ...], list[int]] = {}
        rows = self.evaluate(dataset).to_pylist()
        for row in rows:
            key = tuple(row[name] for name in by)
            sums = totals.setdefault(key, [0] * len(flags))
            for index, name in enumerate(flags):
                sums[index] += row[name] is True
        return aggregate_table(dataset, by, totals)

    # --- frames -------------------------------------------------------------------------------

    def _frame(self, frame: qm.Frame) -> dict[str, list[Row]]:
        if frame not in self._frames:
            self._frames[frame] = self._build_frame(frame)
        return self._frames[frame]

    def _build_frame(self, frame: qm.Frame) -> dict[str, list[Row]]:
        if isinstance(frame, qm.EventTable):
            return self._rows[frame.name]
        source = self._frame(frame.source)
        if isinstance(frame, qm.Where):
            keep = _row_condition(frame.condition)
            return {pid: [row for row in rows if keep(row)] for pid, rows in source.items()}
        categories: dict[str, list[str]] = defaultdict(list)
        for code, category in frame.mapping:
            categories[code].append(category)
        return {
            pid: [
                {**row, "category": category}
                for row in rows
                for category in categories.get(row[frame.column], [])
            ]
            for pid, rows in source.items()
        }

    # --- series -------------------------------------------------------------------------------

    def _evaluate(self, series: qm.Series) -> PerPatient:
        if series not in self._series:
            self._series[series] = {pid: self._value(series, pid) for pid in self._patients}
        return self._series[series]

    def _value(self, series: qm.Series, pid: str) -> Any:
        if isinstance(series, qm.PatientColumn):
            return self._patients[pid][series.name]
        if isinstance(series, qm.Value):
            return series.value
        if isinstance(series, qm.MapColumn):
            lookup = dict(series.mapping)
            return lookup.get(self._patients[pid][series.column], series.default)
        if isinstance(series, qm.AgeOnDate):
            return _age(self._patients[pid]["date_of_birth"], series.on)
        if isinstance(series, qm.PracticeOnDate):
            return _practice_on(self._rows["practice_registrations"].get(pid, []), series.on)
        if isinstance(series, qm.Exists | qm.Count | qm.CountDistinct | qm.DateOf | qm.ValueOnDate):
            return _aggregate(series, self._frame(series.frame).get(pid, []))
        if isinstance(series, qm.Compare):
            return _compare(
                series.op, self._evaluate(series.left)[pid], self._evaluate(series.right)[pid]
            )
        if isinstance(series, qm.And):
            return _kleene_and([self._evaluate(item)[pid] for item in series.items])
        if isinstance(series, qm.Or):
            return _kleene_or([self._evaluate(item)[pid] for item in series.items])
        if isinstance(series, qm.Not):
            value = self._evaluate(series.item)[pid]
            return None if value is None else not value
        if isinstance(series, qm.IsNull):
            return self._evaluate(series.item)[pid] is None
        if isinstance(series, qm.Arithmetic):
            left, right = self._evaluate(series.left)[pid], self._evaluate(series.right)[pid]
            return None if left is None or right is None else _ARITHMETIC[series.op](left, right)
        if isinstance(series, qm.IfElse):
            chosen = (
                series.then if self._evaluate(series.condition)[pid] is True else series.otherwise
            )
            return self._evaluate(chosen)[pid]
        value = self._evaluate(series.item)[pid]
        return series.default.value if value is None else value


def _row_condition(condition: qm.RowCondition) -> Callable[[Row], bool]:
    if isinstance(condition, qm.CodeIn):
        return lambda row: row[condition.column] in condition.codes
    if isinstance(condition, qm.NotNull):
        return lambda row: row[condition.column] is not None

    def in_range(row: Row) -> bool:
        value = row[condition.column]
        if value is None:
            return False
        if condition.after is not None and not value > condition.after:
            return False
        return condition.on_or_before is None or value <= condition.on_or_before

    return in_range


def _row_value(value: qm.RowValue, row: Row) -> Any:
    if isinstance(value, qm.RowColumn):
        return row[value.name]
    raw = row[value.column]
    if raw is None or row[value.code_column] not in value.codes:
        return raw
    return (raw - value.offset) * value.factor


def _aggregate(series: qm.Series, rows: list[Row]) -> Any:
    if isinstance(series, qm.Exists):
        return bool(rows)
    if isinstance(series, qm.Count):
        return len(rows)
    if isinstance(series, qm.CountDistinct):
        return len({row[series.column] for row in rows if row[series.column] is not None})
    pick = max if series.which == "latest" else min  # type: ignore[union-attr]
    if isinstance(series, qm.DateOf):
        dates = [row["date"] for row in rows if row["date"] is not None]
        return pick(dates) if dates else None
    assert isinstance(series, qm.ValueOnDate)
    valued = [
        (row["date"], value)
        for row in rows
        if row["date"] is not None and (value := _row_value(series.value, row)) is not None
    ]
    if not valued:
        return None
    day = pick(date for date, _ in valued)
    return min(value for date, value in valued if date == day)


def _age(born: datetime.date | None, on: datetime.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _practice_on(registrations: list[Row], on: datetime.date) -> str | None:
    active = [
        row
        for row in registrations
        if row["start_date"] <= on and (row["end_date"] is None or row["end_date"] > on)
    ]
    if not active:
        return None
    # Latest start first; then the longest (an open end beats any date); then lowest code.
    latest_start = max(row["start_date"] for row in active)
    active = [row for row in active if row["start_date"] == latest_start]
    open_ended = [row for row in active if row["end_date"] is None]
    if open_ended:
        active = open_ended
    else:
        latest_end = max(row["end_date"] for row in active)
        active = [row for row in active if row["end_date"] == latest_end]
    return str(min(row["practice_code"] for row in active))


def _compare(op: str, left: Any, right: Any) -> bool | None:
    if left is None or right is None:
        return None
    return bool(_COMPARISONS[op](left, right))


_COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}
_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


def _kleene_and(values: list[bool | None]) -> bool | None:
    if any(value is False for value in values):
        return False
    return None if any(value is None for value in values) else True


def _kleene_or(values: list[bool | None]) -> bool | None:
    if any(value is True for value in values):
        return True
    return None if any(value is None for value in values) else False
