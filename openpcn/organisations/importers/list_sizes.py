"""Import registered list sizes: `gp-reg-pat-prac-quin-age.csv` and the single-year-of-age family.

One PopulationSnapshot per practice at the file's EXTRACT_DATE: registered is the practice's
SEX=ALL, AGE=ALL row (or the sum of its rows when it has none) and the bands are its sex × age
rows (`0_4` … `90_94`, `95+` in the quin-age file; `0` … `94`, `95+` in the single-age ones).
Columns are found by name, so ORG_CODE/CODE, ORG_TYPE/TYPE and AGE_GROUP_5/AGE all work.
Bands must add up to their ALL rows, or the file is rejected.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
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
    Row,
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
from openpcn.organisations.models import (
    OrganisationKind,
    PopulationBand,
    PopulationSnapshot,
    Sex,
)

ALL = "ALL"
SEXES: dict[str, Any] = {"FEMALE": Sex.FEMALE, "MALE": Sex.MALE}
REQUIRED: list[str | tuple[str, ...]] = [
    "EXTRACT_DATE",
    ("ORG_CODE", "CODE", "PRACTICE_CODE"),
    "SEX",
    ("AGE_GROUP_5", "AGE"),
    "NUMBER_OF_PATIENTS",
]
OPTIONAL: list[str | tuple[str, ...]] = [("ORG_TYPE", "TYPE"), "POSTCODE"]
# Practice rows only: a file may also carry totals for other organisation types.
PRACTICE_ORG_TYPE = "GP"

BandKey = tuple[str, int]  # (sex, age_from)
BandValue = tuple[int | None, int]  # (age_to, patients)


@dataclass
class PracticeList:
    """One practice's rows in the file, gathered while validating."""

    code: str
    line: int
    postcode: str
    total: tuple[int, int] | None = None  # (line, patients) of the ALL/ALL row
    sex_totals: dict[str, tuple[int, int]] = field(default_factory=dict)
    bands: dict[BandKey, BandValue] = field(default_factory=dict)
    band_lines: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    @property
    def registered(self) -> int:
        if self.total is not None:
            return self.total[1]
        if self.sex_totals:
            return sum(patients for _, patients in self.sex_totals.values())
        return sum(patients for _, patients in self.bands.values())


def parse_age_band(text: str) -> tuple[int, int | None]:
    """`0_4` → (0, 4); `95+` → (95, None); `37` → (37, 37). Raises ValueError otherwise."""
    value = text.strip()
    if m := re.fullmatch(r"(\d{1,3})_(\d{1,3})", value):
        age_from, age_to = int(m[1]), int(m[2])
        if age_to < age_from:
            raise ValueError(f"{text!r} is not an age band: it ends before it starts")
        return age_from, age_to
    if m := re.fullmatch(r"(\d{1,3})\+", value):
        return int(m[1]), None
    if re.fullmatch(r"\d{1,3}", value):
        return int(value), int(value)
    raise ValueError(f"{text!r} is not an age or age band")


def import_list_sizes(
    *, by: Any, path: Path | str, progress: Progress | None = None
) -> ImportResult:
    """Record each practice's registered list at the file's extract date; all or nothing."""
    require_alliance_permission(by, Permission.POPULATION_IMPORT)
    file = read_csv(path)
    if not file.records:
        raise ImportFileError(file.name, None, None, "the file is empty")
    result = ImportResult(
        kind="list_sizes", file=file.name, sha256=file.sha256, rows=len(file.records) - 1
    )
    extract_date, lists = _validate(file, result=result, progress=progress)
    with transaction.atomic():
        practices = sync_organisations(
            [
                OrganisationRecord(
                    kind=OrganisationKind.PRACTICE,
                    ods_code=practice.code,
                    line=practice.line,
                    column="ORG_CODE",
                    fields={},
                    # A later epraccur or practice-map import gives the practice its name.
                    create_only={"name": practice.code, "postcode": practice.postcode},
                )
                for practice in lists
            ],
            file=file.name,
            what="practices",
            result=result,
        )
        _sync_snapshots(lists, practices, extract_date=extract_date, file=file, result=result)
        audit.record(
            by=by,
            action="import_list_sizes",
            object_type="file",
            object_label=file.name,
            after={
                "extract_date": extract_date.isoformat(),
                "practices": len(lists),
                "registered": sum(p.registered for p in lists),
                **result.audit_after(),
            },
        )
    if progress is not None:
        progress(result.rows, result.rows)
    return result


def _validate(
    file: CsvFile, *, result: ImportResult, progress: Progress | None
) -> tuple[dt.date, list[PracticeList]]:
    header_line, header = file.records[0]
    columns = find_columns(file.name, header, required=REQUIRED, optional=OPTIONAL)
    extract_date: dt.date | None = None
    lists: dict[str, PracticeList] = {}
    for done, row in enumerate(
        data_rows(file, columns, len(header), first=1, header=header), start=1
    ):
        report(progress, done, result.rows)
        date = row.date("EXTRACT_DATE", required=True)
        if extract_date is None:
            extract_date = date
        elif date != extract_date:
            raise row.error("EXTRACT_DATE", f"{date} differs from the first row's {extract_date}")
        patients = row.integer("NUMBER_OF_PATIENTS")
        assert patients is not None
        if "ORG_TYPE" in columns and row.text("ORG_TYPE").upper() != PRACTICE_ORG_TYPE:
            result.skipped += 1
            continue
        code = row.code("ORG_CODE")
        practice = lists.get(code)
        if practice is None:
            postcode = row.text("POSTCODE", max_length=10) if "POSTCODE" in columns else ""
            practice = lists[code] = PracticeList(code=code, line=row.line, postcode=postcode)
        _add_row(practice, row, patients)
    if extract_date is None:
        raise ImportFileError(file.name, header_line, None, "the file has a header but no rows")
    for practice in lists.values():
        _check_sums(practice, file)
    return extract_date, list(lists.values())


