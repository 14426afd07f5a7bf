"""Import ODS `ePCN.xlsx`: PCNs (sheet `PCNDetails`) and practice → PCN history
(sheet `PCN Core Partner Details`).

Every cell is text, dates too; header cells hold line breaks and trailing spaces, so names are
matched after normalising whitespace. Whole sheets are read: the auto-filter stops short of the
last rows. ODS end dates are the last day in the PCN (the next PCN starts the day after, and some
relationships start and end on the same day), while the registry's end dates are exclusive, so a
membership is stored as ending the day after the file's End Date.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from django.db import transaction

from openpcn.accounts.permissions import Permission
from openpcn.core import audit
from openpcn.core.actions import require_alliance_permission
from openpcn.organisations.importers.base import (
    ImportFileError,
    ImportResult,
    Progress,
    Row,
    find_columns,
    report,
    sha256_of,
)
from openpcn.organisations.importers.registry import (
    BATCH_SIZE,
    OrganisationRecord,
    chunks,
    sync_organisations,
    update_rows,
)
from openpcn.organisations.models import NetworkMembership, OrganisationKind, OrganisationStatus

DETAILS_SHEET = "PCNDetails"
PARTNERS_SHEET = "PCN Core Partner Details"
ADDRESS_LINES = [f"Address Line {n}" for n in range(1, 6)]
DETAILS_REQUIRED: list[str | tuple[str, ...]] = [
    "PCN Code",
    "PCN Name",
    "Open Date",
    "Close Date",
    "Postcode",
]
DETAILS_OPTIONAL: list[str | tuple[str, ...]] = [
    ("Current Sub ICB Loc Code", "Current CCG Code"),
    *ADDRESS_LINES,
]
PARTNERS_REQUIRED: list[str | tuple[str, ...]] = [
    "Partner Organisation Code",
    "Partner Name",
    "PCN Code",
    "PCN Name",
    "Practice to PCN Relationship Start Date",
    "Practice to PCN Relationship End Date",
]
PARTNERS_OPTIONAL: list[str | tuple[str, ...]] = [
    ("Practice Parent Sub ICB Loc Code", "Practice Parent CCG Code")
]
START = "Practice to PCN Relationship Start Date"
END = "Practice to PCN Relationship End Date"
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Relationship:
    """A practice's membership of a PCN as the partner sheet gives it."""

    line: int
    practice_code: str
    pcn_code: str
    start_date: dt.date
    end_date: dt.date | None  # exclusive: the day after the file's End Date


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[tuple[int, tuple[Any, ...]]]  # (row number in the sheet, cell values)


def import_epcn(*, by: Any, path: Path | str, progress: Progress | None = None) -> ImportResult:
    """Upsert PCNs and practice→PCN memberships with their history; all or nothing."""
    require_alliance_permission(by, Permission.ORGANISATION_EDIT)
    path = Path(path)
    details, partners = _read_workbook(path)
    result = ImportResult(
        kind="epcn",
        file=path.name,
        sha256=sha256_of(path),
        rows=len(details.rows) + len(partners.rows) - 2,
    )
    networks = _validate_details(path.name, details, result, progress)
    practices, relationships = _validate_partners(path.name, partners, networks, result, progress)
    with transaction.atomic():
        by_code = sync_organisations(
            list(networks.values()), file=path.name, what="networks", result=result
        )
        by_code.update(
            sync_organisations(practices, file=path.name, what="practices", result=result)
        )
        _sync_memberships(relationships, by_code, file=path.name, result=result)
        audit.record(
            by=by,
            action="import_epcn",
            object_type="file",
            object_label=path.name,
            after=result.audit_after(),
        )
    if progress is not None:
        progress(result.rows, result.rows)
    return result


