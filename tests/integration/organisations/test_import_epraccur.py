"""Importing ODS epraccur.csv: practice details from a file with no header."""

from __future__ import annotations

import datetime as dt

import pytest

from openpcn.core.models import AuditEvent
from openpcn.organisations.importers import import_epraccur
from openpcn.organisations.models import Organisation, OrganisationStatus, Practice

pytestmark = pytest.mark.django_db


def test_import_epraccur_takes_gp_practices_only_by_default(shared_dir):
    calls: list[tuple[int, int]] = []
    result = import_epraccur(
        by=None, path=shared_dir / "nhs-data/epraccur.csv", progress=lambda *c: calls.append(c)
    )
    assert result.rows == 15_663
    assert calls[-1] == (15_663, 15_663)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert len(calls) > 10
    assert Practice.objects.count() == result.created == 8_641
    assert result.skipped == 15_663 - 8_641
    assert set(Practice.objects.values_list("prescribing_setting", flat=True)) == {4}
    assert Practice.objects.filter(status=OrganisationStatus.ACTIVE).count() == 6_848

    dalton = Practice.objects.get(ods_code="B85010")
    assert (dalton.name, dalton.postcode, dalton.open_date, dalton.close_date) == (
        "DALTON SURGERY",
        "HD5 8DY",
        dt.date(1974, 4, 1),
        None,
    )
    assert dalton.status == OrganisationStatus.ACTIVE
    assert (dalton.commissioner_code, dalton.icb_code, dalton.prescribing_setting) == (
        "X2C4Y",
        "QWO",
        4,
    )
    densham = Practice.objects.get(ods_code="A81001")
    assert densham.address == "THE HEALTH CENTRE, LAWSON STREET, STOCKTON-ON-TEES, CLEVELAND"
    assert (densham.telephone, densham.region_code) == ("01642 672351", "Y63")
    closed = Practice.objects.get(ods_code="A81003")
    assert (closed.status, closed.close_date) == (OrganisationStatus.CLOSED, dt.date(2017, 10, 31))
    assert Practice.objects.get(ods_code="L84018").commissioner_code == "11M"

    event = AuditEvent.objects.get(action="import_epraccur")
    assert (event.object_type, event.object_label, event.actor) == ("file", "epraccur.csv", None)
    assert event.after["practices_created"] == 8_641
    assert event.after["rows"] == 15_663
    assert event.after["sha256"] == (
        "4d0da5921d20b046649b3092d90050c6b80a15f53f0c7287010f7c26fb5bb23f"
    )


def test_import_epraccur_all_settings_takes_every_row(shared_dir):
    result = import_epraccur(by=None, path=shared_dir / "nhs-data/epraccur.csv", all_settings=True)
    assert Organisation.objects.count() == result.created == 15_663
    assert result.skipped == 0
    by_status = {
        status: Organisation.objects.filter(status=status).count()
        for status in OrganisationStatus.values
    }
    assert by_status == {"active": 11_995, "closed": 3_436, "dormant": 230, "proposed": 2}
    assert Organisation.objects.filter(prescribing_setting=0).count() == 2_945
    assert Organisation.objects.filter(region_code="W00").count() == 748
    # Sub-type Z rows have no commissioner.
    assert Organisation.objects.filter(commissioner_code="").count() == 172


def test_import_epraccur_newer_file_updates_practice_details(shared_dir):
    import_epraccur(by=None, path=shared_dir / "nhs-data/epraccur-2017-08-4-practices.csv")
    assert Practice.objects.get(ods_code="L84018").name == "AVENUE SURGERY"
    assert sorted(Practice.objects.values_list("commissioner_code", flat=True)) == [
        "03A",
        "03A",
        "11M",
        "11M",
    ]
    before = Practice.objects.get(ods_code="L84018")
    result = import_epraccur(by=None, path=shared_dir / "nhs-data/epraccur.csv")
    after = Practice.objects.get(ods_code="L84018")
    assert after.pk == before.pk
    assert after.name == "CIRENCESTER HEALTH GROUP"
    assert after.updated_at > before.updated_at
    assert Practice.objects.get(ods_code="B85010").commissioner_code == "X2C4Y"
    assert result.details["practices_updated"] == 4
    assert result.details["practices_created"] == 8_641 - 4
