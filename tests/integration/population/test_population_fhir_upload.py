"""An analyst loads FHIR R4 bundles: they are mapped onto the extract schema and kept privately."""

from __future__ import annotations

import io
import json
from typing import Any

from openpcn.population import actions, imports, storage
from openpcn.population.engine import fhir
from openpcn.population.models import JobStatus

SNOMED = "http://snomed.info/sct"


def _patient(patient_id: str, practice: str) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": patient_id,
        "birthDate": "1950-01-01",
        "gender": "female",
        "generalPractitioner": [
            {"type": "Organization", "identifier": {"system": fhir.ODS_SYSTEM, "value": practice}}
        ],
        "extension": [
            {
                "url": fhir.REGISTRATION_DETAILS_URLS[0],
                "extension": [
                    {"url": "registrationPeriod", "valuePeriod": {"start": "2001-01-01"}}
                ],
            }
        ],
    }


def _bundle(*resources: dict[str, Any]) -> bytes:
    entries = [{"resource": r} for r in resources]
    return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}).encode()


def _upload(universe, bundle: bytes):  # type: ignore[no-untyped-def]
    extract = actions.upload_extract(
        by=universe.users["alliance_analyst"],
        alliance=universe.north,
        file_format="fhir",
        files=[
            ("bundle.json", io.BytesIO(bundle)),
            ("deprivation.csv", io.BytesIO(b"lsoa_code,imd_decile\nE01000001,3\n")),
        ],
        enqueue=False,
    )
    imports.run_import(extract.pk)
    extract.refresh_from_db()
    return extract


def test_fhir_bundles_load_as_an_extract(universe):  # type: ignore[no-untyped-def]
    condition = {
        "resourceType": "Condition",
        "subject": {"reference": "Patient/1"},
        "code": {"coding": [{"system": SNOMED, "code": "38341003"}]},
        "onsetDateTime": "2015-03-04",
    }
    extract = _upload(
        universe, _bundle(_patient("1", "P00001"), _patient("2", "P00002"), condition)
    )
    assert extract.status == JobStatus.DONE, extract.error
    assert extract.row_counts["patients"] == 2
    assert extract.row_counts["clinical_events"] == 1
    assert extract.practice_codes == ["P00001", "P00002"]
    assert (storage.extract_folder(extract.pk) / "clinical_events.parquet").is_file()


def test_a_bad_resource_is_reported_by_file_entry_and_fhir_path(universe):  # type: ignore[no-untyped-def]
    condition = {
        "resourceType": "Condition",
        "code": {"coding": [{"system": SNOMED, "code": "38341003"}]},
        "onsetDateTime": "2015-03-04",
    }
    extract = _upload(universe, _bundle(_patient("1", "P00001"), condition))
    assert extract.status == JobStatus.FAILED
    assert extract.error_file == "bundle.json"
    assert extract.error_row == 2
    assert extract.error_field.startswith("Condition.subject")
    assert not storage.extract_folder(extract.pk).exists()