def _add_row(practice: PracticeList, row: Row, patients: int) -> None:
    sex = row.text("SEX", required=True).upper()
    age = row.text("AGE_GROUP_5", required=True).upper()
    if sex != ALL and sex not in SEXES:
        raise row.error("SEX", f"{sex!r} is not FEMALE, MALE or ALL")
    if age == ALL:
        if sex == ALL:
            if practice.total is not None:
                raise row.error("SEX", f"a second ALL, ALL row for {practice.code}")
            practice.total = (row.line, patients)
        else:
            if sex in practice.sex_totals:
                raise row.error("SEX", f"a second {sex}, ALL row for {practice.code}")
            practice.sex_totals[sex] = (row.line, patients)
        return
    try:
        age_from, age_to = parse_age_band(age)
    except ValueError as error:
        raise row.error("AGE_GROUP_5", str(error)) from None
    if sex == ALL:
        # Per-age rows for both sexes together repeat the MALE and FEMALE rows: nothing to store.
        return
    key = (SEXES[sex], age_from)
    if key in practice.bands:
        raise row.error("AGE_GROUP_5", f"a second {sex} {age} row for {practice.code}")
    practice.bands[key] = (age_to, patients)
    practice.band_lines[sex].append(row.line)


def _check_sums(practice: PracticeList, file: CsvFile) -> None:
    """Each sex's bands add up to that sex's ALL row; everything adds up to the ALL, ALL row."""
    for sex, (line, total) in practice.sex_totals.items():
        bands = sum(p for (s, _), (_, p) in practice.bands.items() if s == SEXES[sex])
        if practice.band_lines[sex] and bands != total:
            raise ImportFileError(
                file.name,
                line,
                "NUMBER_OF_PATIENTS",
                f"{practice.code}'s {sex} age bands add up to {bands:,}, "
                f"not to its {sex}, ALL row's {total:,}",
            )
    if practice.total is None:
        return
    line, total = practice.total
    if set(practice.sex_totals) == set(SEXES):
        by_sex = sum(patients for _, patients in practice.sex_totals.values())
        if by_sex != total:
            raise ImportFileError(
                file.name,
                line,
                "NUMBER_OF_PATIENTS",
                f"{practice.code}'s FEMALE and MALE rows add up to {by_sex:,}, not {total:,}",
            )
    if all(practice.band_lines[sex] for sex in SEXES):
        bands = sum(patients for _, patients in practice.bands.values())
        if bands != total:
            raise ImportFileError(
                file.name,
                line,
                "NUMBER_OF_PATIENTS",
                f"{practice.code}'s age bands add up to {bands:,}, not {total:,}",
            )


def _sync_snapshots(
    lists: list[PracticeList],
    practices: dict[str, Any],
    *,
    extract_date: dt.date,
    file: CsvFile,
    result: ImportResult,
) -> None:
    existing = {s.practice_id: s for s in PopulationSnapshot.objects.filter(date=extract_date)}
    existing_bands: dict[int, set[tuple[str, int, int | None, int]]] = defaultdict(set)
    snapshot_ids = sorted(s.pk for s in existing.values())
    for chunk in chunks(snapshot_ids):
        for snapshot_id, sex, age_from, age_to, patients in PopulationBand.objects.filter(
            snapshot_id__in=chunk
        ).values_list("snapshot_id", "sex", "age_from", "age_to", "patients"):
            existing_bands[snapshot_id].add((sex, age_from, age_to, patients))
    source = file.name[:100]
    to_create: list[PopulationSnapshot] = []
    to_update: list[PopulationSnapshot] = []
    bands_for: dict[int, list[tuple[str, int, int | None, int]]] = {}
    for practice in lists:
        practice_id = practices[practice.code].pk
        wanted = [
            (sex, age_from, age_to, patients)
            for (sex, age_from), (age_to, patients) in sorted(practice.bands.items())
        ]
        bands_for[practice_id] = wanted
        snapshot = existing.get(practice_id)
        if snapshot is None:
            to_create.append(
                PopulationSnapshot(
                    practice_id=practice_id,
                    date=extract_date,
                    registered=practice.registered,
                    source=source,
                )
            )
        elif (
            snapshot.registered != practice.registered
            or snapshot.source != source
            or existing_bands[snapshot.pk] != set(wanted)
        ):
            snapshot.registered = practice.registered
            snapshot.source = source
            to_update.append(snapshot)
    PopulationSnapshot.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    update_rows(PopulationSnapshot, to_update, ["registered", "source"])
    updated_ids = [s.pk for s in to_update]
    for chunk in chunks(updated_ids):
        PopulationBand.objects.filter(snapshot_id__in=chunk).delete()
    # Read back the new snapshots' ids (bulk_create does not return them on every backend).
    written = {
        s.practice_id: s.pk
        for s in PopulationSnapshot.objects.filter(date=extract_date).only("id", "practice_id")
    }
    changed_practices = [s.practice_id for s in to_create] + [s.practice_id for s in to_update]
    PopulationBand.objects.bulk_create(
        (
            PopulationBand(
                snapshot_id=written[practice_id],
                sex=sex,
                age_from=age_from,
                age_to=age_to,
                patients=patients,
            )
            for practice_id in changed_practices
            for sex, age_from, age_to, patients in bands_for[practice_id]
        ),
        batch_size=BATCH_SIZE * 4,
    )
    result.count("snapshots", "created", len(to_create))
    result.count("snapshots", "updated", len(to_update))
    result.count("snapshots", "unchanged", len(lists) - len(to_create) - len(to_update))
