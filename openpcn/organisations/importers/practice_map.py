"""Import `gp-reg-pat-prac-map.csv`: practice → PCN → sub-ICB location → ICB → region.

Both header variants are read: the current one (SUB_ICB_LOCATION_CODE, ICB_CODE, SUPPLIER_NAME)
and the older one before July 2022 (CCG_CODE, STP_CODE). PCNs are keyed on PCN_CODE, never on
name (two PCNs share the name GRAND UNION PCN). `U`/Unallocated is not a PCN.

Memberships keep history: a practice whose open membership is to another PCN has it ended at the
extract date and a new one opened from that date; a practice in the same PCN is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from openpcn.accounts.permissions import Permission
from openpcn.core import audit
from openpcn.core.actions import require_alliance_permission
from openpcn.organisations.importers.base import (
    CsvFile,
    ImportFileError,
    ImportResult,
    Progress,
    data_rows,
    find_columns,
    read_csv,
    report,
)
from openpcn.organisations.importers.registry import (
    BATCH_SIZE,
    OrganisationRecord,
    chunks,
    sync_organisations,
    update_rows,
)
from openpcn.organisations.models import NetworkMembership, OrganisationKind

# The pseudo-PCN code for practices that are in no PCN.
UNALLOCATED = "U"

REQUIRED: list[str | tuple[str, ...]] = [
    "EXTRACT_DATE",
    "PRACTICE_CODE",
    "PRACTICE_NAME",
    "PRACTICE_POSTCODE",
    "PCN_CODE",
    "PCN_NAME",
    ("SUB_ICB_LOCATION_CODE", "CCG_CODE"),
    ("ICB_CODE", "STP_CODE"),
    "COMM_REGION_CODE",
]
OPTIONAL: list[str | tuple[str, ...]] = ["SUPPLIER_NAME"]


@dataclass(frozen=True)
class MapRow:
    line: int
    practice_code: str
    pcn_code: str | None  # None when the practice is unallocated


def import_practice_map(
    *, by: Any, path: Path | str, progress: Progress | None = None
) -> ImportResult:
    """Upsert practices, PCNs and practice→PCN memberships from the map; all or nothing."""
    require_alliance_permission(by, Permission.ORGANISATION_EDIT)
    file = read_csv(path)
    if not file.records:
        raise ImportFileError(file.name, None, None, "the file is empty")
    result = ImportResult(
        kind="practice_map", file=file.name, sha256=file.sha256, rows=len(file.records) - 1
    )
    extract_date, practices, networks, rows = _validate(file, result=result, progress=progress)
    with transaction.atomic():
        by_code = sync_organisations(networks, file=file.name, what="networks", result=result)
        by_code.update(
            sync_organisations(practices, file=file.name, what="practices", result=result)
        )
        _sync_memberships(rows, by_code, extract_date=extract_date, file=file, result=result)
        audit.record(
            by=by,
            action="import_practice_map",
            object_type="file",
            object_label=file.name,
            after={"extract_date": extract_date.isoformat(), **result.audit_after()},
        )
    if progress is not None:
        progress(result.rows, result.rows)
    return result


def _validate(
    file: CsvFile, *, result: ImportResult, progress: Progress | None
) -> tuple[dt.date, list[OrganisationRecord], list[OrganisationRecord], list[MapRow]]:
    header_line, header = file.records[0]
    columns = find_columns(file.name, header, required=REQUIRED, optional=OPTIONAL)
    has_supplier = "SUPPLIER_NAME" in columns
    extract_date: dt.date | None = None
    practices: list[OrganisationRecord] = []
    networks: dict[str, OrganisationRecord] = {}
    rows: list[MapRow] = []
    seen: dict[str, int] = {}
    for done, row in enumerate(
        data_rows(file, columns, len(header), first=1, header=header), start=1
    ):
        report(progress, done, result.rows)
        date = row.date("EXTRACT_DATE", required=True)
        assert date is not None
        if extract_date is None:
            extract_date = date
        elif date != extract_date:
            raise row.error("EXTRACT_DATE", f"{date} differs from the first row's {extract_date}")
        code = row.code("PRACTICE_CODE")
        if code in seen:
            raise row.error("PRACTICE_CODE", f"{code} is already on row {seen[code]}")
        seen[code] = row.line
        pcn_code = row.code("PCN_CODE")
        pcn_name = row.text("PCN_NAME", required=True, max_length=200)
        if pcn_code == UNALLOCATED or pcn_name.lower() == "unallocated":
            rows.append(MapRow(row.line, code, None))
        else:
            if pcn_code not in networks:
                networks[pcn_code] = OrganisationRecord(
                    kind=OrganisationKind.NETWORK,
                    ods_code=pcn_code,
                    line=row.line,
                    column="PCN_CODE",
                    fields={"name": pcn_name},
                )
            rows.append(MapRow(row.line, code, pcn_code))
        fields: dict[str, Any] = {
            "name": row.text("PRACTICE_NAME", required=True, max_length=200),
            "postcode": row.text("PRACTICE_POSTCODE", max_length=10),
            "commissioner_code": row.code("SUB_ICB_LOCATION_CODE"),
            "icb_code": row.code("ICB_CODE"),
            "region_code": row.code("COMM_REGION_CODE"),
        }
        if has_supplier:
            fields["clinical_system"] = row.text("SUPPLIER_NAME", max_length=40)
        practices.append(
            OrganisationRecord(
                kind=OrganisationKind.PRACTICE,
                ods_code=code,
                line=row.line,
                column="PRACTICE_CODE",
                fields=fields,
            )
        )
    if extract_date is None:
        raise ImportFileError(file.name, header_line, None, "the file has a header but no rows")
    return extract_date, practices, list(networks.values()), rows


def _sync_memberships(
    rows: list[MapRow],
    by_code: dict[str, Any],
    *,
    extract_date: dt.date,
    file: CsvFile,
    result: ImportResult,
) -> None:
    """Record where each practice is on the extract date, ending (not overwriting) a move.

    A file older than what the registry already knows about a practice (a membership that
    starts, or ends, after the extract date) changes nothing for that practice.
    """
    practice_ids = sorted({by_code[r.practice_code].pk for r in rows})
    history: dict[int, list[NetworkMembership]] = defaultdict(list)
    for chunk in chunks(practice_ids):
        for membership in NetworkMembership.objects.filter(practice_id__in=chunk):
            history[membership.practice_id].append(membership)
    to_end: list[NetworkMembership] = []
    to_open: list[NetworkMembership] = []
    for row in rows:
        practice_id = by_code[row.practice_code].pk
        network_id = by_code[row.pcn_code].pk if row.pcn_code is not None else None
        memberships = history[practice_id]
        current = next((m for m in memberships if _covers(m, extract_date)), None)
        if (current.network_id if current is not None else None) == network_id:
            result.count("memberships", "unchanged", 1 if current is not None else 0)
            continue
        if any(_is_later(m, extract_date) for m in memberships):
            result.note("memberships_kept_newer")
            continue
        if current is not None:
            current.end_date = extract_date
            to_end.append(current)
        if network_id is not None:
            to_open.append(
                NetworkMembership(
                    practice_id=practice_id,
                    network_id=network_id,
                    start_date=extract_date,
                    source=file.name[:100],
                )
            )
    # End before opening: a practice may have only one open membership at a time.
    update_rows(NetworkMembership, to_end, ["end_date"])
    NetworkMembership.objects.bulk_create(to_open, batch_size=BATCH_SIZE)
    result.count("memberships", "updated", len(to_end))
    result.count("memberships", "created", len(to_open))


def _covers(membership: NetworkMembership, date: dt.date) -> bool:
    return membership.start_date <= date and (
        membership.end_date is None or membership.end_date > date
    )


def _is_later(membership: NetworkMembership, date: dt.date) -> bool:
    """True when the registry knows something of this practice after `date`."""
    return membership.start_date >= date or (
        membership.end_date is not None and membership.end_date > date
    )
