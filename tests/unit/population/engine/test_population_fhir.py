"""FHIR R4 bundles -> extract tables -> load_extract -> the indicators (fhir.py).

The bundles restate the README worked example (plus a diabetic patient on an opioid) in FHIR:
every way of naming a practice, a subject and a code the mapper accepts appears at least once.
"""

from __future__ import annotations

import copy
import csv
import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from population_spec import CODES

from openpcn.population.engine import fhir, outputs
from openpcn.population.engine.codelist_library import load_codelists
from openpcn.population.engine.engines.ibis_engine import IbisEngine
from openpcn.population.engine.engines.reference import ReferenceEngine
from openpcn.population.engine.indicators import indicator_dataset
from openpcn.population.engine.loading import ExtractError, load_extract

AS_OF = datetime.date(2026, 3, 31)
SNOMED, LOINC, DMD = fhir.SNOMED_SYSTEM, fhir.LOINC_SYSTEM, fhir.DMD_SYSTEM
HYP, HYPRES = "38341003", "162659009"
SYS, DIA = "271649006", "271650006"
HBA1C = "999791000000106"
P3_URL = "urn:uuid:2b8c7f3e-7d52-4c1e-9a0e-3f4d1c2b0a03"
ORG_URL = "urn:uuid:6f0d3c1a-1f1e-4b7a-8c51-0d2f9e8a7b02"
SECRET_ID = "9990001112"  # a patient id that must never appear in an error message


def _coding(system: str, code: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code}]}


def _registration(start: str, end: str | None = None) -> dict[str, Any]:
    period = {"start": start} | ({"end": end} if end else {})
    return {
        "url": fhir.REGISTRATION_DETAILS_URLS[0],
        "extension": [{"url": "registrationPeriod", "valuePeriod": period}],
    }


def _patient(
    patient_id: str,
    born: str,
    gender: str,
    gp: list[dict[str, Any]],
    lsoa: str | None = None,
    **more: Any,
) -> dict[str, Any]:
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": patient_id,
        "birthDate": born,
        "gender": gender,
        "generalPractitioner": gp,
        "extension": [_registration("2000-01-01T00:00:00+00:00")],
    }
    if lsoa:
        patient["address"] = [
            {
                "use": "home",
                "extension": [{"url": fhir.LSOA_EXTENSION_URL, "valueString": lsoa}],
            }
        ]
    return patient | more


def _ods(code: str) -> dict[str, Any]:
    return {"type": "Organization", "identifier": {"system": fhir.ODS_SYSTEM, "value": code}}


def _organization(org_id: str, code: str) -> dict[str, Any]:
    return {
        "resourceType": "Organization",
        "id": org_id,
        "identifier": [{"system": fhir.ODS_SYSTEM, "value": code}],
    }


def _condition(subject: str, code: str, **more: Any) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "subject": {"reference": subject},
        "code": _coding(SNOMED, code),
    } | more


def _component(system: str, code: str, value: float) -> dict[str, Any]:
    return {"code": _coding(system, code), "valueQuantity": {"value": value, "unit": "mm[Hg]"}}


def _bundle(*entries: dict[str, Any] | tuple[str, dict[str, Any]]) -> dict[str, Any]:
    listed = []
    for entry in entries:
        full_url, resource = entry if isinstance(entry, tuple) else (None, entry)
        listed.append({"resource": resource} | ({"fullUrl": full_url} if full_url else {}))
    return {"resourceType": "Bundle", "type": "collection", "entry": listed}