def _read_workbook(path: Path) -> tuple[Sheet, Sheet]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(path.name, None, None, f"not an Excel workbook: {error}") from None
    try:
        sheets = []
        for name in (DETAILS_SHEET, PARTNERS_SHEET):
            if name not in workbook.sheetnames:
                raise ImportFileError(path.name, None, None, f"has no sheet named {name!r}")
            worksheet = workbook[name]
            # Ignore the stored dimension and auto-filter: read every row in the sheet.
            worksheet.reset_dimensions()
            rows = [
                (number, values)
                for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
                if any(v is not None and v != "" for v in values)
            ]
            if not rows:
                raise ImportFileError(path.name, None, None, "the sheet is empty", sheet=name)
            sheets.append(Sheet(name=name, rows=rows))
    finally:
        workbook.close()
    return sheets[0], sheets[1]


def _rows(
    file: str,
    sheet: Sheet,
    required: Sequence[str | tuple[str, ...]],
    optional: Sequence[str | tuple[str, ...]],
) -> list[Row]:
    header_line, header = sheet.rows[0]
    columns = find_columns(
        file, header, required=required, optional=optional, sheet=sheet.name, line=header_line
    )
    return [
        Row(file=file, line=line, values=values, columns=columns, sheet=sheet.name)
        for line, values in sheet.rows[1:]
    ]


def _validate_details(
    file: str, sheet: Sheet, result: ImportResult, progress: Progress | None
) -> dict[str, OrganisationRecord]:
    networks: dict[str, OrganisationRecord] = {}
    for done, row in enumerate(_rows(file, sheet, DETAILS_REQUIRED, DETAILS_OPTIONAL), start=1):
        report(progress, done, result.rows)
        code = row.code("PCN Code")
        if code in networks:
            raise row.error("PCN Code", f"{code} is already on row {networks[code].line}")
        open_date = row.date("Open Date", required=True)
        close_date = row.date("Close Date")
        if close_date is not None and open_date is not None and close_date < open_date:
            raise row.error("Close Date", f"closes {close_date} before it opens {open_date}")
        address = ", ".join(
            line
            for column in ADDRESS_LINES
            if column in row.columns and (line := row.text(column, max_length=100))
        )
        commissioner = (
            row.code("Current Sub ICB Loc Code", required=False)
            if "Current Sub ICB Loc Code" in row.columns
            else ""
        )
        networks[code] = OrganisationRecord(
            kind=OrganisationKind.NETWORK,
            ods_code=code,
            line=row.line,
            column="PCN Code",
            sheet=sheet.name,
            fields={
                "name": row.text("PCN Name", required=True, max_length=200),
                "open_date": open_date,
                "close_date": close_date,
                "status": OrganisationStatus.CLOSED if close_date else OrganisationStatus.ACTIVE,
                "address": address,
                "postcode": row.text("Postcode", max_length=10),
                "commissioner_code": commissioner,
            },
        )
    return networks


def _validate_partners(
    file: str,
    sheet: Sheet,
    networks: dict[str, OrganisationRecord],
    result: ImportResult,
    progress: Progress | None,
) -> tuple[list[OrganisationRecord], list[Relationship]]:
    practices: dict[str, OrganisationRecord] = {}
    relationships: list[Relationship] = []
    seen: dict[tuple[str, str, dt.date], int] = {}
    open_on: dict[str, int] = {}
    offset = len(networks)
    rows = _rows(file, sheet, PARTNERS_REQUIRED, PARTNERS_OPTIONAL)
    for done, row in enumerate(rows, start=offset + 1):
        report(progress, done, result.rows)
        practice_code = row.code("Partner Organisation Code")
        pcn_code = row.code("PCN Code")
        start = row.date(START, required=True)
        assert start is not None
        last_day = row.date(END)
        if last_day is not None and last_day < start:
            raise row.error(END, f"ends {last_day} before it starts {start}")
        key = (practice_code, pcn_code, start)
        if key in seen:
            raise row.error(START, f"the same relationship is already on row {seen[key]}")
        seen[key] = row.line
        if last_day is None:
            if practice_code in open_on:
                raise row.error(
                    END,
                    f"{practice_code} already has an open relationship on row "
                    f"{open_on[practice_code]}; a practice is in one PCN at a time",
                )
            open_on[practice_code] = row.line
        if pcn_code not in networks:
            # A PCN missing from PCNDetails still exists: create it from the partner row.
            networks[pcn_code] = OrganisationRecord(
                kind=OrganisationKind.NETWORK,
                ods_code=pcn_code,
                line=row.line,
                column="PCN Code",
                sheet=sheet.name,
                fields={},
                create_only={"name": row.text("PCN Name", required=True, max_length=200)},
            )
        if practice_code not in practices:
            commissioner = (
                row.code("Practice Parent Sub ICB Loc Code", required=False)
                if "Practice Parent Sub ICB Loc Code" in row.columns
                else ""
            )
            practices[practice_code] = OrganisationRecord(
                kind=OrganisationKind.PRACTICE,
                ods_code=practice_code,
                line=row.line,
                column="Partner Organisation Code",
                sheet=sheet.name,
                fields={},
                # epraccur is the source of practice details; this only fills in new practices.
                create_only={
                    "name": row.text("Partner Name", required=True, max_length=200),
                    "commissioner_code": commissioner,
                },
            )
        relationships.append(
            Relationship(
                line=row.line,
                practice_code=practice_code,
                pcn_code=pcn_code,
                start_date=start,
                end_date=last_day + ONE_DAY if last_day is not None else None,
            )
        )
    return list(practices.values()), relationships


