"""Uploading an extract, refreshing indicators, and what data-sharing agreements let through."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.exceptions import PermissionDenied

from openpcn.core.models import AuditEvent
from openpcn.population import actions, storage
from openpcn.population.models import IndicatorFigure, JobStatus, PopulationExtract
from tests.integration.population.conftest import refresh_extract, upload_folder

AS_OF = dt.date(2026, 3, 31)
TODAY = dt.date.today()


def _upload(universe, folder: Path, by=None):  # type: ignore[no-untyped-def]
    return upload_folder(universe.north, folder, by=by or universe.users["alliance_analyst"])


def _sign(universe, key: str, scope: str = "alliance") -> None:  # type: ignore[no-untyped-def]
    actions.record_agreement(
        by=universe.users["alliance_admin"],
        practice=universe.orgs[key],
        scope=scope,
        signed_by_name="Dr A Partner",
        signed_by_role="Caldicott Guardian",
        signed_on=TODAY - dt.timedelta(days=30),
    )


def _refresh(universe, extract, months: int = 3):  # type: ignore[no-untyped-def]
    return refresh_extract(extract, by=universe.users["alliance_analyst"], months=months)


def _figure(run, org, indicator: str = "HYP_REG", period: dt.date = AS_OF):  # type: ignore[no-untyped-def]
    return IndicatorFigure.objects.filter(
        refresh=run, organisation=org, indicator=indicator, period=period, breakdown=""
    ).first()


def test_upload_keeps_a_private_parquet_copy_with_provenance(universe, extract_csv):  # type: ignore[no-untyped-def]
    extract = _upload(universe, extract_csv)
    assert extract.status == JobStatus.DONE, extract.error
    assert extract.row_counts["patients"] == 2800
    assert extract.practice_codes == ["P00001", "P00002", "P00003"]
    assert {f["name"] for f in extract.files} >= {"patients.csv", "deprivation.csv"}
    assert all(len(f["sha256"]) == 64 for f in extract.files)
    folder = storage.extract_folder(extract.pk)
    assert (folder / "patients.parquet").is_file()
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(folder / "patients.parquet").st_mode) == 0o600
    assert not storage.upload_folder(extract.pk).exists()
    assert AuditEvent.objects.filter(action="upload_population_extract").count() == 1


def test_a_malformed_file_changes_nothing_and_says_where(universe, extract_csv):  # type: ignore[no-untyped-def]
    events = extract_csv / "clinical_events.csv"
    lines = events.read_text().splitlines()
    parts = lines[5].split(",")
    parts[1] = "31/02/2025"
    lines[5] = ",".join(parts)
    events.write_text("\n".join(lines) + "\n")
    extract = _upload(universe, extract_csv)
    assert extract.status == JobStatus.FAILED
    assert (extract.error_file, extract.error_row, extract.error_field) == (
        "clinical_events.csv",
        5,
        "date",
    )
    assert "YYYY-MM-DD" in extract.error
    assert not storage.extract_folder(extract.pk).exists()
    assert not storage.upload_folder(extract.pk).exists()
    assert not list(storage.root().glob("extracts/*"))


def test_a_registration_at_a_practice_outside_the_alliance_is_refused(universe, extract_csv):  # type: ignore[no-untyped-def]
    registrations = extract_csv / "practice_registrations.csv"
    text = registrations.read_text().splitlines()
    text[3] = (
        text[3].replace("P00002", "Q00001").replace("P00001", "Q00001").replace("P00003", "Q00001")
    )
    registrations.write_text("\n".join(text) + "\n")
    extract = _upload(universe, extract_csv)
    assert extract.status == JobStatus.FAILED
    assert (extract.error_file, extract.error_row, extract.error_field) == (
        "practice_registrations.csv",
        3,
        "practice_code",
    )
    assert "Q00001 is not a practice of North Alliance" in extract.error


def test_only_an_analyst_of_the_alliance_may_upload(universe, extract_csv):  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        _upload(universe, extract_csv, by=universe.users["practice_manager"])
    assert not PopulationExtract.objects.exists()


def test_practices_without_an_agreement_appear_in_no_pcn_or_alliance_figure(universe, extract_csv):  # type: ignore[no-untyped-def]
    extract = _upload(universe, extract_csv)
    _sign(universe, "p1")
    _sign(universe, "p3", scope="pcn")
    run = _refresh(universe, extract)
    assert run.status == JobStatus.DONE, run.progress_message
    assert run.shared_with_pcn == ["P00001", "P00003"]
    assert run.shared_with_alliance == ["P00001"]
    p1, p2, p3 = (_figure(run, universe.orgs[k]) for k in ("p1", "p2", "p3"))
    # Every practice keeps its own figures.
    assert p1.denominator > 0 and p2.denominator > 0 and p3.denominator > 0
    # N1 = P1 only (P2 has not agreed); N2 = P3 (PCN scope); place and alliance = P1 only.
    assert _figure(run, universe.n1).denominator == p1.denominator
    assert _figure(run, universe.n1).numerator == p1.numerator
    assert _figure(run, universe.n2).denominator == p3.denominator
    assert _figure(run, universe.place).denominator == p1.denominator
    assert _figure(run, universe.north).denominator == p1.denominator
    # The same holds in every breakdown and month.
    for breakdown in ("imd_quintile", "ethnicity6"):
        groups = IndicatorFigure.objects.filter(
            refresh=run, organisation=universe.north, indicator="HYP_REG", breakdown=breakdown
        )
        assert sum(f.denominator for f in groups) == p1.denominator
    periods = sorted(
        set(IndicatorFigure.objects.filter(refresh=run).values_list("period", flat=True))
    )
    assert periods == [dt.date(2026, 1, 31), dt.date(2026, 2, 28), AS_OF]


def test_withdrawing_stops_use_at_the_next_refresh(universe, extract_csv):  # type: ignore[no-untyped-def]
    extract = _upload(universe, extract_csv)
    for key in ("p1", "p2"):
        _sign(universe, key)
    first = _refresh(universe, extract, months=1)
    both = _figure(first, universe.n1).denominator
    agreement = universe.p2.data_sharing_agreements.get()
    actions.withdraw_agreement(
        by=universe.users["alliance_admin"],
        agreement=agreement,
        withdrawn_on=TODAY,
        reason="Partners asked to stop",
    )
    # The earlier refresh is unchanged; the next one leaves P2 out.
    assert _figure(first, universe.n1).denominator == both
    second = _refresh(universe, extract, months=1)
    assert _figure(second, universe.n1).denominator == _figure(second, universe.p1).denominator
    assert second.shared_with_pcn == ["P00001"]


def test_worklists_are_private_parquet_per_practice(universe, extract_csv):  # type: ignore[no-untyped-def]
    extract = _upload(universe, extract_csv)
    run = _refresh(universe, extract, months=1)
    path = storage.worklist_file(run.pk, "P00001")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    table = pq.read_table(path)
    assert table.column_names == ["patient_id", "indicator", "reason", "nhs_number"]
    assert table.num_rows > 0
    assert table.column("nhs_number").null_count == table.num_rows  # synthetic: no identifiers
    assert "HYP_CASE_FINDING" in set(table.column("indicator").to_pylist())


def test_a_failed_refresh_keeps_no_figures_and_no_patient_files(universe, extract_csv, monkeypatch):  # type: ignore[no-untyped-def]
    extract = _upload(universe, extract_csv)

    def disk_full(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("No space left on device")

    # Fail at the very end, after the worklists have been written.
    monkeypatch.setattr(IndicatorFigure.objects, "bulk_create", disk_full)
    run = _refresh(universe, extract, months=1)
    assert run.status == JobStatus.FAILED
    assert not IndicatorFigure.objects.filter(refresh=run).exists()
    assert not list(storage.root().glob("refreshes/*"))
    assert not list(storage.root().glob("refreshes/.tmp-*"))
