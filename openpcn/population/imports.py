"""Validating an uploaded extract and keeping it as private Parquet (the `import_extract` task).

Everything is checked before anything is kept: the engine's loader (types, required values,
references), then that every registration is at one of the alliance's practices and that every
NHS number given passes its check digit (engine.identifiers). On the first problem the extract is
marked failed with the file, row and field, and the uploaded files are removed; nothing is
half-loaded. Messages never quote a patient identifier.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.utils import timezone

from openpcn.population import registry_map, storage
from openpcn.population.engine import fhir, identifiers, schema
from openpcn.population.engine.identifiers import NHS_NUMBER_PROBLEM
from openpcn.population.engine.loading import ExtractError, load_extract
from openpcn.population.models import ExtractFormat, JobStatus, PopulationExtract

log = logging.getLogger(__name__)
_SUFFIXES = {
    ExtractFormat.CSV: (".csv",),
    ExtractFormat.PARQUET: (".parquet",),
    ExtractFormat.FHIR: (".json", ".ndjson"),
}


ProgressListener = Callable[[int, str], None]


def run_import(extract_id: int, on_progress: ProgressListener | None = None) -> None:
    """Validate and keep an uploaded extract; `on_progress(percent, message)` echoes progress."""
    extract = PopulationExtract.objects.select_related("alliance").get(pk=extract_id)
    if extract.status != JobStatus.QUEUED:
        return

    def _progress(_: PopulationExtract, percent: int, message: str, **fields: object) -> None:
        PopulationExtract.objects.filter(pk=extract.pk).update(
            progress=percent, progress_message=message, **fields
        )
        if on_progress is not None:
            on_progress(percent, message)

    _progress(extract, 5, "Reading the files", status=JobStatus.RUNNING)
    upload = storage.upload_folder(extract.pk)
    work = storage.private_folder(storage.root() / "extracts" / f".tmp-{extract.pk}")
    try:
        counts, practices, latest = _validate_and_keep(extract, upload, work, _progress)
        storage.publish(work, storage.extract_folder(extract.pk))
    except ExtractError as error:
        _progress(
            extract,
            100,
            "The extract was not loaded",
            status=JobStatus.FAILED,
            error_file=error.file,
            error_row=error.row,
            error_field=error.column or "",
            error=error.problem,
            finished_at=timezone.now(),
        )
    except Exception:
        log.exception("Loading extract %s failed", extract.pk)
        _progress(
            extract,
            100,
            "The extract was not loaded",
            status=JobStatus.FAILED,
            error="An unexpected error; it is in the server log",
            finished_at=timezone.now(),
        )
    else:
        _progress(
            extract,
            100,
            "Loaded",
            status=JobStatus.DONE,
            row_counts=counts,
            practice_codes=practices,
            latest_event_date=latest,
            finished_at=timezone.now(),
        )
    finally:
        storage.remove(upload)
        storage.remove(work)


def _validate_and_keep(
    extract: PopulationExtract, upload: Path, work: Path, _progress: Callable[..., None]
) -> tuple[dict[str, int], list[str], dt.date | None]:
    files = sorted(p for p in upload.iterdir() if p.is_file())
    allowed = _SUFFIXES[ExtractFormat(extract.file_format)]
    deprivation = _lookup(files)
    for path in files:
        if path != deprivation and path.suffix not in allowed:
            raise ExtractError(
                path.name,
                None,
                None,
                f"expected {' or '.join(allowed)} files for {extract.get_file_format_display()}",
            )
    source = upload
    if extract.file_format == ExtractFormat.FHIR:
        _progress(extract, 10, "Mapping FHIR resources onto the extract schema")
        bundles = [p for p in files if p != deprivation]
        if not bundles:
            raise ExtractError("upload", None, None, "no FHIR bundle (.json or .ndjson) uploaded")
        source = work / "fhir"
        fhir.write_extract(bundles, source)
    _progress(extract, 25, "Checking every row")
    links = registry_map.practice_links(extract.alliance, dt.date.today())
    org_map = registry_map.write_organisation_map(links, work / "organisation_map.csv")
    loaded = load_extract(source, deprivation, org_map)
    _check_practices(source, loaded.tables["practice_registrations"], set(links), extract)
    _check_nhs_numbers(source, loaded.tables["patients"])
    _progress(extract, 70, "Keeping the extract")
    for name, table in loaded.tables.items():
        pq.write_table(table, work / f"{name}.parquet")
    pq.write_table(loaded.deprivation, work / "deprivation.parquet")
    storage.remove(work / "fhir")
    org_map.unlink()
    counts = {name: table.num_rows for name, table in loaded.tables.items()}
    counts["deprivation"] = loaded.deprivation.num_rows
    registrations = loaded.tables["practice_registrations"]
    practices = sorted(pc.unique(registrations.column("practice_code")).to_pylist())
    events = loaded.tables["clinical_events"].column("date")
    latest = pc.max(events).as_py() if len(events) else None
    return counts, practices, latest


def _lookup(files: list[Path]) -> Path:
    for path in files:
        if path.stem == schema.DEPRIVATION.name and path.suffix in (".csv", ".parquet"):
            return path
    raise ExtractError(
        "deprivation.csv", None, None, "file not found: upload the LSOA to IMD decile lookup"
    )


def _check_practices(
    source: Path, registrations: pa.Table, known: set[str], extract: PopulationExtract
) -> None:
    codes = registrations.column("practice_code")
    unknown = pc.invert(pc.is_in(codes, value_set=pa.array(sorted(known), pa.string())))
    if not pc.any(unknown).as_py():
        return
    row = pc.index(unknown, True).as_py()
    name = _file_name(source, "practice_registrations")
    code = codes[row].as_py()
    raise ExtractError(
        name, row + 1, "practice_code", f"{code} is not a practice of {extract.alliance.name}"
    )


def _check_nhs_numbers(source: Path, patients: pa.Table) -> None:
    """Every NHS number given must pass the Modulus 11 check; the error never quotes it."""
    numbers = patients.column("nhs_number")
    if numbers.null_count == len(numbers):
        return
    invalid = pc.invert(identifiers.valid_nhs_numbers(numbers))
    if not pc.any(pc.fill_null(invalid, False)).as_py():
        return
    row = pc.index(pc.fill_null(invalid, False), True).as_py()
    raise ExtractError(
        _file_name(source, schema.PATIENTS.name), row + 1, "nhs_number", NHS_NUMBER_PROBLEM
    )


def _file_name(source: Path, table: str) -> str:
    return next((p.name for p in source.iterdir() if p.stem == table), table)
