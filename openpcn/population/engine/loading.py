"""Load and validate a GP extract (CSV or Parquet, one file per table) and its two lookups.

Everything is checked before anything is returned: types, required columns and values, dates,
allowed values, uniqueness and references (an event for an unknown patient). The first problem
raises `ExtractError` naming the file, the row (data rows counted from 1, after the header) and
the column; error messages never quote a patient identifier. Checks are vectorised (Arrow
compute) so a national-scale extract validates in seconds.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from openpcn.population.engine import schema

_ARROW = {
    schema.ColumnType.STRING: pa.string(),
    schema.ColumnType.DATE: pa.date32(),
    schema.ColumnType.FLOAT: pa.float64(),
    schema.ColumnType.INTEGER: pa.int64(),
}
_PATTERNS = {
    schema.ColumnType.DATE: r"^\d{4}-\d{2}-\d{2}$",
    schema.ColumnType.FLOAT: r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$",
    schema.ColumnType.INTEGER: r"^[+-]?\d+$",
}
_EXPECTED = {
    schema.ColumnType.DATE: "a date as YYYY-MM-DD",
    schema.ColumnType.FLOAT: "a number",
    schema.ColumnType.INTEGER: "a whole number",
}


class ExtractError(ValueError):
    """A file failed validation; nothing from the extract was loaded."""

    def __init__(self, file: str, row: int | None, column: str | None, problem: str) -> None:
        self.file, self.row, self.column, self.problem = file, row, column, problem
        where = [file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {problem}")


@dataclass(frozen=True)
class Extract:
    """A validated extract: typed Arrow tables keyed by table name, plus the two lookups."""

    tables: dict[str, pa.Table]
    deprivation: pa.Table
    organisation_map: pa.Table


def load_extract(directory: Path, deprivation: Path, organisation_map: Path) -> Extract:
    directory = Path(directory)
    if not directory.is_dir():
        raise ExtractError(str(directory), None, None, "extract folder not found")
    paths = {table.name: _find(directory, table.name) for table in schema.EXTRACT_TABLES}
    tables = {table.name: load_table(paths[table.name], table) for table in schema.EXTRACT_TABLES}
    patient_ids = tables["patients"].column("patient_id")
    for name in ("practice_registrations", "clinical_events", "medications"):
        _check_references(tables[name], paths[name].name, patient_ids)
    return Extract(
        tables=tables,
        deprivation=load_table(Path(deprivation), schema.DEPRIVATION),
        organisation_map=load_table(Path(organisation_map), schema.ORGANISATION_MAP),
    )


def _find(directory: Path, name: str) -> Path:
    for suffix in (".parquet", ".csv"):
        path = directory / f"{name}{suffix}"
        if path.is_file():
            return path
    raise ExtractError(f"{directory / name}.csv", None, None, "file not found (.csv or .parquet)")


def load_table(path: Path, table: schema.Table) -> pa.Table:
    """Read one file and return it with exactly the table's columns, typed; or raise."""
    if not path.is_file():
        raise ExtractError(path.name, None, None, "file not found")
    raw = _read(path, table)
    columns = {
        column.name: _typed_column(path.name, column, raw.column(column.name))
        if column.name in raw.column_names
        else pa.nulls(raw.num_rows, _ARROW[column.type])
        for column in table.columns
    }
    typed = pa.table(columns)
    _check_rules(path.name, table, typed)
    return typed