def _worked_example() -> dict[str, Any]:
    return _bundle(
        _patient("1", "1950-01-15", "female", [_ods("A81001")], "E01000001"),
        _patient(
            "2",
            "1946-03-01",
            "male",
            [{"reference": "Practitioner/dr-who"}, {"reference": "#gp"}],
            "E01000002",
            contained=[_organization("gp", "A81001")],
        ),
        (P3_URL, _patient("3", "1980-06", "female", [{"reference": ORG_URL}])),
        _patient(
            "4",
            "1940-01-01",
            "male",
            [{"reference": "Organization/org-a81002"}],
            "E01000001",
            deceasedDateTime="2026-01-15T10:00:00+00:00",
        ),
        (ORG_URL, _organization("org-uuid", "A81002")),
        _organization("org-a81002", "A81002"),
        _condition("Patient/1", HYP, onsetDateTime="2012-03-04"),
        {
            "resourceType": "Observation",
            "status": "final",
            "subject": {"reference": "Patient/1"},
            "code": _coding(SNOMED, "75367002"),
            "effectiveDateTime": "2026-02-10T09:30:00Z",
            "component": [_component(SNOMED, SYS, 138), _component(SNOMED, DIA, 86)],
        },
        _condition("Patient/2", HYP, recordedDate="2019-07-01"),
        _condition("https://gp.example/fhir/Patient/2", HYPRES, onsetDateTime="2023-01-05"),
        {
            "resourceType": "Observation",
            "status": "final",
            "subject": {"reference": P3_URL},
            "code": _coding(LOINC, "85354-9"),
            "effectivePeriod": {"start": "2025-11-20T11:00:00+00:00"},
            "component": [_component(LOINC, "8480-6", 152), _component(LOINC, "8462-4", 88)],
        },
        _condition(
            P3_URL,
            HYP,
            onsetDateTime="2025-01-01",
            verificationStatus=_coding(
                "http://terminology.hl7.org/CodeSystem/condition-ver-status", "entered-in-error"
            ),
        ),
        _condition("Patient/4", HYP, onsetDateTime="2000-01-01"),
        {"resourceType": "Encounter", "id": "e1", "status": "finished"},
    )


def _diabetic_lines() -> list[dict[str, Any]]:
    patient = _patient("5", "1960-05-01", "other", [{"reference": "Organization/a81001"}])
    return [
        patient,
        _organization("a81001", "A81001"),
        _bundle(
            _condition("Patient/5", CODES["DM"], onsetDateTime="2015-01-01"),
            {
                "resourceType": "Observation",
                "status": "final",
                "subject": {"reference": "Patient/5"},
                "code": _coding(SNOMED, HBA1C),
                "effectiveDateTime": "2026-01-20",
                "valueQuantity": {"value": 52, "unit": "mmol/mol"},
            },
        ),
        {
            "resourceType": "MedicationStatement",
            "status": "active",
            "subject": {"reference": "Patient/5"},
            "medicationCodeableConcept": _coding(DMD, CODES["OPIOID"]),
            "effectivePeriod": {"start": "2026-02-01"},
        },
        {
            "resourceType": "MedicationStatement",
            "status": "active",
            "subject": {"reference": "Patient/5"},
            "contained": [
                {"resourceType": "Medication", "id": "m", "code": _coding(SNOMED, "322236009")}
            ],
            "medicationReference": {"reference": "#m"},
            "dateAsserted": "2026-03-01",
        },
        {"resourceType": "AllergyIntolerance", "id": "a1", "patient": {"reference": "Patient/5"}},
    ]


def _write_inputs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    bundle = folder / "practice.json"
    bundle.write_text(json.dumps(_worked_example()))
    lines = [json.dumps(resource) for resource in _diabetic_lines()]
    lines.insert(2, "")  # blank lines are allowed
    ndjson = folder / "export.ndjson"
    ndjson.write_text("\n".join(lines) + "\n")
    return [bundle, ndjson]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_bundles_map_onto_the_extract_tables(tmp_path: Path) -> None:
    summary = fhir.read_fhir(_write_inputs(tmp_path))
    tables = summary.tables
    patients = tables["patients"].to_pylist()
    assert [(p["patient_id"], p["date_of_birth"], p["sex"]) for p in patients] == [
        ("1", datetime.date(1950, 1, 1), "female"),
        ("2", datetime.date(1946, 3, 1), "male"),
        ("3", datetime.date(1980, 6, 1), "female"),
        ("4", datetime.date(1940, 1, 1), "male"),
        ("5", datetime.date(1960, 5, 1), "unknown"),
    ]
    assert [p["lsoa_code"] for p in patients] == ["E01000001", "E01000002", None, "E01000001", None]
    assert [p["date_of_death"] for p in patients] == [None] * 3 + [datetime.date(2026, 1, 15), None]
    registrations = tables["practice_registrations"].to_pylist()
    assert [r["practice_code"] for r in registrations] == [
        "A81001",
        "A81001",
        "A81002",
        "A81002",
        "A81001",
    ]
    assert {r["start_date"] for r in registrations} == {datetime.date(2000, 1, 1)}
    events = tables["clinical_events"].to_pylist()
    readings = [(e["patient_id"], e["snomedct_code"], e["numeric_value"]) for e in events]
    assert ("1", "75367002", None) in readings
    assert ("1", SYS, 138.0) in readings and ("1", DIA, 86.0) in readings
    assert ("3", SYS, 152.0) in readings and ("3", DIA, 88.0) in readings
    assert ("5", HBA1C, 52.0) in readings
    assert not [e for e in events if e["patient_id"] == "3" and e["snomedct_code"] == HYP]
    assert {e["date"] for e in events if e["patient_id"] == "3"} == {datetime.date(2025, 11, 20)}
    medications = tables["medications"].to_pylist()
    assert [(m["dmd_code"], m["date"]) for m in medications] == [
        (CODES["OPIOID"], datetime.date(2026, 2, 1)),
        ("322236009", datetime.date(2026, 3, 1)),
    ]
    assert summary.ignored == {"Encounter": 1, "AllergyIntolerance": 1}
    assert summary.skipped == {"Condition": 1}
    assert summary.resources["Patient"] == 5 and summary.resources["Organization"] == 3
    assert summary.row_counts == {
        "patients": 5,
        "practice_registrations": 5,
        "clinical_events": 11,
        "medications": 2,
    }
    assert fhir.read_bundles(_write_inputs(tmp_path / "again")).keys() == tables.keys()


