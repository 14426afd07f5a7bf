"""NHS numbers on worklists: shown only when the extract gives them and the viewer's role in the
practice allows it (a clinician, not the practice manager); checked on upload; audited, never logged."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
from django.test import Client
from django.urls import reverse

from openpcn.accounts.permissions import Permission
from openpcn.accounts.roles import ROLES
from openpcn.core.models import AuditEvent
from openpcn.population import storage
from openpcn.population import worklists as lists
from openpcn.population.engine.identifiers import check_digit, is_valid_nhs_number
from openpcn.population.models import JobStatus, PopulationExtract
from tests.integration.population.conftest import refresh_extract, upload_folder

AS_OF = dt.date(2026, 3, 31)
CSV_WITH_NUMBERS = ["patient_id", "nhs_number", "indicator", "indicator_title", "reason"]
CSV_WITHOUT = ["patient_id", "indicator", "indicator_title", "reason"]


def _valid_numbers(start: int = 943_476_500) -> Iterator[str]:
    """Distinct valid (check-digit) NHS numbers, made up for the test."""
    prefix = start
    while True:
        digit = check_digit(f"{prefix:09d}")
        if digit is not None:
            yield f"{prefix:09d}{digit}"
        prefix += 1


def _with_nhs_numbers(folder: Path, invalid_at: int | None = None) -> dict[str, str]:
    """Give every other patient of patients.csv an NHS number (the rest none); with `invalid_at`
    the patient in that data row (from 1) gets a number with a wrong check digit instead.
    Returns patient_id -> NHS number."""
    path = folder / "patients.csv"
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        fields = [name for name in reader.fieldnames or [] if name != "nhs_number"]
        rows = list(reader)
    numbers = _valid_numbers()
    given: dict[str, str] = {}
    for index, row in enumerate(rows, 1):
        row["nhs_number"] = ""
        if index == invalid_at:
            number = next(numbers)
            row["nhs_number"] = number[:9] + str((int(number[9]) + 1) % 10)
        elif index % 2:
            row["nhs_number"] = given[row["patient_id"]] = next(numbers)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*fields, "nhs_number"])
        writer.writeheader()
        writer.writerows(rows)
    return given


def _upload(universe, folder: Path) -> PopulationExtract:  # type: ignore[no-untyped-def]
    return upload_folder(universe.north, folder, by=universe.users["alliance_analyst"])


def _loaded(universe, folder: Path):  # type: ignore[no-untyped-def]
    extract = _upload(universe, folder)
    assert extract.status == JobStatus.DONE, extract.error
    run = refresh_extract(extract, by=universe.users["alliance_analyst"], months=1)
    assert run.status == JobStatus.DONE, run.progress_message
    return run


def _signed_in(universe, role: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(universe.users[role])
    return client


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def _assert_never_recorded(numbers: set[str], caplog) -> None:  # type: ignore[no-untyped-def]
    for event in AuditEvent.objects.all():
        text = json.dumps(
            [event.before, event.after, event.object_label, event.object_type, event.object_id],
            default=str,
        )
        assert not any(number in text for number in numbers)
    assert not any(number in caplog.text for number in numbers)


def test_only_the_clinician_is_allowed_nhs_numbers_and_only_in_the_practice() -> None:
    allowed = {
        key for key, role in ROLES.items() if role.grants(Permission.PATIENT_IDENTIFIERS_VIEW)
    }
    # The alliance admin holds every permission, but worklists count only practice-held roles.
    assert allowed == {"clinician", "alliance_admin"}
    assert not ROLES["practice_manager"].grants(Permission.PATIENT_IDENTIFIERS_VIEW)


def test_a_clinician_sees_nhs_numbers_the_practice_manager_does_not(universe, extract_csv, caplog):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    given = _with_nhs_numbers(extract_csv)
    run = _loaded(universe, extract_csv)
    expected = pq.read_table(storage.worklist_file(run.pk, "P00001")).to_pylist()
    assert expected and all(row["nhs_number"] == given.get(row["patient_id"]) for row in expected)
    identified = [row for row in expected if row["nhs_number"]]
    assert identified and len(identified) < len(expected)  # some patients have none
    assert oct(storage.worklist_file(run.pk, "P00001").stat().st_mode & 0o777) == "0o600"

    # The clinician of P1: an NHS number column on the page, in the file's order.
    clinician = _signed_in(universe, "clinician")
    page = clinician.get(reverse("population:worklist", args=[universe.p1.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert ">NHS number</th>" in html
    assert 'id="identifiers-shown"' in html
    shown = expected[: lists.PAGE_SIZE]
    cells = [part.split("</td>")[0] for part in html.split('nhs-number">')[1:]]
    assert len(cells) == len(shown)
    for cell, row in zip(cells, shown, strict=True):
        if row["nhs_number"]:
            assert cell == lists.spaced(row["nhs_number"])
        else:
            assert "Not in the extract" in cell
    first = next(row for row in shown if row["nhs_number"])["nhs_number"]
    assert f"{first[:3]} {first[3:6]} {first[6:]}" in html
    view = AuditEvent.objects.filter(action="worklist_view").latest("pk")
    assert view.after == {"rows": len(shown), "identifiers": True}
    assert view.actor_id == universe.users["clinician"].pk

    # ... and in the CSV.
    rows = _csv(clinician.get(reverse("population:worklist_csv", args=[universe.p1.pk])))
    assert rows[0] == CSV_WITH_NUMBERS
    assert rows[1:] == [
        [
            r["patient_id"],
            r["nhs_number"] or "",
            r["indicator"],
            lists.TITLES[r["indicator"]],
            r["reason"],
        ]
        for r in expected
    ]
    export = AuditEvent.objects.filter(action="worklist_export").latest("pk")
    assert export.after == {"rows": len(expected), "identifiers": True}

    # The practice manager of P1: the same rows, pseudonymous ids only, on the page and in the CSV.
    manager = _signed_in(universe, "practice_manager")
    html = manager.get(reverse("population:worklist", args=[universe.p1.pk])).content.decode()
    assert "NHS number</th>" not in html and "identifiers-shown" not in html
    assert "pseudonymous patient ids" in html
    assert f"<code>{expected[0]['patient_id']}</code>" in html
    numbers = {row["nhs_number"] for row in identified}
    assert not any(n in html or lists.spaced(n) in html for n in numbers)
    assert AuditEvent.objects.filter(action="worklist_view").latest("pk").after == {
        "rows": len(shown),
        "identifiers": False,
    }
    rows = _csv(manager.get(reverse("population:worklist_csv", args=[universe.p1.pk])))
    assert rows[0] == CSV_WITHOUT
    assert rows[1:] == [
        [r["patient_id"], r["indicator"], lists.TITLES[r["indicator"]], r["reason"]]
        for r in expected
    ]
    assert not any(n in cell for row in rows for cell in row for n in numbers)
    assert AuditEvent.objects.filter(action="worklist_export").latest("pk").after == {
        "rows": len(expected),
        "identifiers": False,
    }

    _assert_never_recorded(set(given.values()), caplog)


def test_without_nhs_numbers_in_the_extract_a_clinician_sees_pseudonymous_ids(
    universe, extract_csv
):  # type: ignore[no-untyped-def]
    run = _loaded(universe, extract_csv)
    expected = pq.read_table(storage.worklist_file(run.pk, "P00001")).to_pylist()
    assert expected and {row["nhs_number"] for row in expected} == {None}
    clinician = _signed_in(universe, "clinician")
    html = clinician.get(reverse("population:worklist", args=[universe.p1.pk])).content.decode()
    assert "NHS number</th>" not in html
    assert "pseudonymous patient ids" in html
    assert AuditEvent.objects.get(action="worklist_view").after["identifiers"] is False
    rows = _csv(clinician.get(reverse("population:worklist_csv", args=[universe.p1.pk])))
    assert rows[0] == CSV_WITHOUT
    assert AuditEvent.objects.get(action="worklist_export").after["identifiers"] is False


def test_an_invalid_check_digit_fails_the_upload_without_quoting_it(universe, extract_csv, caplog):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    _with_nhs_numbers(extract_csv, invalid_at=4)
    with (extract_csv / "patients.csv").open(newline="") as handle:
        bad = list(csv.DictReader(handle))[3]["nhs_number"]
    assert len(bad) == 10 and not is_valid_nhs_number(bad)
    extract = _upload(universe, extract_csv)
    assert extract.status == JobStatus.FAILED
    assert (extract.error_file, extract.error_row, extract.error_field) == (
        "patients.csv",
        4,
        "nhs_number",
    )
    assert extract.error == "not a valid NHS number (check digit)"
    text = " ".join(
        str(value)
        for value in (
            extract.error,
            extract.error_file,
            extract.progress_message,
            extract.error_field,
        )
    )
    assert bad not in text
    assert bad not in caplog.text
    assert not storage.extract_folder(extract.pk).exists()
    # The analyst's page shows where, not what.
    client = _signed_in(universe, "alliance_analyst")
    detail = client.get(reverse("population:extract", args=[extract.pk]))
    assert detail.status_code == 200
    assert bad not in detail.content.decode()
    assert "nhs_number" in detail.content.decode()