def _sync_memberships(
    relationships: list[Relationship],
    by_code: dict[str, Any],
    *,
    file: str,
    result: ImportResult,
) -> None:
    """Create or update the file's memberships, keyed on (practice, PCN, start date).

    A practice's open membership from elsewhere (e.g. a later practice map) is reconciled the way
    a move is: whichever of it and the file's open membership starts first ends when the other
    starts, so the practice stays in one PCN at a time and history is kept.
    """
    practice_ids = sorted({by_code[r.practice_code].pk for r in relationships})
    existing: dict[tuple[int, int, dt.date], NetworkMembership] = {}
    for chunk in chunks(practice_ids):
        for membership in NetworkMembership.objects.filter(practice_id__in=chunk):
            existing[(membership.practice_id, membership.network_id, membership.start_date)] = (
                membership
            )
    file_keys = {
        (by_code[r.practice_code].pk, by_code[r.pcn_code].pk, r.start_date): r
        for r in relationships
    }
    other_open: dict[int, NetworkMembership] = {
        m.practice_id: m
        for key, m in existing.items()
        if m.end_date is None and key not in file_keys
    }
    wanted_end: dict[tuple[int, int, dt.date], dt.date | None] = {}
    for key, relationship in file_keys.items():
        end = relationship.end_date
        other = other_open.get(key[0])
        if end is None and other is not None:
            if other.start_date > relationship.start_date:
                end = other.start_date
            elif other.start_date < relationship.start_date:
                other.end_date = relationship.start_date
            else:
                raise ImportFileError(
                    file,
                    relationship.line,
                    START,
                    f"{relationship.practice_code} is already in PCN {other.network_id} in the "
                    f"registry from {other.start_date}; it cannot join two PCNs on one day",
                    sheet=PARTNERS_SHEET,
                )
        wanted_end[key] = end
    ending: list[NetworkMembership] = [m for m in other_open.values() if m.end_date is not None]
    reopening: list[NetworkMembership] = []
    to_create: list[NetworkMembership] = []
    unchanged = 0
    for key, end in wanted_end.items():
        membership = existing.get(key)
        if membership is None:
            to_create.append(
                NetworkMembership(
                    practice_id=key[0],
                    network_id=key[1],
                    start_date=key[2],
                    end_date=end,
                    source=file[:100],
                )
            )
        elif membership.end_date != end:
            membership.end_date = end
            (ending if end is not None else reopening).append(membership)
        else:
            unchanged += 1
    # End memberships before any open: a practice has at most one open membership at a time.
    update_rows(NetworkMembership, ending, ["end_date"])
    update_rows(NetworkMembership, reopening, ["end_date"])
    NetworkMembership.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    result.count("memberships", "created", len(to_create))
    result.count("memberships", "updated", len(ending) + len(reopening))
    result.count("memberships", "unchanged", unchanged)
    by_practice: dict[int, int] = defaultdict(int)
    for key in wanted_end:
        by_practice[key[0]] += 1
    result.note("practices_with_history", sum(1 for n in by_practice.values() if n > 1))