def test_written_extract_loads_and_gives_the_worked_example(tmp_path: Path) -> None:
    paths = _write_inputs(tmp_path / "in")
    out = tmp_path / "extract"
    counts = fhir.write_extract(paths, out)
    assert counts["patients"] == 5
    assert sorted(p.name for p in out.iterdir()) == [
        "clinical_events.parquet",
        "medications.parquet",
        "patients.parquet",
        "practice_registrations.parquet",
    ]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    deprivation = tmp_path / "deprivation.csv"
    deprivation.write_text("lsoa_code,imd_decile\nE01000001,3\nE01000002,7\n")
    org_map = tmp_path / "org_map.csv"
    org_map.write_text("practice_code,pcn_code\nA81001,U00001\nA81002,U00001\n")
    extract = load_extract(out, deprivation, org_map)
    assert {name: t.num_rows for name, t in extract.tables.items()} == counts

    settings = outputs.RunSettings(as_of=AS_OF, codelists=load_codelists(), months=0)
    outputs.run(IbisEngine.duckdb(extract.tables), extract, settings, tmp_path / "out")
    result = {
        (row["indicator"], row["org_code"]): (int(row["numerator"]), int(row["denominator"]))
        for row in _rows(tmp_path / "out" / "indicators.csv")
        if row["org_type"] == "practice"
    }
    assert result[("HYP_REG", "A81001")] == (1, 3)  # 1 on the register; 2 resolved; 5 no code
    assert result[("HYP_REG", "A81002")] == (0, 1)  # 4 died before as-of; 3's code was an error
    assert result[("HYP_BP_CONTROL", "A81001")] == (1, 1)  # 138/86 from BP components
    assert result[("HYP_CASE_FINDING", "A81002")] == (1, 1)  # 152 systolic from LOINC 8480-6
    assert result[("HYP_CASE_FINDING", "A81001")] == (0, 2)
    assert result[("DM_REG", "A81001")] == (1, 3)
    assert result[("DM_HBA1C_CONTROL", "A81001")] == (1, 1)  # HbA1c 52 mmol/mol
    assert result[("DEPENDENCE_MED_REVIEW", "A81001")] == (0, 1)  # opioid, no review


def test_reference_engine_agrees_on_the_mapped_tables(tmp_path: Path) -> None:
    tables = fhir.read_bundles(_write_inputs(tmp_path))
    dataset = indicator_dataset(AS_OF, load_codelists())
    wanted = {name: dataset[name] for name in ("HYP_REG__num", "HYP_CASE_FINDING__num")}
    rows = ReferenceEngine(tables).evaluate(wanted).to_pylist()
    on_register = {row["patient_id"] for row in rows if row["HYP_REG__num"]}
    case_finding = {row["patient_id"] for row in rows if row["HYP_CASE_FINDING__num"]}
    assert (on_register, case_finding) == ({"1"}, {"3"})