def _read(path: Path, table: schema.Table) -> pa.Table:
    if path.suffix == ".parquet":
        try:
            raw = pq.read_table(path)
        except (pa.ArrowException, OSError) as error:
            raise ExtractError(
                path.name, None, None, f"not a readable Parquet file ({error})"
            ) from error
        present = raw.column_names
    else:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            present = next(csv.reader(handle), [])
        present = [name.strip() for name in present]
    for column in table.columns:
        if column.required and column.name not in present:
            raise ExtractError(path.name, None, column.name, "required column is missing")
    if path.suffix == ".parquet":
        return raw
    wanted = [name for name in table.column_names if name in present]
    try:
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding="utf-8-sig"),
            convert_options=pacsv.ConvertOptions(
                include_columns=wanted,
                column_types={name: pa.string() for name in wanted},
                null_values=[""],
                strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as error:
        raise ExtractError(path.name, None, None, f"not a readable CSV file ({error})") from error


def _typed_column(file: str, column: schema.Column, values: pa.ChunkedArray) -> pa.ChunkedArray:
    target = _ARROW[column.type]
    if values.type != target:
        if pa.types.is_timestamp(values.type) and column.type is schema.ColumnType.DATE:
            values = values.cast(pa.date32())
        elif not (pa.types.is_integer(values.type) and column.type is schema.ColumnType.FLOAT):
            values = _parse(file, column, values.cast(pa.string()))
        values = values.cast(target)
    if column.type is schema.ColumnType.STRING:
        values = pc.utf8_trim_whitespace(values)
        values = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
    if column.required and values.null_count:
        _fail_where(file, column.name, pc.is_null(values), "a value is required")
    if column.choices:
        allowed = pc.is_in(values, value_set=pa.array(column.choices))
        _fail_where(
            file, column.name, pc.invert(allowed), f"must be one of {', '.join(column.choices)}"
        )
    return values


def _parse(file: str, column: schema.Column, text: pa.ChunkedArray) -> pa.ChunkedArray:
    text = pc.utf8_trim_whitespace(text)
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    if column.type is schema.ColumnType.STRING:
        return text
    well_formed = pc.match_substring_regex(text, _PATTERNS[column.type])
    _fail_where(file, column.name, pc.invert(well_formed), f"expected {_EXPECTED[column.type]}")
    if column.type is schema.ColumnType.DATE:
        parsed = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
        # Arrow rolls impossible days over (2021-02-29 -> 03-01): a real date prints back the same.
        printed = pc.strftime(parsed, format="%Y-%m-%d")
        invalid = pc.and_(
            pc.is_valid(text), pc.invert(pc.fill_null(pc.equal(printed, text), False))
        )
        _fail_where(file, column.name, invalid, "not a real calendar date")
        return parsed.cast(pa.date32())
    return text.cast(_ARROW[column.type])


def _check_rules(file: str, table: schema.Table, typed: pa.Table) -> None:
    """Rules across rows and columns: identifiers unique, dates in order, sensible values."""
    if table is schema.PATIENTS:
        _unique(file, typed, "patient_id")
        born = typed.column("date_of_birth")
        _fail_where(file, "date_of_birth", pc.not_equal(pc.day(born), 1), "must be the 1st")
        died = typed.column("date_of_death")
        _fail_where(file, "date_of_death", pc.less(died, born), "before the date of birth")
    elif table is schema.PRACTICE_REGISTRATIONS:
        start, end = typed.column("start_date"), typed.column("end_date")
        _fail_where(file, "end_date", pc.less(end, start), "before the start date")
    elif table is schema.DEPRIVATION:
        _unique(file, typed, "lsoa_code")
        decile = typed.column("imd_decile")
        out_of_range = pc.or_(pc.less(decile, 1), pc.greater(decile, 10))
        _fail_where(file, "imd_decile", out_of_range, "must be 1 to 10")
    elif table is schema.ORGANISATION_MAP:
        _unique(file, typed, "practice_code")
        size = typed.column("list_size")
        _fail_where(file, "list_size", pc.less(size, 0), "must not be negative")


def _check_references(events: pa.Table, file: str, patient_ids: pa.ChunkedArray) -> None:
    known = pc.is_in(events.column("patient_id"), value_set=patient_ids.combine_chunks())
    _fail_where(file, "patient_id", pc.invert(known), "unknown patient (not in patients)")


def _unique(file: str, typed: pa.Table, column: str) -> None:
    values = typed.column(column)
    if len(pc.unique(values)) == len(values):
        return
    seen: set[object] = set()
    for index, value in enumerate(values.to_pylist()):
        if value in seen:
            raise ExtractError(file, index + 1, column, "duplicate value")
        seen.add(value)


def _fail_where(file: str, column: str, mask: pa.ChunkedArray | pa.Array, problem: str) -> None:
    """Raise for the first row where `mask` is true (null counts as false)."""
    mask = pc.fill_null(mask, False)
    if not pc.any(mask).as_py():
        return
    first = pc.index(mask, True).as_py()
    raise ExtractError(file, first + 1, column, problem)
