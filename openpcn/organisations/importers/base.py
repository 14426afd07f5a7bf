"""What the NHS file importers share: file errors, reading rows, parsing fields, and the result.

Every importer reads and validates the whole file into plain Python values first (no database),
then writes in one transaction, so a bad file is rejected before anything is touched.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Progress = Callable[[int, int], None]

# Report progress every this many rows while validating: often enough for a smooth bar.
PROGRESS_EVERY = 500


class ImportFileError(Exception):
    """A file that cannot be imported, with where the problem is: file, row and column."""

    def __init__(
        self,
        file: str,
        row: int | None,
        column: str | None,
        message: str,
        *,
        sheet: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.message = message
        self.sheet = sheet
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class ImportResult:
    """What an import did. created/updated/unchanged add up every kind of record it touched."""

    kind: str
    file: str
    sha256: str
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    # Counts per record kind, e.g. {"practices_created": 3, "memberships_ended": 1}.
    details: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, outcome: str, n: int = 1) -> None:
        """Add n records of a kind (e.g. "practices") to an outcome (created/updated/unchanged)."""
        if n == 0:
            return
        setattr(self, outcome, getattr(self, outcome) + n)
        key = f"{what}_{outcome}"
        self.details[key] = self.details.get(key, 0) + n

    def note(self, key: str, n: int = 1) -> None:
        """Add to a detail count that is not a created/updated/unchanged outcome."""
        self.details[key] = self.details.get(key, 0) + n

    @property
    def summary(self) -> str:
        line = (
            f"{self.file}: {self.rows:,} rows; {self.created:,} created, "
            f"{self.updated:,} updated, {self.unchanged:,} unchanged"
        )
        if self.skipped:
            line += f", {self.skipped:,} rows skipped"
        return line

    def audit_after(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "sha256": self.sha256,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            **self.details,
        }


# -- dates ------------------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")  # 20191001 (ODS)
_DAY_MON_YEAR = re.compile(r"(\d{1,2})([A-Za-z]{3})(\d{4})")  # 01SEP2017, 01Jan2026
_DASHED = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4})")  # 01-Sep-20 (re-saved by Excel)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_date(text: str) -> dt.date:
    """A date as the NHS files write it: 20191001, 01SEP2017, 01Jan2026, 01-Sep-20 (or ISO).

    Raises ValueError for anything else, including impossible dates such as 20230230.
    """
    try:
        return _parse_date(text.strip())
    except ValueError as error:
        if str(error).startswith("not a date"):
            raise
        # datetime's own message ("day is out of range for month") does not show the value.
        raise ValueError(f"not a date: {text!r} ({error})") from None


def _parse_date(text: str) -> dt.date:
    if m := _COMPACT.fullmatch(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DAY_MON_YEAR.fullmatch(text):
        return dt.date(int(m[3]), _month(m[2], text), int(m[1]))
    if m := _DASHED.fullmatch(text):
        year = int(m[3])
        if len(m[3]) == 2:
            # Two-digit years only occur in Excel re-saves of recent extracts.
            year += 2000
        return dt.date(year, _month(m[2], text), int(m[1]))
    if m := _ISO.fullmatch(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _UK.fullmatch(text):
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    raise ValueError(f"not a date: {text!r}")


def _month(name: str, text: str) -> int:
    try:
        return MONTHS[name.lower()]
    except KeyError:
        raise ValueError(f"not a date: {text!r} (unknown month {name!r})") from None


def normalise_header(text: Any) -> str:
    """A header cell with line breaks and repeated spaces collapsed and the ends trimmed."""
    return " ".join(str(text if text is not None else "").split())


# -- rows -------------------------------------------------------------------------------------


class Row:
    """One data row of a file, with typed access to its fields by column name.

    Every accessor raises ImportFileError naming file, row and column, so an importer's
    validation reads as a list of the fields it needs.
    """

    def __init__(
        self,
        *,
        file: str,
        line: int,
        values: Sequence[Any],
        columns: dict[str, int],
        sheet: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.values = values
        self.columns = columns
        self.sheet = sheet

    def error(self, column: str | None, message: str) -> ImportFileError:
        return ImportFileError(self.file, self.line, column, message, sheet=self.sheet)

    def raw(self, column: str) -> Any:
        index = self.columns[column]
        return self.values[index] if index < len(self.values) else None

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.raw(column)
        if value is None:
            text = ""
        elif isinstance(value, str):
            text = value.strip()
        elif isinstance(value, bool | float | dt.date):
            raise self.error(column, f"expected text, found {value!r}")
        else:
            text = str(value).strip()
        if required and not text:
            raise self.error(column, "is empty; a value is required")
        if max_length is not None and len(text) > max_length:
            raise self.error(column, f"is {len(text)} characters long; at most {max_length} fit")
        return text

    def code(self, column: str, *, required: bool = True) -> str:
        """An ODS-style code: letters and digits, at most 10 characters, upper-cased."""
        text = self.text(column, required=required)
        if text and not re.fullmatch(r"[A-Za-z0-9]{1,10}", text):
            raise self.error(column, f"{text!r} is not an ODS code")
        return text.upper()

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        value = self.raw(column)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.error(column, "is empty; a date is required")
            return None
        if not isinstance(value, str):
            raise self.error(column, f"expected a date, found {value!r}")
        try:
            return parse_date(value)
        except ValueError as error:
            raise self.error(column, str(error)) from None

    def integer(self, column: str, *, required: bool = True, minimum: int = 0) -> int | None:
        value = self.raw(column)
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = "" if value is None else str(value).strip()
            if not text:
                if required:
                    raise self.error(column, "is empty; a whole number is required")
                return None
            if not re.fullmatch(r"[+-]?\d+", text):
                raise self.error(column, f"{text!r} is not a whole number")
            number = int(text)
        if number < minimum:
            raise self.error(column, f"{number} is less than {minimum}")
        return number


@dataclass(frozen=True)
class CsvFile:
    """A CSV file read whole: its name, checksum and rows with their line numbers in the file."""

    name: str
    sha256: str
    records: list[tuple[int, list[str]]]


def read_csv(path: Path | str) -> CsvFile:
    """Read a CSV file (CRLF or LF, quoted or not, with or without a BOM) into numbered records.

    A record's number is the line of the file it starts on (1-based), as a text editor shows it.
    Blank lines are dropped.
    """
    path = Path(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older NHS extracts are Windows-1252; every byte decodes, so no file is lost to this.
        text = data.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            if record:
                records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as error:
        raise ImportFileError(path.name, start, None, f"not valid CSV: {error}") from None
    return CsvFile(name=path.name, sha256=hashlib.sha256(data).hexdigest(), records=records)


def sha256_of(path: Path | str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def find_columns(
    file: str,
    header: Sequence[Any],
    *,
    required: Sequence[str | tuple[str, ...]],
    optional: Sequence[str | tuple[str, ...]] = (),
    sheet: str | None = None,
    line: int = 1,
) -> dict[str, int]:
    """Map column names to positions, finding each by (normalised) name.

    A requirement given as a tuple accepts any of its names (e.g. ("ORG_CODE", "CODE")); the
    result is keyed by the first name of the tuple so importers use one name.
    """
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = normalise_header(cell).upper()
        if name:
            positions.setdefault(name, index)
    columns: dict[str, int] = {}
    for wanted, is_required in [(r, True) for r in required] + [(o, False) for o in optional]:
        names = (wanted,) if isinstance(wanted, str) else wanted
        found = next((positions[n.upper()] for n in names if n.upper() in positions), None)
        if found is not None:
            columns[names[0]] = found
        elif is_required:
            label = " or ".join(names)
            raise ImportFileError(file, line, label, "missing from the header row", sheet=sheet)
    return columns


def data_rows(
    file: CsvFile,
    columns: dict[str, int],
    width: int,
    *,
    first: int = 0,
    header: Sequence[str] = (),
) -> Iterator[Row]:
    """The file's records from index `first` as Rows, rejecting any with the wrong field count.

    A truncated row is reported at its first missing column, named from `header` if given.
    """
    names = {index: name for index, name in enumerate(header) if name}
    names.update({index: name for name, index in columns.items()})
    for line, values in file.records[first:]:
        if len(values) < width:
            missing = names.get(len(values), f"{len(values) + 1}")
            raise ImportFileError(
                file.name,
                line,
                missing,
                f"truncated row: {len(values)} fields where {width} are expected",
            )
        if len(values) > width:
            raise ImportFileError(
                file.name,
                line,
                f"{width + 1}",
                f"{len(values)} fields where {width} are expected",
            )
        yield Row(file=file.name, line=line, values=values, columns=columns)


def report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
        progress(done, total)