def test_writing_into_an_existing_folder_replaces_only_the_tables(tmp_path: Path) -> None:
    out = tmp_path / "extract"
    out.mkdir()
    (out / "notes.txt").write_text("kept")
    fhir.write_extract(_write_inputs(tmp_path / "in"), out)
    assert (out / "notes.txt").read_text() == "kept"
    assert (out / "patients.parquet").is_file()


# Errors ------------------------------------------------------------------------------------


_DELETE = object()


def _minimal() -> list[dict[str, Any]]:
    """One good patient with one of each mapped resource (entries 1 to 4)."""
    subject = f"Patient/{SECRET_ID}"
    return [
        _patient(SECRET_ID, "1950-01-01", "female", [_ods("A81001")]),
        _condition(subject, HYP, onsetDateTime="2012-03-04"),
        {
            "resourceType": "Observation",
            "subject": {"reference": subject},
            "code": _coding(SNOMED, HBA1C),
            "effectiveDateTime": "2026-01-20",
            "valueQuantity": {"value": 61.5},
        },
        {
            "resourceType": "MedicationStatement",
            "subject": {"reference": subject},
            "medicationCodeableConcept": _coding(DMD, CODES["OPIOID"]),
            "effectiveDateTime": "2026-02-01",
        },
    ]


def _changed(index: int, path: tuple[str | int, ...], value: Any) -> list[dict[str, Any]]:
    resources = copy.deepcopy(_minimal())
    target: Any = resources[index]
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return resources


BUNDLE_ERRORS = [
    (_changed(1, ("code",), _coding("http://read.info/ctv3", "G20..")), 2, "Condition.code", "no SNOMED CT coding"),
    (_changed(2, ("subject", "reference"), "Patient/someone-else"), 3, "Observation.subject", "not a Patient"),
    (_changed(2, ("subject",), _DELETE), 3, "Observation.subject", "reference to the Patient"),
    (_changed(1, ("onsetDateTime",), _DELETE), 2, "Condition.onset[x]", "no date"),
    (_changed(2, ("valueQuantity", "value"), "61.5"), 3, "Observation.valueQuantity.value", "not a number"),
    (_changed(2, ("effectiveDateTime",), "2026-01"), 3, "Observation.effectiveDateTime", "full date"),
    (_changed(2, ("effectiveDateTime",), "2026-02-30"), 3, "Observation.effectiveDateTime", "real calendar date"),
    (_changed(3, ("effectiveDateTime",), _DELETE), 4, "MedicationStatement.effective[x]", "no date"),
    (_changed(3, ("medicationCodeableConcept",), _coding("http://other", "x")), 4, "MedicationStatement.medicationCodeableConcept", "dm+d"),
    (_changed(0, ("extension",), []), 1, "Patient.extension:registrationDetails.registrationPeriod", "registration start date"),
    (_changed(0, ("generalPractitioner",), [{"reference": "Practitioner/1"}]), 1, "Patient.generalPractitioner", "ODS code"),
    (_changed(0, ("generalPractitioner",), [{"reference": "Organization/nowhere"}]), 1, "Patient.generalPractitioner", "not in these files"),
    (_changed(0, ("gender",), "woman"), 1, "Patient.gender", "one of"),
    (_changed(0, ("birthDate",), "1950"), 1, "Patient.birthDate", "year and month"),
    (_changed(0, ("deceasedDateTime",), "1949-12-31"), 1, "Patient.deceasedDateTime", "before the date of birth"),
    (_minimal() + [_patient(SECRET_ID, "1950-01-01", "male", [_ods("A81001")])], 5, "Patient.id", "duplicate"),
]  # fmt: skip


@pytest.mark.parametrize(("resources", "row", "column", "problem"), BUNDLE_ERRORS)
def test_bundle_errors_name_file_entry_and_fhir_path(
    tmp_path: Path, resources: list[dict[str, Any]], row: int, column: str, problem: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_bundle(*resources)))
    out = tmp_path / "extract"
    with pytest.raises(ExtractError) as caught:
        fhir.write_extract([path], out)
    error = caught.value
    assert (error.file, error.row, error.column) == ("bad.json", row, column)
    assert problem in error.problem
    for secret in (SECRET_ID, "61.5", CODES["OPIOID"], HYP):
        assert secret not in str(error)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]  # nothing written


