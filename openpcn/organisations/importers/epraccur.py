"""Import ODS `epraccur.csv`: every GP practice (prescribing cost centre) with its details.

The file has no header and 27 quoted columns (see ../shared/nhs-data/README.md). By default only
GP practices (prescribing setting 4) are taken; `all_settings=True` takes every row.
"""

from __future__ import annotations

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
    read_csv,
    report,
)
from openpcn.organisations.importers.registry import OrganisationRecord, sync_organisations
from openpcn.organisations.models import OrganisationKind, OrganisationStatus

# Column names by position, as the ODS documentation calls them; error messages use them.
COLUMNS = [
    "organisation code",
    "name",
    "national grouping",
    "high level health geography",
    "address line 1",
    "address line 2",
    "address line 3",
    "address line 4",
    "address line 5",
    "postcode",
    "open date",
    "close date",
    "status code",
    "organisation sub-type code",
    "commissioner",
    "join provider/purchaser date",
    "left provider/purchaser date",
    "contact telephone number",
    "null 19",
    "null 20",
    "null 21",
    "amended record indicator",
    "null 23",
    "provider/purchaser",
    "null 25",
    "prescribing setting",
    "null 27",
]
# Error messages name a column as "5 (address line 2)": its 1-based position and meaning.
LABELS = {name: f"{index + 1} ({name})" for index, name in enumerate(COLUMNS)}
GP_PRACTICE_SETTING = 4
STATUSES = {
    "A": OrganisationStatus.ACTIVE,
    "C": OrganisationStatus.CLOSED,
    "D": OrganisationStatus.DORMANT,
    "P": OrganisationStatus.PROPOSED,
}


def import_epraccur(
    *,
    by: Any,
    path: Path | str,
    all_settings: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Create or update practices from epraccur.csv; all or nothing, and idempotent."""
    require_alliance_permission(by, Permission.ORGANISATION_EDIT)
    file = read_csv(path)
    result = ImportResult(
        kind="epraccur", file=file.name, sha256=file.sha256, rows=len(file.records)
    )
    records = _validate(file, all_settings=all_settings, result=result, progress=progress)
    with transaction.atomic():
        sync_organisations(records, file=file.name, what="practices", result=result)
        audit.record(
            by=by,
            action="import_epraccur",
            object_type="file",
            object_label=file.name,
            after=result.audit_after(),
        )
    if progress is not None:
        progress(result.rows, result.rows)
    return result


def _validate(
    file: CsvFile, *, all_settings: bool, result: ImportResult, progress: Progress | None
) -> list[OrganisationRecord]:
    if not file.records:
        raise ImportFileError(file.name, None, None, "the file has no rows")
    columns = {LABELS[name]: index for index, name in enumerate(COLUMNS)}
    records: list[OrganisationRecord] = []
    seen: dict[str, int] = {}
    for done, row in enumerate(data_rows(file, columns, len(COLUMNS)), start=1):
        report(progress, done, result.rows)
        code = row.code(LABELS["organisation code"])
        setting = row.integer(LABELS["prescribing setting"])
        status_code = row.text(LABELS["status code"], required=True).upper()
        if status_code not in STATUSES:
            raise row.error(
                LABELS["status code"], f"{status_code!r} is not a status (A, C, D or P)"
            )
        open_date = row.date(LABELS["open date"], required=True)
        close_date = row.date(LABELS["close date"])
        if close_date is not None and open_date is not None and close_date < open_date:
            raise row.error(
                LABELS["close date"], f"closes {close_date} before it opens {open_date}"
            )
        if code in seen:
            raise row.error(LABELS["organisation code"], f"{code} is already on row {seen[code]}")
        seen[code] = row.line
        address = ", ".join(
            line
            for n in range(1, 6)
            if (line := row.text(LABELS[f"address line {n}"], max_length=100))
        )
        fields = {
            "name": row.text(LABELS["name"], required=True, max_length=200),
            "address": address,
            "postcode": row.text(LABELS["postcode"], max_length=10),
            "open_date": open_date,
            "close_date": close_date,
            "status": STATUSES[status_code],
            "region_code": row.code(LABELS["national grouping"], required=False),
            "icb_code": row.code(LABELS["high level health geography"], required=False),
            "commissioner_code": row.code(LABELS["commissioner"], required=False),
            "telephone": row.text(LABELS["contact telephone number"], max_length=40),
            "prescribing_setting": setting,
        }
        if not all_settings and setting != GP_PRACTICE_SETTING:
            result.skipped += 1
            continue
        records.append(
            OrganisationRecord(
                kind=OrganisationKind.PRACTICE,
                ods_code=code,
                line=row.line,
                column=LABELS["organisation code"],
                fields=fields,
            )
        )
    return records
