"""Reading a practice's worklist: the latest done refresh's private Parquet file for the practice.

A worklist holds patient-level rows (the extract's pseudonymous patient id, the indicator and the
reason), so only a role held in the practice itself opens it (see access.py); PCN and alliance
roles never do. When the extract gave NHS numbers the file holds them too, but they are read only
for a viewer holding PATIENT_IDENTIFIERS_VIEW through a role in the practice itself (a clinician,
not the practice manager); everyone else gets the pseudonymous ids alone. Rows are read from the
data directory on each request and never stored in the database or written to a log; the audit
log records only who looked, how, how many rows and whether NHS numbers were shown.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.http import Http404

from openpcn.accounts.permissions import Permission
from openpcn.organisations.models import Organisation, OrganisationKind
from openpcn.population import access, storage
from openpcn.population.engine.indicators import INDICATORS
from openpcn.population.models import IndicatorRefresh, JobStatus

PAGE_SIZE = 200
COLUMNS = ("patient_id", "indicator", "reason")
NHS_NUMBER = "nhs_number"  # in files written since the extract schema had it; null when not given
CSV_HEADER = ("patient_id", "indicator", "indicator_title", "reason")
CSV_HEADER_WITH_NHS_NUMBER = ("patient_id", NHS_NUMBER, "indicator", "indicator_title", "reason")
TITLES = {i.id: i.title for i in INDICATORS if i.worklist is not None}
KINDS = {i.id: i.worklist for i in INDICATORS if i.worklist is not None}
REASONS = {i.id: i.worklist_reason for i in INDICATORS if i.worklist is not None}
# A cell starting with one of these would run as a formula when the CSV is opened in a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def get_practice_or_404(user: object, pk: int) -> Organisation:
    """The practice by its pk, if the user holds a role in it granting WORKLIST_VIEW (else 404).

    Roles held in the practice's PCN, place or alliance do not count (access.practices_staffed).
    """
    if pk not in access.practices_staffed(user, Permission.WORKLIST_VIEW):
        raise Http404("No such worklist")
    practice = Organisation.objects.filter(pk=pk, kind=OrganisationKind.PRACTICE).first()
    if practice is None:
        raise Http404("No such worklist")
    return practice


def may_see_identifiers(user: object, practice: Organisation) -> bool:
    """Whether the user holds a role in the practice itself allowing NHS numbers to be shown."""
    return practice.pk in access.practices_staffed(user, Permission.PATIENT_IDENTIFIERS_VIEW)


def latest_refresh(practice: Organisation) -> IndicatorRefresh | None:
    """The most recently finished successful refresh of the practice's alliance."""
    if practice.alliance_id is None:
        return None
    return (
        IndicatorRefresh.objects.filter(alliance_id=practice.alliance_id, status=JobStatus.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class Group:
    """One indicator's part of a worklist."""

    indicator: str
    title: str
    reason: str
    kind: str | None  # "numerator" (case finding) or "gap" (in the denominator, not the numerator)
    count: int

    @property
    def label(self) -> str:
        """What the list is, as a heading: its reason, with a capital letter."""
        return sentence(self.reason or self.title)


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def choices() -> list[tuple[str, str]]:
    """Every indicator with a worklist, in the order rows are kept (by indicator id)."""
    return [(indicator, sentence(REASONS[indicator])) for indicator in sorted(REASONS)]


@dataclass
class Worklist:
    practice: Organisation
    refresh: IndicatorRefresh
    # patient_id, indicator, reason (and nhs_number, only when the viewer may see NHS numbers and
    # the file has any): sorted by indicator, then patient id
    table: pa.Table

    @property
    def identifiers(self) -> bool:
        """Whether the rows carry NHS numbers."""
        return NHS_NUMBER in self.table.column_names

    @property
    def identified(self) -> int:
        """How many rows carry an NHS number (0 when the viewer may not see them)."""
        if not self.identifiers:
            return 0
        numbers = self.table.column(NHS_NUMBER)
        return len(numbers) - numbers.null_count

    @property
    def total(self) -> int:
        return int(self.table.num_rows)

    def groups(self) -> list[Group]:
        if not self.total:
            return []
        summary = self.table.group_by("indicator").aggregate(
            [("patient_id", "count"), ("reason", "min")]
        )
        found = {
            row["indicator"]: (row["patient_id_count"], row["reason_min"])
            for row in summary.to_pylist()
        }
        return [
            Group(
                indicator=indicator,
                title=TITLES.get(indicator, indicator),
                reason=found[indicator][1],
                kind=KINDS.get(indicator),
                count=int(found[indicator][0]),
            )
            for indicator in sorted(found)
        ]

    def only(self, indicator: str) -> Worklist:
        """The rows of one indicator."""
        mask = pc.equal(self.table.column("indicator"), indicator)
        return Worklist(self.practice, self.refresh, self.table.filter(mask))

    def rows(self) -> Rows:
        return Rows(self.table)


class Rows:
    """A worklist's rows as a sequence a Paginator can slice, without converting them all."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table

    def __len__(self) -> int:
        return int(self.table.num_rows)

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            if step != 1:
                raise ValueError("Only contiguous slices of a worklist are read")
            return _described(self.table.slice(start, max(stop - start, 0)).to_pylist())
        if not 0 <= key < len(self):
            raise IndexError(key)
        return _described(self.table.slice(key, 1).to_pylist())[0]


def _described(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        row["title"] = TITLES.get(row["indicator"], row["indicator"])
        if NHS_NUMBER in row:
            row["nhs_number_display"] = spaced(row[NHS_NUMBER])
    return rows


def spaced(nhs_number: str | None) -> str:
    """An NHS number as people read it (3 3 4 digits); empty when there is none."""
    if not nhs_number:
        return ""
    return f"{nhs_number[:3]} {nhs_number[3:6]} {nhs_number[6:]}"


def read(
    practice: Organisation, refresh: IndicatorRefresh, identifiers: bool = False
) -> Worklist | None:
    """The practice's rows in the refresh, or None when the refresh holds no list for it.

    NHS numbers are read only when `identifiers` (the viewer may see them, may_see_identifiers)
    and kept only when the file has at least one; otherwise the rows have pseudonymous ids alone.
    """
    if not practice.ods_code:
        return None
    path = storage.worklist_file(refresh.pk, practice.ods_code)
    if not path.is_file():
        return None
    columns = list(COLUMNS)
    if identifiers and NHS_NUMBER in pq.read_schema(path).names:
        columns.append(NHS_NUMBER)
    table = pq.read_table(path, columns=columns)
    if NHS_NUMBER in table.column_names:
        numbers = table.column(NHS_NUMBER)
        if numbers.null_count == len(numbers):
            table = table.drop_columns([NHS_NUMBER])
    return Worklist(practice, refresh, table)


def filename(practice: Organisation, as_of: dt.date, indicator: str = "") -> str:
    part = f"-{indicator.lower().replace('_', '-')}" if indicator else ""
    return f"worklist-{practice.ods_code}-{as_of.isoformat()}{part}.csv"


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def csv_lines(worklist: Worklist, batch_rows: int = 5000) -> Iterator[str]:
    """The CSV, a batch of rows at a time: patient_id, (nhs_number, when the worklist carries
    NHS numbers: empty for a patient without one), indicator, indicator title, reason."""
    identifiers = worklist.identifiers
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER_WITH_NHS_NUMBER if identifiers else CSV_HEADER)
    yield out.getvalue()
    for batch in worklist.table.to_batches(max_chunksize=batch_rows):
        out.seek(0)
        out.truncate()
        for row in batch.to_pylist():
            number = [_cell(row[NHS_NUMBER] or "")] if identifiers else []
            writer.writerow(
                [
                    _cell(row["patient_id"]),
                    *number,
                    _cell(row["indicator"]),
                    _cell(TITLES.get(row["indicator"], row["indicator"])),
                    _cell(row["reason"]),
                ]
            )
        yield out.getvalue()