@pytest.mark.parametrize(
    ("name", "text", "row", "column", "problem"),
    [
        ("bad.json", '{"resourceType": "Bundle", "entry": [', None, None, "not valid JSON"),
        ("bad.json", '{"resourceType": "Observation", "x": NaN}', None, None, "not valid JSON"),
        ("bad.json", '["not", "a", "resource"]', None, "resourceType", "not a FHIR resource"),
        (
            "bad.ndjson",
            '{"resourceType": "Encounter"}\n{"resourceType": ',
            2,
            None,
            "not valid JSON",
        ),
        (
            "bad.ndjson",
            '{"resourceType": "Encounter"}\n\n'
            + json.dumps(_bundle(*_changed(1, ("code",), {"text": "high blood pressure"}))),
            3,
            "Condition.code",
            "Bundle entry 2: no SNOMED CT coding",
        ),
        ("bad.xml", "<Bundle/>", None, None, "expected a .json Bundle or an .ndjson file"),
    ],
)
def test_file_errors_name_file_line_and_path(
    tmp_path: Path, name: str, text: str, row: int | None, column: str | None, problem: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    out = tmp_path / "extract"
    out.mkdir()
    with pytest.raises(ExtractError) as caught:
        fhir.write_extract([path], out)
    error = caught.value
    assert (error.file, error.row, error.column) == (name, row, column)
    assert problem in error.problem
    assert SECRET_ID not in str(error)
    assert list(out.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "extract"])


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match="file not found"):
        fhir.read_bundles([tmp_path / "absent.ndjson"])


# NHS numbers -------------------------------------------------------------------------------

VALID_NHS_NUMBER, OTHER_VALID_NHS_NUMBER = "9434765919", "9434765870"


def _identified(*identifiers: dict[str, Any]) -> list[dict[str, Any]]:
    resources = copy.deepcopy(_minimal())
    resources[0]["identifier"] = list(identifiers)
    return resources


def test_the_nhs_number_identifier_maps_onto_nhs_number(tmp_path: Path) -> None:
    nhs = fhir.NHS_NUMBER_SYSTEM
    assert nhs == "https://fhir.nhs.uk/Id/nhs-number"
    resources = _identified(
        {"system": "https://example.org/local-id", "value": "12345"},
        {"system": nhs, "value": " "},  # no value: passed over
        {"system": nhs, "value": VALID_NHS_NUMBER},
        {"system": nhs, "value": OTHER_VALID_NHS_NUMBER},  # only the first is kept
    )
    second = _patient("2", "1960-05-01", "male", [_ods("A81001")])  # no identifier at all
    path = tmp_path / "identified.json"
    path.write_text(json.dumps(_bundle(*resources, second)))
    patients = fhir.read_bundles([path])["patients"]
    assert patients.column("nhs_number").to_pylist() == [VALID_NHS_NUMBER, None]

    # Written and loaded like any extract, the column survives with its type.
    out = tmp_path / "extract"
    fhir.write_extract([path], out)
    deprivation = tmp_path / "deprivation.csv"
    deprivation.write_text("lsoa_code,imd_decile\nE01000001,3\n")
    org_map = tmp_path / "org_map.csv"
    org_map.write_text("practice_code,pcn_code\nA81001,U00001\n")
    loaded = load_extract(out, deprivation, org_map).tables["patients"]
    assert loaded.column("nhs_number").to_pylist() == [VALID_NHS_NUMBER, None]


@pytest.mark.parametrize("value", ["9434765918", "943476591", "943 476 5919", "94347659190"])
def test_an_nhs_number_failing_the_check_is_an_error_without_the_value(
    tmp_path: Path, value: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(_bundle(*_identified({"system": fhir.NHS_NUMBER_SYSTEM, "value": value})))
    )
    with pytest.raises(ExtractError) as caught:
        fhir.write_extract([path], tmp_path / "extract")
    error = caught.value
    assert (error.file, error.row, error.column) == ("bad.json", 1, "Patient.identifier:nhsNumber")
    assert error.problem == "not a valid NHS number (check digit)"
    assert value not in str(error) and SECRET_ID not in str(error)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]
