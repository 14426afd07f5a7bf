"""A practice's worklist page and CSV: only the practice's own staff, every view and export audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.test import Client
from django.urls import reverse

from openpcn.core.models import AuditEvent
from openpcn.population import storage
from openpcn.population import worklists as lists
from openpcn.population.models import JobStatus
from tests.integration.population.conftest import refresh_extract, upload_folder
from tests.universe import PASSWORD

AS_OF = dt.date(2026, 3, 31)


def _loaded(universe, folder: Path):  # type: ignore[no-untyped-def]
    """Upload, import and refresh (one month), as the pipeline test does."""
    analyst = universe.users["alliance_analyst"]
    extract = upload_folder(universe.north, folder, by=analyst)
    assert extract.status == JobStatus.DONE, extract.error
    run = refresh_extract(extract, by=analyst, months=1)
    assert run.status == JobStatus.DONE, run.progress_message
    return run


def _parquet_rows(run, code: str = "P00001") -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return pq.read_table(storage.worklist_file(run.pk, code)).to_pylist()


def _signed_in(universe, role: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(universe.users[role])
    return client


def _verified_admin(universe) -> Client:  # type: ignore[no-untyped-def]
    from django_otp.oath import totp

    from openpcn.accounts.actions import enrol_totp_device

    client = Client()
    user = universe.users["alliance_admin"]
    device = enrol_totp_device(
        by=None, user=user, key_hex="3132333435363738393031323334353637383930"
    )
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    response = client.post(
        reverse("accounts:two_factor_verify"), {"token": f"{totp(device.bin_key):06d}"}
    )
    assert response.status_code == 302
    return client


def _page_ids(html: str) -> list[str]:
    return [part.split("</code>")[0] for part in html.split("<code>")[1:]]


def _assert_no_patient_id(events, ids: set[str]) -> None:  # type: ignore[no-untyped-def]
    for event in events:
        text = json.dumps(
            [event.before, event.after, event.object_label, event.object_type, event.object_id],
            default=str,
        )
        assert not any(i in text for i in ids)


def test_the_practice_manager_sees_the_practice_worklist_audited(universe, extract_csv, caplog):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    run = _loaded(universe, extract_csv)
    expected = _parquet_rows(run)
    assert expected, "the synthetic practice should have patients to find"
    client = _signed_in(universe, "practice_manager")
    response = client.get(reverse("population:worklist", args=[universe.p1.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "31 March 2026" in html
    assert "pseudonymous patient ids" in html
    # The first page holds the file's first rows, in its order (by indicator, then patient id).
    shown = expected[: lists.PAGE_SIZE]
    assert _page_ids(html) == [row["patient_id"] for row in shown]
    # Each indicator's title and count are in the summary.
    for indicator in {row["indicator"] for row in expected}:
        count = sum(1 for row in expected if row["indicator"] == indicator)
        assert lists.TITLES[indicator].replace(">", "&gt;").replace("<", "&lt;") in html
        assert f'?indicator={indicator}">' in html
        assert f">{count:,}</td>" in html
    assert "Download as CSV" in html
    event = AuditEvent.objects.get(action="worklist_view")
    assert event.after == {"rows": len(shown), "identifiers": False}
    assert event.organisation_id == universe.p1.pk
    assert event.actor_id == universe.users["practice_manager"].pk
    ids = {row["patient_id"] for row in expected}
    _assert_no_patient_id(AuditEvent.objects.filter(action__startswith="worklist_"), ids)
    assert not any(i in caplog.text for i in ids)


def test_filtering_by_indicator_and_paging(universe, extract_csv):  # type: ignore[no-untyped-def]
    run = _loaded(universe, extract_csv)
    expected = _parquet_rows(run)
    client = _signed_in(universe, "practice_manager")
    url = reverse("population:worklist", args=[universe.p1.pk])
    indicator = "HYP_CASE_FINDING"
    wanted = [row["patient_id"] for row in expected if row["indicator"] == indicator]
    html = client.get(url, {"indicator": indicator}).content.decode()
    assert _page_ids(html) == wanted[: lists.PAGE_SIZE]
    assert "?indicator=HYP_CASE_FINDING" in html  # the CSV link keeps the filter
    # Every page together is the whole file, each row once.
    pages, number = [], 1
    while True:
        response = client.get(url, {"page": number})
        pages += _page_ids(response.content.decode())
        if f"page={number + 1}" not in response.content.decode():
            break
        number += 1
    assert pages == [row["patient_id"] for row in expected]
    assert number == -(-len(expected) // lists.PAGE_SIZE)
    # An unknown indicator shows every list.
    everything = client.get(url, {"indicator": "NOPE"}).content.decode()
    assert _page_ids(everything) == [row["patient_id"] for row in expected[: lists.PAGE_SIZE]]
    assert AuditEvent.objects.filter(action="worklist_view").count() == number + 2


def test_the_practice_manager_downloads_the_csv_audited(universe, extract_csv):  # type: ignore[no-untyped-def]
    run = _loaded(universe, extract_csv)
    expected = _parquet_rows(run)
    client = _signed_in(universe, "practice_manager")
    response = client.get(reverse("population:worklist_csv", args=[universe.p1.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == (
        'attachment; filename="worklist-P00001-2026-03-31.csv"'
    )
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["patient_id", "indicator", "indicator_title", "reason"]
    assert rows[1:] == [
        [r["patient_id"], r["indicator"], lists.TITLES[r["indicator"]], r["reason"]]
        for r in expected
    ]
    event = AuditEvent.objects.get(action="worklist_export")
    assert event.after == {"rows": len(expected), "identifiers": False}
    assert event.organisation_id == universe.p1.pk
    _assert_no_patient_id([event], {r["patient_id"] for r in expected})

    one = client.get(
        reverse("population:worklist_csv", args=[universe.p1.pk]), {"indicator": "HYP_BP_CONTROL"}
    )
    assert "worklist-P00001-2026-03-31-hyp-bp-control.csv" in one["Content-Disposition"]
    body = list(csv.reader(io.StringIO(b"".join(one.streaming_content).decode())))
    wanted = [r for r in expected if r["indicator"] == "HYP_BP_CONTROL"]
    assert len(body) == len(wanted) + 1
    assert AuditEvent.objects.filter(action="worklist_export").latest("pk").after == {
        "rows": len(wanted),
        "identifiers": False,
    }


def test_a_clinician_of_the_practice_sees_it(universe, extract_csv):  # type: ignore[no-untyped-def]
    run = _loaded(universe, extract_csv)
    client = _signed_in(universe, "clinician")
    response = client.get(reverse("population:worklist", args=[universe.p1.pk]))
    assert response.status_code == 200
    first = _parquet_rows(run)[0]["patient_id"]
    assert f"<code>{first}</code>" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="worklist_view", actor_id=universe.users["clinician"].pk
    ).exists()


@pytest.mark.parametrize("view", ["population:worklist", "population:worklist_csv"])
def test_nobody_outside_the_practice_sees_it(universe, extract_csv, view):  # type: ignore[no-untyped-def]
    _loaded(universe, extract_csv)
    manager = _signed_in(universe, "practice_manager")
    # Another practice of the same alliance (and PCN N2) is not the manager's.
    assert manager.get(reverse(view, args=[universe.p3.pk])).status_code == 404
    # Nor is a PCN, or a pk that is no practice at all.
    assert manager.get(reverse(view, args=[universe.n1.pk])).status_code == 404
    assert manager.get(reverse(view, args=[999_999])).status_code == 404
    # PCN and alliance roles never reach patient rows, even of their own practices.
    pcn = _signed_in(universe, "pcn_manager")
    assert pcn.get(reverse(view, args=[universe.p1.pk])).status_code == 404
    admin = _verified_admin(universe)
    assert admin.get(reverse(view, args=[universe.p1.pk])).status_code == 404
    analyst = _signed_in(universe, "alliance_analyst")
    assert analyst.get(reverse(view, args=[universe.p1.pk])).status_code == 404
    # Signed out: to the sign-in page.
    assert Client().get(reverse(view, args=[universe.p1.pk])).status_code == 302
    assert not AuditEvent.objects.filter(action__startswith="worklist_").exists()


def test_before_any_refresh_the_page_says_so(universe):  # type: ignore[no-untyped-def]
    client = _signed_in(universe, "practice_manager")
    response = client.get(reverse("population:worklist", args=[universe.p1.pk]))
    assert response.status_code == 200
    assert "There is no worklist yet" in response.content.decode()
    assert "<code>" not in response.content.decode()
    assert AuditEvent.objects.get(action="worklist_view").after == {
        "rows": 0,
        "identifiers": False,
    }
    download = client.get(reverse("population:worklist_csv", args=[universe.p1.pk]))
    assert download.status_code == 404
