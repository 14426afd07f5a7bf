"""FHIR R4 bundles -> the four extract tables (patients, practice_registrations, clinical_events,
medications), typed exactly as `schema` says, so `loading` checks them like any CSV extract.

Input: `.json` files holding one Bundle (or one resource) and `.ndjson` files holding one
resource or one Bundle a line (FHIR Bulk Data export). Everything from all files is read before
anything is mapped, so references may cross files (Observation.ndjson -> Patient.ndjson).

Mapping
-------
Patient (one patients row and one practice_registrations row):
- `id` -> patient_id (required, unique across the files);
- `birthDate` -> date_of_birth, truncated to the 1st of its month as the extract schema requires
  (a year-only birthDate is an error);
- `gender` female/male -> female/male; other/unknown/absent -> unknown;
- `deceasedDateTime` (its date part) -> date_of_death; `deceasedBoolean: true` without a date is
  an error (the engine would count the patient as alive);
- `identifier` with system `NHS_NUMBER_SYSTEM` (https://fhir.nhs.uk/Id/nhs-number) -> nhs_number
  (the first such identifier with a value; it must be 10 digits passing the Modulus 11 check
  digit). Without one nhs_number is empty: worklists then show the pseudonymous id only;
- lsoa_code: the `valueString` (or `valueCode`) of an `address[].extension` whose url is
  `LSOA_EXTENSION_URL` (https://fhir.openpcn.org/StructureDefinition/lsoa-code), preferring a
  `home` address without `period.end`. No standard FHIR element carries the LSOA, so feeds should
  add this extension; without it lsoa_code is empty (IMD group "unknown");
- practice_code: the ODS code of the first `generalPractitioner` that is an Organization, given
  as `reference.identifier` (system `ODS_SYSTEM`), a contained Organization (`#id`) or an
  Organization anywhere in the files (`Organization/<id>`, a `urn:uuid:` fullUrl or an absolute
  URL); Practitioner references are passed over. None found is an error;
- start_date/end_date: `registrationPeriod.start`/`.end` (valuePeriod, date part) in the
  registration details extension on the Patient (`REGISTRATION_DETAILS_URLS`: the url this
  project documents for UK Core, and GP Connect's CareConnect-GPC-RegistrationDetails-1, which
  defines the shape: a complex extension with a `registrationPeriod` sub-extension). UK Core R4's
  Patient profile has no registration details extension of its own, so feeds should add this one;
  a missing start date is an error.
Condition -> a clinical_events row: `subject` -> patient_id; the first SNOMED CT coding
  (system `SNOMED_SYSTEM`) in `code.coding` -> snomedct_code; `onsetDateTime`, else
  `recordedDate` -> date; numeric_value empty. Skipped when `verificationStatus` is
  entered-in-error or refuted (resolved conditions are kept: the engine reads resolved codes).
Observation -> clinical_events rows: `subject`; `effectiveDateTime`, else `effectivePeriod.start`,
  else `effectiveInstant` -> date. Its own SNOMED code gives a row with `valueQuantity.value`
  (or `valueInteger`) as numeric_value (units are not converted and comparators such as `<` are
  dropped); each `component[]` gives a further row with its own code and value. A component's code
  is its SNOMED coding, or LOINC 8480-6/8462-4 mapped to systolic 271649006/diastolic 271650006,
  so a blood pressure panel becomes one systolic and one diastolic row. An Observation with no
  SNOMED code on itself or any component is an error. Skipped when `status` is entered-in-error
  or cancelled.
MedicationStatement -> a medications row: `subject`; the first dm+d coding (system
  `DMD_SYSTEM`), else the first SNOMED CT coding, of `medicationCodeableConcept` (or of the
  `code` of a Medication given by `medicationReference`, contained or in the files) -> dmd_code;
  `effectiveDateTime`, else `effectivePeriod.start`, else `dateAsserted` -> date. Skipped when
  `status` is entered-in-error or not-taken.
`subject.reference` may be `Patient/<id>`, an absolute URL ending in it, or the fullUrl (e.g.
`urn:uuid:…`) of a Patient in the files; anything else is an error. Dates are the date part of a
FHIR date/dateTime as written (no time-zone conversion); partial dates are errors. Organization
and Medication resources are read only to resolve references; any other resource type is counted
in `FhirSummary.ignored` and left out.

Errors raise `ExtractError(file, row, column, problem)`: row is the entry's position in the
Bundle (from 1) for a `.json` file and the line number for `.ndjson` (for a Bundle on one line the
problem names the entry); column is a FHIR path such as `Observation.subject`. Messages never
quote an identifier, code or value. `write_extract` writes nothing unless everything mapped.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.parquet as pq

from openpcn.population.engine import schema
from openpcn.population.engine.identifiers import (
    NHS_NUMBER_PROBLEM,
    NHS_NUMBER_SYSTEM,
    is_valid_nhs_number,
)
from openpcn.population.engine.loading import ExtractError

LSOA_EXTENSION_URL = "https://fhir.openpcn.org/StructureDefinition/lsoa-code"
REGISTRATION_DETAILS_URLS = (
    "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-RegistrationDetails",
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-RegistrationDetails-1",
    "https://fhir.nhs.uk/StructureDefinition/Extension-CareConnect-GPC-RegistrationDetails-1",
)
REGISTRATION_PERIOD = "registrationPeriod"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
SNOMED_SYSTEM = "http://snomed.info/sct"
DMD_SYSTEM = "https://dmd.nhs.uk"
LOINC_SYSTEM = "http://loinc.org"
SYSTOLIC, DIASTOLIC = "271649006", "271650006"
LOINC_BLOOD_PRESSURE = {"8480-6": SYSTOLIC, "8462-4": DIASTOLIC}

MAPPED_TYPES = ("Patient", "Condition", "Observation", "MedicationStatement")
REFERENCED_TYPES = ("Organization", "Medication")
_SEX = {"female": "female", "male": "male", "other": "unknown", "unknown": "unknown"}
_SKIP_CONDITION = frozenset({"entered-in-error", "refuted"})
_SKIP_OBSERVATION = frozenset({"entered-in-error", "cancelled"})
_SKIP_MEDICATION = frozenset({"entered-in-error", "not-taken"})
_REGISTRATION = "Patient.extension:registrationDetails.registrationPeriod"

_ARROW = {
    schema.ColumnType.STRING: pa.string(),
    schema.ColumnType.DATE: pa.date32(),
    schema.ColumnType.FLOAT: pa.float64(),
    schema.ColumnType.INTEGER: pa.int64(),
}
_FULL_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?")
_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2})?")
_BIRTH_DATE = re.compile(r"(\d{4})-(\d{2})(-(\d{2}))?")
_CODE = re.compile(r"[0-9]{6,18}")
_HISTORY = re.compile(r"/_history/[^/]*$")
_T = TypeVar("_T")


@dataclass(frozen=True)
class FhirSummary:
    """The mapped tables and what was read: resources used by type, other types ignored, and
    resources of a mapped type left out because of their status (entered-in-error and the like)."""

    tables: dict[str, pa.Table]
    resources: dict[str, int]
    ignored: dict[str, int]
    skipped: dict[str, int]

    @property
    def row_counts(self) -> dict[str, int]:
        return {name: table.num_rows for name, table in self.tables.items()}


def read_bundles(paths: Sequence[Path]) -> dict[str, pa.Table]:
    """The four extract tables, typed as `schema` says, from FHIR files; or raise ExtractError."""
    return read_fhir(paths).tables


def write_extract(paths: Sequence[Path], out_folder: Path) -> dict[str, int]:
    """Write `<table>.parquet` for the four tables in out_folder; returns rows per table."""
    return write_extract_with_summary(paths, out_folder).row_counts


def write_extract_with_summary(paths: Sequence[Path], out_folder: Path) -> FhirSummary:
    """As `write_extract`, returning the whole summary (ignored and skipped counts too).

    Everything is mapped before anything is written; the files are written to a temporary
    folder beside out_folder and moved into place, so a failure leaves out_folder untouched."""
    out = Path(out_folder)
    if out.exists() and not out.is_dir():
        raise ExtractError(out.name, None, None, "output is not a folder")
    summary = read_fhir(paths)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", suffix=".partial", dir=out.parent))
    try:
        for name, table in summary.tables.items():
            pq.write_table(table, staging / f"{name}.parquet")
        if out.exists():
            for name in summary.tables:
                os.replace(staging / f"{name}.parquet", out / f"{name}.parquet")
        else:
            os.replace(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary


def read_fhir(paths: Sequence[Path]) -> FhirSummary:
    """Read every file, then map every resource; the first problem raises ExtractError."""
    items = [item for path in paths for item in _read_file(Path(path))]
    return _Mapper(items).run()


# Reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Where:
    """Where a resource came from: file, row (Bundle entry or ndjson line) and, for a Bundle on
    an ndjson line, the entry within it."""

    file: str
    row: int | None
    entry: int | None = None

    def error(self, column: str | None, problem: str) -> ExtractError:
        if self.entry is not None:
            problem = f"Bundle entry {self.entry}: {problem}"
        return ExtractError(self.file, self.row, column, problem)


@dataclass(frozen=True)
class _Item:
    where: _Where
    resource: dict[str, Any]
    full_url: str | None


def _read_file(path: Path) -> Iterator[_Item]:
    name = path.name
    if not path.is_file():
        raise ExtractError(name, None, None, "file not found")
    suffix = path.suffix.lower()
    if suffix not in (".json", ".ndjson"):
        raise ExtractError(name, None, None, "expected a .json Bundle or an .ndjson file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ExtractError(name, None, None, "not UTF-8 text") from None
    if suffix == ".json":
        yield from _items(_parse_json(text, _Where(name, None)), name, None)
        return
    # Split on newlines only: JSON strings may hold other Unicode line separators.
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            yield from _items(_parse_json(line, _Where(name, number)), name, number)


def _reject_constant(constant: str) -> Any:
    raise ValueError(f"{constant} is not valid JSON")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)  # NaN/Infinity are not JSON


def _parse_json(text: str, where: _Where) -> Any:
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as error:
        at = f"column {error.colno}" if where.row else f"line {error.lineno}, column {error.colno}"
        raise where.error(None, f"not valid JSON ({error.msg} at {at})") from None
    except (ValueError, RecursionError) as error:
        raise where.error(None, f"not valid JSON ({error})") from None


def _items(document: Any, file: str, line: int | None) -> Iterator[_Item]:
    where = _Where(file, line if line is not None else 1)
    if not isinstance(document, dict) or not isinstance(document.get("resourceType"), str):
        raise _Where(file, line).error("resourceType", "not a FHIR resource (no resourceType)")
    if document["resourceType"] != "Bundle":
        yield _Item(where, document, None)
        return
    entries = document.get("entry", [])
    if not isinstance(entries, list):
        raise _Where(file, line).error("Bundle.entry", "must be a list")
    for number, entry in enumerate(entries, 1):
        at = _Where(file, number) if line is None else _Where(file, line, number)
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
            raise at.error("Bundle.entry.resource", "the entry holds no FHIR resource")
        full_url = entry.get("fullUrl")
        yield _Item(at, resource, full_url if isinstance(full_url, str) else None)


# Mapping -----------------------------------------------------------------------------------


class _Mapper:
    def __init__(self, items: list[_Item]) -> None:
        self.items = items
        self.patients: dict[str, str] = {}  # reference key (Patient/<id>, fullUrl) -> id
        self.resources: dict[str, dict[str, Any]] = {}  # reference key -> resource
        self.used: Counter[str] = Counter()
        self.ignored: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()
        self.rows: dict[str, dict[str, list[Any]]] = {
            table.name: {name: [] for name in table.column_names} for table in schema.EXTRACT_TABLES
        }

    def run(self) -> FhirSummary:
        self._index()
        for item in self.items:
            kind = item.resource["resourceType"]
            if kind in MAPPED_TYPES or kind in REFERENCED_TYPES:
                self.used[kind] += 1
            else:
                self.ignored[kind] += 1
            if kind == "Patient":
                self._patient(item)
            elif kind == "Condition":
                self._condition(item)
            elif kind == "Observation":
                self._observation(item)
            elif kind == "MedicationStatement":
                self._medication_statement(item)
        tables = {
            table.name: pa.table(
                self.rows[table.name],
                schema=pa.schema([pa.field(c.name, _ARROW[c.type]) for c in table.columns]),
            )
            for table in schema.EXTRACT_TABLES
        }
        return FhirSummary(tables, dict(self.used), dict(self.ignored), dict(self.skipped))

    def _index(self) -> None:
        first_seen: dict[str, _Where] = {}
        for item in self.items:
            resource = item.resource
            kind = resource["resourceType"]
            resource_id = resource.get("id")
            keys = [item.full_url] if item.full_url else []
            if isinstance(resource_id, str) and resource_id.strip():
                keys.append(f"{kind}/{resource_id.strip()}")
            if kind == "Patient":
                if not isinstance(resource_id, str) or not resource_id.strip():
                    raise item.where.error("Patient.id", "a Patient id is required")
                patient_id = resource_id.strip()
                if patient_id in first_seen:
                    first = first_seen[patient_id]
                    raise item.where.error(
                        "Patient.id",
                        f"duplicate Patient id (first in {first.file} row {first.row})",
                    )
                first_seen[patient_id] = item.where
                for key in keys:
                    self.patients[key] = patient_id
            for key in keys:
                self.resources[key] = resource

    # Patients ----------------------------------------------------------------------------

    def _patient(self, item: _Item) -> None:
        resource, where = item.resource, item.where
        patient_id = str(resource["id"]).strip()
        born = _birth_month(where, resource.get("birthDate"))
        gender = resource.get("gender", "unknown")
        if not isinstance(gender, str) or gender not in _SEX:
            raise where.error("Patient.gender", "must be one of female, male, other, unknown")
        died = None
        if "deceasedDateTime" in resource:
            died = _date(where, "Patient.deceasedDateTime", resource["deceasedDateTime"])
            if died < born:
                raise where.error("Patient.deceasedDateTime", "before the date of birth")
        elif resource.get("deceasedBoolean") is True:
            raise where.error(
                "Patient.deceasedBoolean", "deceased without a date: give deceasedDateTime"
            )
        practice = self._practice(item)
        start, end = _registration_period(where, resource)
        self._add(
            "patients",
            patient_id=patient_id,
            date_of_birth=born,
            sex=_SEX[gender],
            date_of_death=died,
            lsoa_code=_lsoa(where, resource.get("address")),
            nhs_number=_nhs_number(where, resource.get("identifier")),
        )
        self._add(
            "practice_registrations",
            patient_id=patient_id,
            practice_code=practice,
            start_date=start,
            end_date=end,
        )

    def _practice(self, item: _Item) -> str:
        resource, where = item.resource, item.where
        column = "Patient.generalPractitioner"
        references = resource.get("generalPractitioner") or []
        if not isinstance(references, list):
            raise where.error(column, "must be a list of references")
        for reference in references:
            if not isinstance(reference, dict):
                raise where.error(column, "must be a list of references")
            kind = reference.get("type")
            identifier = reference.get("identifier")
            if (
                kind in (None, "Organization")
                and isinstance(identifier, dict)
                and identifier.get("system") == ODS_SYSTEM
            ):
                code = _text(identifier.get("value"))
                if code is None:
                    raise where.error(column, "the ODS identifier has no value")
                return code
            target = reference.get("reference")
            if not isinstance(target, str) or not target.strip():
                continue
            if kind not in (None, "Organization") or "Practitioner/" in target:
                continue
            found = self._find(resource, target)
            if found is None:
                raise where.error(
                    column,
                    "the referenced Organization is not in these files (include it, or give "
                    "reference.identifier with the ODS code)",
                )
            if found.get("resourceType") != "Organization":
                continue
            code = _ods_code(found)
            if code is None:
                raise where.error(
                    column, f"the referenced Organization has no ODS code (system {ODS_SYSTEM})"
                )
            return code
        raise where.error(column, "no GP practice Organization with an ODS code")

    # Events --------------------------------------------------------------------------------

    def _condition(self, item: _Item) -> None:
        resource, where = item.resource, item.where
        if _codes(resource.get("verificationStatus")) & _SKIP_CONDITION:
            self.skipped["Condition"] += 1
            return
        patient_id = self._subject(item)
        code = _snomed(where, "Condition.code", resource.get("code"))
        if code is None:
            raise where.error("Condition.code", f"no SNOMED CT coding (system {SNOMED_SYSTEM})")
        if "onsetDateTime" in resource:
            date = _date(where, "Condition.onsetDateTime", resource["onsetDateTime"])
        elif "recordedDate" in resource:
            date = _date(where, "Condition.recordedDate", resource["recordedDate"])
        else:
            raise where.error("Condition.onset[x]", "no date: give onsetDateTime or recordedDate")
        self._event(patient_id, date, code, None)

    def _observation(self, item: _Item) -> None:
        resource, where = item.resource, item.where
        if _status(resource) in _SKIP_OBSERVATION:
            self.skipped["Observation"] += 1
            return
        patient_id = self._subject(item)
        date = _first_date(
            where,
            resource,
            "Observation",
            ("effectiveDateTime", "effectivePeriod.start", "effectiveInstant"),
        )
        rows: list[tuple[str, float | None]] = []
        own = _snomed(where, "Observation.code", resource.get("code"))
        if own is not None:
            rows.append((own, _value(where, "Observation", resource)))
        components = resource.get("component") or []
        if not isinstance(components, list):
            raise where.error("Observation.component", "must be a list")
        for index, component in enumerate(components):
            path = f"Observation.component[{index}]"
            if not isinstance(component, dict):
                raise where.error(path, "must be an object")
            concept = component.get("code")
            code = _snomed(where, f"{path}.code", concept) or _blood_pressure_loinc(concept)
            if code is None:
                raise where.error(
                    f"{path}.code",
                    f"no SNOMED CT coding (system {SNOMED_SYSTEM}) nor blood pressure LOINC "
                    "code 8480-6 or 8462-4",
                )
            rows.append((code, _value(where, path, component)))
        if not rows:
            raise where.error("Observation.code", f"no SNOMED CT coding (system {SNOMED_SYSTEM})")
        for code, value in rows:
            self._event(patient_id, date, code, value)

    def _medication_statement(self, item: _Item) -> None:
        resource, where = item.resource, item.where
        if _status(resource) in _SKIP_MEDICATION:
            self.skipped["MedicationStatement"] += 1
            return
        patient_id = self._subject(item)
        if "medicationCodeableConcept" in resource:
            column = "MedicationStatement.medicationCodeableConcept"
            concept = resource["medicationCodeableConcept"]
        else:
            column = "MedicationStatement.medicationReference"
            reference = resource.get("medicationReference")
            target = reference.get("reference") if isinstance(reference, dict) else None
            if not isinstance(target, str):
                raise where.error(
                    "MedicationStatement.medication[x]",
                    "no medicationCodeableConcept or medicationReference",
                )
            medication = self._find(resource, target)
            if medication is None or medication.get("resourceType") != "Medication":
                raise where.error(column, "the referenced Medication is not in these files")
            concept = medication.get("code")
        code = _coded(where, column, concept, DMD_SYSTEM) or _snomed(where, column, concept)
        if code is None:
            raise where.error(
                column, f"no dm+d ({DMD_SYSTEM}) or SNOMED CT ({SNOMED_SYSTEM}) coding"
            )
        date = _first_date(
            where,
            resource,
            "MedicationStatement",
            ("effectiveDateTime", "effectivePeriod.start", "dateAsserted"),
        )
        self._add("medications", patient_id=patient_id, date=date, dmd_code=code)

    # Helpers -------------------------------------------------------------------------------

    def _subject(self, item: _Item) -> str:
        column = f"{item.resource['resourceType']}.subject"
        subject = item.resource.get("subject")
        target = subject.get("reference") if isinstance(subject, dict) else None
        if not isinstance(target, str) or not target.strip():
            raise item.where.error(column, "a reference to the Patient is required")
        patient_id = _resolve(target, "Patient", self.patients)
        if patient_id is None:
            raise item.where.error(column, "not a Patient in these files")
        return patient_id

    def _find(self, resource: Mapping[str, Any], target: str) -> dict[str, Any] | None:
        """A contained (`#id`) resource, or one anywhere in the files."""
        target = target.strip()
        if target.startswith("#"):
            for contained in resource.get("contained") or []:
                if isinstance(contained, dict) and contained.get("id") == target[1:]:
                    return contained
            return None
        for kind in REFERENCED_TYPES:
            found = _resolve(target, kind, self.resources)
            if found is not None:
                return found
        return None

    def _event(self, patient_id: str, date: datetime.date, code: str, value: float | None) -> None:
        self._add(
            "clinical_events",
            patient_id=patient_id,
            date=date,
            snomedct_code=code,
            numeric_value=value,
        )

    def _add(self, table: str, **values: Any) -> None:
        for name, value in values.items():
            self.rows[table][name].append(value)


def _resolve(target: str, kind: str, index: Mapping[str, _T]) -> _T | None:
    """Look a reference up by fullUrl, by `Kind/id`, or by an absolute URL ending in it."""
    target = _HISTORY.sub("", target.strip())
    if target in index:
        return index[target]
    match = re.search(rf"(?:^|/)({kind}/[A-Za-z0-9\-.]{{1,64}})$", target)
    if match is not None:
        return index.get(match.group(1))
    return None


def _status(resource: Mapping[str, Any]) -> str | None:
    status = resource.get("status")
    return status if isinstance(status, str) else None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _codes(concept: Any) -> set[str]:
    if not isinstance(concept, dict) or not isinstance(concept.get("coding"), list):
        return set()
    return {
        c["code"]
        for c in concept["coding"]
        if isinstance(c, dict) and isinstance(c.get("code"), str)
    }


def _coded(where: _Where, column: str, concept: Any, system: str) -> str | None:
    """The code of the first coding in `system`; it must look like a SNOMED/dm+d identifier."""
    if not isinstance(concept, dict):
        return None
    codings = concept.get("coding") or []
    if not isinstance(codings, list):
        raise where.error(f"{column}.coding", "must be a list")
    for coding in codings:
        if isinstance(coding, dict) and coding.get("system") == system:
            code = _text(coding.get("code"))
            if code is None:
                continue
            if not _CODE.fullmatch(code):
                raise where.error(f"{column}.coding", "the code must be 6 to 18 digits")
            return code
    return None


def _snomed(where: _Where, column: str, concept: Any) -> str | None:
    return _coded(where, column, concept, SNOMED_SYSTEM)


def _blood_pressure_loinc(concept: Any) -> str | None:
    if not isinstance(concept, dict) or not isinstance(concept.get("coding"), list):
        return None
    for coding in concept["coding"]:
        if isinstance(coding, dict) and coding.get("system") == LOINC_SYSTEM:
            code = LOINC_BLOOD_PRESSURE.get(str(coding.get("code", "")).strip())
            if code is not None:
                return code
    return None


def _value(where: _Where, path: str, element: Mapping[str, Any]) -> float | None:
    if "valueQuantity" in element:
        quantity = element["valueQuantity"]
        if not isinstance(quantity, dict):
            raise where.error(f"{path}.valueQuantity", "must be a Quantity")
        column, value = f"{path}.valueQuantity.value", quantity.get("value")
    elif "valueInteger" in element:
        column, value = f"{path}.valueInteger", element["valueInteger"]
    else:
        return None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise where.error(column, "not a number")
    try:
        return float(value)
    except OverflowError:
        raise where.error(column, "number out of range") from None


def _first_date(
    where: _Where, resource: Mapping[str, Any], kind: str, fields: Sequence[str]
) -> datetime.date:
    for field in fields:
        if field == "effectivePeriod.start":
            period = resource.get("effectivePeriod")
            if period is None:
                continue
            if not isinstance(period, dict) or "start" not in period:
                raise where.error(f"{kind}.effectivePeriod.start", "the period has no start")
            return _date(where, f"{kind}.effectivePeriod.start", period["start"])
        if field in resource:
            return _date(where, f"{kind}.{field}", resource[field])
    wanted = ", ".join(fields[:-1]) + f" or {fields[-1]}"
    raise where.error(f"{kind}.effective[x]", f"no date: give {wanted}")


def _date(where: _Where, column: str, value: Any) -> datetime.date:
    text = value.strip() if isinstance(value, str) else ""
    match = _FULL_DATE.fullmatch(text)
    if match is None:
        if _PARTIAL_DATE.fullmatch(text):
            raise where.error(column, "a full date (YYYY-MM-DD) is needed, not a year or month")
        raise where.error(column, "expected a FHIR date or dateTime (YYYY-MM-DD…)")
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise where.error(column, "not a real calendar date") from None


def _birth_month(where: _Where, value: Any) -> datetime.date:
    column = "Patient.birthDate"
    if value is None:
        raise where.error(column, "a birth date is required")
    match = _BIRTH_DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise where.error(column, "expected a date with at least year and month (YYYY-MM)")
    try:
        day = int(match[4]) if match[4] else 1
        datetime.date(int(match[1]), int(match[2]), day)
    except ValueError:
        raise where.error(column, "not a real calendar date") from None
    return datetime.date(int(match[1]), int(match[2]), 1)


def _registration_period(
    where: _Where, resource: Mapping[str, Any]
) -> tuple[datetime.date, datetime.date | None]:
    missing = (
        "no registration start date: add the registration details extension "
        f"({REGISTRATION_DETAILS_URLS[0]}) with registrationPeriod.start"
    )
    extensions = resource.get("extension") or []
    details = [
        extension
        for extension in (extensions if isinstance(extensions, list) else [])
        if isinstance(extension, dict) and extension.get("url") in REGISTRATION_DETAILS_URLS
    ]
    if len(details) > 1:
        raise where.error(_REGISTRATION, "more than one registration details extension")
    parts = details[0].get("extension") if details else None
    periods = [
        part.get("valuePeriod")
        for part in (parts if isinstance(parts, list) else [])
        if isinstance(part, dict) and part.get("url") == REGISTRATION_PERIOD
    ]
    if not periods:
        raise where.error(_REGISTRATION, missing)
    period = periods[0]
    if not isinstance(period, dict):
        raise where.error(_REGISTRATION, "registrationPeriod needs a valuePeriod")
    if period.get("start") is None:
        raise where.error(f"{_REGISTRATION}.start", missing)
    start = _date(where, f"{_REGISTRATION}.start", period["start"])
    end = None
    if period.get("end") is not None:
        end = _date(where, f"{_REGISTRATION}.end", period["end"])
        if end < start:
            raise where.error(f"{_REGISTRATION}.end", "before the start date")
    return start, end


def _lsoa(where: _Where, addresses: Any) -> str | None:
    column = "Patient.address.extension:lsoaCode"
    found: list[tuple[int, str]] = []
    for address in addresses if isinstance(addresses, list) else []:
        if not isinstance(address, dict):
            continue
        for extension in address.get("extension") or []:
            if isinstance(extension, dict) and extension.get("url") == LSOA_EXTENSION_URL:
                code = _text(extension.get("valueString", extension.get("valueCode")))
                if code is None:
                    raise where.error(column, "valueString must hold an LSOA code")
                period = address.get("period")
                ended = isinstance(period, dict) and period.get("end") is not None
                rank = 0 if address.get("use") == "home" and not ended else 1
                found.append((rank, code))
    return min(found, key=lambda pair: pair[0])[1] if found else None


def _nhs_number(where: _Where, identifiers: Any) -> str | None:
    """The value of the first identifier in the NHS number system; it must pass the check digit."""
    for identifier in identifiers if isinstance(identifiers, list) else []:
        if isinstance(identifier, dict) and identifier.get("system") == NHS_NUMBER_SYSTEM:
            number = _text(identifier.get("value"))
            if number is None:
                continue
            if not is_valid_nhs_number(number):
                raise where.error("Patient.identifier:nhsNumber", NHS_NUMBER_PROBLEM)
            return number
    return None


def _ods_code(organization: Mapping[str, Any]) -> str | None:
    identifiers = organization.get("identifier") or []
    for identifier in identifiers if isinstance(identifiers, list) else []:
        if isinstance(identifier, dict) and identifier.get("system") == ODS_SYSTEM:
            code = _text(identifier.get("value"))
            if code is not None:
                return code
    return None
