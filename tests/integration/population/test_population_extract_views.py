"""Extract and refresh pages: upload, provenance, failures by file/row/field, refresh and sharing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openpcn.core.models import AuditEvent
from openpcn.population import actions, imports, refresh, storage
from openpcn.population.models import IndicatorRefresh, JobStatus, PopulationExtract

AS_OF = dt.date(2026, 3, 31)
TODAY = dt.date.today()


@pytest.fixture
def immediate_tasks(settings):  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _files(folder: Path) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
        for path in sorted(folder.iterdir())
    ]


def _post_upload(client, universe, folder: Path, capture):  # type: ignore[no-untyped-def]
    with capture(execute=True):
        response = client.post(
            reverse("population:extract_new"),
            {"alliance": universe.north.pk, "file_format": "csv", "files": _files(folder)},
        )
    return response


def _loaded(universe, folder: Path) -> PopulationExtract:  # type: ignore[no-untyped-def]
    files = [(p.name, p.open("rb")) for p in sorted(folder.iterdir())]
    try:
        extract = actions.upload_extract(
            by=None, alliance=universe.north, file_format="csv", files=files, enqueue=False
        )
    finally:
        for _, handle in files:
            handle.close()
    imports.run_import(extract.pk)
    extract.refresh_from_db()
    assert extract.status == JobStatus.DONE, extract.error
    return extract


def test_analyst_uploads_an_extract_and_sees_rows_and_hashes(  # type: ignore[no-untyped-def]
    client, universe, extract_csv, immediate_tasks, django_capture_on_commit_callbacks
):
    analyst = universe.users["alliance_analyst"]
    client.force_login(analyst)
    listing = client.get(reverse("population:extracts")).content.decode()
    assert "Upload an extract" in listing and "No extract has been uploaded yet" in listing
    form = client.get(reverse("population:extract_new")).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'type="file"' in form
    assert " multiple" in form and 'for="id_files"' in form
    assert "deprivation.csv" in form and "practice_registrations" in form

    response = _post_upload(client, universe, extract_csv, django_capture_on_commit_callbacks)
    extract = PopulationExtract.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("population:extract", args=[extract.pk])
    extract.refresh_from_db()
    assert extract.status == JobStatus.DONE, extract.error
    assert extract.uploaded_by == analyst
    assert AuditEvent.objects.filter(action="upload_population_extract", actor=analyst).exists()

    page = client.get(response.url).content.decode()
    assert "patients.csv" in page and "clinical_events.csv" in page
    for described in extract.files:
        assert described["sha256"] in page
    assert "2,800" in page  # patients checked and kept
    assert "P00001, P00002, P00003" in page
    assert "hx-trigger" not in page  # finished: no polling
    assert reverse("population:refresh_new", args=[extract.pk]) in page

    listing = client.get(reverse("population:extracts")).content.decode()
    assert extract.files[0]["sha256"] in listing and "2,800" in listing
    assert "Refresh indicators" in listing


def test_progress_polls_while_queued_then_reloads(client, universe, extract_csv):  # type: ignore[no-untyped-def]
    client.force_login(universe.users["alliance_analyst"])
    response = client.post(
        reverse("population:extract_new"),
        {"alliance": universe.north.pk, "file_format": "csv", "files": _files(extract_csv)},
    )
    extract = PopulationExtract.objects.get()
    assert extract.status == JobStatus.QUEUED
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Waiting for a worker" in page
    progress = reverse("population:extract_progress", args=[extract.pk])
    fragment = client.get(progress, HTTP_HX_REQUEST="true")
    assert "every 2s" in fragment.content.decode() and "HX-Refresh" not in fragment
    imports.run_import(extract.pk)
    fragment = client.get(progress, HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true" and "every 2s" not in fragment.content.decode()


def test_a_malformed_upload_says_file_row_and_field_and_keeps_nothing(  # type: ignore[no-untyped-def]
    client, universe, extract_csv, immediate_tasks, django_capture_on_commit_callbacks
):
    events = extract_csv / "clinical_events.csv"
    lines = events.read_text().splitlines()
    parts = lines[5].split(",")
    parts[1] = "31/02/2025"
    lines[5] = ",".join(parts)
    events.write_text("\n".join(lines) + "\n")
    client.force_login(universe.users["alliance_analyst"])
    response = _post_upload(client, universe, extract_csv, django_capture_on_commit_callbacks)
    extract = PopulationExtract.objects.get()
    assert extract.status == JobStatus.FAILED
    page = client.get(response.url).content.decode()
    assert "The extract was not loaded" in page and "nhsuk-error-summary" in page
    assert "clinical_events.csv, row 5, date" in page
    assert "YYYY-MM-DD" in page and "Nothing from it was kept" in page
    assert "Refresh indicators" not in page
    assert not storage.extract_folder(extract.pk).exists()
    assert not storage.upload_folder(extract.pk).exists()
    listing = client.get(reverse("population:extracts")).content.decode()
    assert "clinical_events.csv, row 5, date" in listing
    # A failed extract cannot be refreshed.
    refresh_url = reverse("population:refresh_new", args=[extract.pk])
    assert client.get(refresh_url).status_code == 302
    assert not IndicatorRefresh.objects.exists()


def test_upload_form_problems_are_summarised(client, universe, extract_csv):  # type: ignore[no-untyped-def]
    client.force_login(universe.users["alliance_analyst"])
    page = client.post(
        reverse("population:extract_new"), {"alliance": universe.north.pk, "file_format": "csv"}
    ).content.decode()
    assert "There is a problem" in page and 'href="#id_files"' in page
    assert "Choose the extract&#39;s files" in page or "Choose the extract's files" in page
    bad = SimpleUploadedFile("my patients.csv", b"patient_id\n1\n")
    page = client.post(
        reverse("population:extract_new"),
        {"alliance": universe.north.pk, "file_format": "csv", "files": [bad]},
    ).content.decode()
    assert "letters, digits" in page and 'href="#id_files"' in page
    assert not PopulationExtract.objects.exists()


def test_refresh_shows_progress_then_done_and_shared_practices(  # type: ignore[no-untyped-def]
    client, universe, extract_csv, immediate_tasks, django_capture_on_commit_callbacks
):
    extract = _loaded(universe, extract_csv)
    actions.record_agreement(
        by=None,
        practice=universe.p1,
        scope="alliance",
        signed_by_name="Dr A",
        signed_by_role="Caldicott Guardian",
        signed_on=TODAY - dt.timedelta(days=5),
    )
    actions.record_agreement(
        by=None,
        practice=universe.p3,
        scope="pcn",
        signed_by_name="Dr C",
        signed_by_role="Caldicott Guardian",
        signed_on=TODAY - dt.timedelta(days=5),
    )
    analyst = universe.users["alliance_analyst"]
    client.force_login(analyst)
    url = reverse("population:refresh_new", args=[extract.pk])
    form = client.get(url).content.decode()
    assert f'value="{extract.latest_event_date.isoformat()}"' in form
    assert 'value="24"' in form
    bad = client.post(url, {"as_of": AS_OF.isoformat(), "months": "99"}).content.decode()
    assert 'href="#id_months"' in bad and not IndicatorRefresh.objects.exists()
    bad = client.post(url, {"as_of": "2010-01-01", "months": "2"}).content.decode()
    assert 'href="#id_as_of"' in bad and "long before the extract" in bad
    assert not IndicatorRefresh.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"as_of": AS_OF.isoformat(), "months": "2"})
    run = IndicatorRefresh.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("population:refresh", args=[run.pk])
    run.refresh_from_db()
    assert run.status == JobStatus.DONE, run.progress_message
    assert (run.as_of, run.months, run.requested_by) == (AS_OF, 2, analyst)
    assert AuditEvent.objects.filter(action="request_indicator_refresh", actor=analyst).exists()

    page = client.get(response.url).content.decode()
    assert "Done" in page and reverse("population:catalogue") in page
    assert "hx-trigger" not in page
    assert f"{run.figures.count():,}" in page
    table = page.split('id="shared-practices"')[1].split("</table>")[0]
    rows = {
        row.split("</th>")[0].split(">")[-1]: row
        for row in table.split('<tr class="nhsuk-table__row">')[1:]
    }
    assert "Yes" in rows["P1 Surgery (P00001)"]
    assert "No: only in its own figures" in rows["P2 Surgery (P00002)"]
    assert rows["P3 Surgery (P00003)"].count("Yes") == 1
    assert "Not shared beyond their own figures: P2 Surgery." in page
    fragment = client.get(
        reverse("population:refresh_progress", args=[run.pk]), HTTP_HX_REQUEST="true"
    )
    assert fragment["HX-Refresh"] == "true"

    listing = client.get(reverse("population:extracts")).content.decode()
    assert reverse("population:refresh", args=[run.pk]) in listing
    assert AS_OF.strftime("%d %B %Y") in listing


def test_a_queued_refresh_polls(client, universe, extract_csv):  # type: ignore[no-untyped-def]
    extract = _loaded(universe, extract_csv)
    client.force_login(universe.users["alliance_analyst"])
    client.post(
        reverse("population:refresh_new", args=[extract.pk]),
        {"as_of": AS_OF.isoformat(), "months": "1"},
    )
    run = IndicatorRefresh.objects.get()
    page = client.get(reverse("population:refresh", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "shared-practices" not in page
    refresh.run_refresh(run.pk)
    page = client.get(reverse("population:refresh", args=[run.pk])).content.decode()
    assert "shared-practices" in page


def test_other_alliances_and_other_roles_get_404(client, universe, extract_csv, verified_client):  # type: ignore[no-untyped-def]
    extract = _loaded(universe, extract_csv)
    run = actions.request_refresh(by=None, extract=extract, as_of=AS_OF, months=1, enqueue=False)
    pages = [
        reverse("population:extract", args=[extract.pk]),
        reverse("population:extract_progress", args=[extract.pk]),
        reverse("population:refresh_new", args=[extract.pk]),
        reverse("population:refresh", args=[run.pk]),
        reverse("population:refresh_progress", args=[run.pk]),
    ]
    south = verified_client("south_admin")
    for url in pages:
        assert south.get(url).status_code == 404, url
    assert south.post(pages[2], {"as_of": AS_OF.isoformat(), "months": "1"}).status_code == 404
    # Their own alliance's list is empty: North's extract is not on it.
    listing = south.get(reverse("population:extracts")).content.decode()
    assert "No extract has been uploaded yet" in listing
    assert extract.files[0]["sha256"] not in listing

    # A PCN manager sees figures but not the alliance's extracts; a board member sees read-only.
    client.force_login(universe.users["pcn_manager"])
    assert client.get(reverse("population:extracts")).status_code == 404
    assert client.get(pages[0]).status_code == 404
    assert client.get(reverse("population:extract_new")).status_code == 404
    client.force_login(universe.users["board_member"])
    listing = client.get(reverse("population:extracts")).content.decode()
    assert extract.files[0]["sha256"] in listing and "Upload an extract" not in listing
    assert "Refresh indicators" not in client.get(pages[0]).content.decode()
    assert client.get(pages[2]).status_code == 404
    assert client.get(reverse("population:extract_new")).status_code == 404
