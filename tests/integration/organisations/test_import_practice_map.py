"""Importing gp-reg-pat-prac-map.csv: practices, PCNs by code and memberships with history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from openpcn.core.models import AuditEvent
from openpcn.organisations.importers import import_practice_map
from openpcn.organisations.models import Network, NetworkMembership, Practice

JAN_2022 = dt.date(2022, 1, 1)
JAN_2026 = dt.date(2026, 1, 1)
STOCKTON_2026 = ["A81001", "A81017", "A81025", "A81046", "A81608", "A81629"]

pytestmark = pytest.mark.django_db


def members(pcn_code: str, on: dt.date) -> list[str]:
    network = Network.objects.get(ods_code=pcn_code)
    return sorted(p.ods_code for p in network.practices_on(on))


def history(practice_code: str) -> list[tuple[str, dt.date, dt.date | None]]:
    return [
        (m.network.ods_code, m.start_date, m.end_date)
        for m in NetworkMembership.objects.filter(practice__ods_code=practice_code)
        .select_related("network")
        .order_by("start_date")
    ]


def test_import_practice_map_current_header(shared_dir):
    result = import_practice_map(by=None, path=shared_dir / "nhs-data/gp-reg-pat-prac-map.csv")
    assert result.rows == 6_171
    assert Practice.objects.count() == 6_171
    # 1,299 PCN codes, one of them the pseudo-PCN U (Unallocated), which is not a PCN.
    assert Network.objects.count() == 1_298
    assert not Network.objects.filter(ods_code="U").exists()
    assert NetworkMembership.objects.filter(end_date__isnull=True).count() == 6_171 - 59
    assert result.details["memberships_created"] == 6_112

    dalton = Practice.objects.get(ods_code="B85010")
    assert (dalton.name, dalton.postcode) == ("DALTON SURGERY", "HD5 8DY")
    assert (dalton.commissioner_code, dalton.icb_code, dalton.region_code) == (
        "X2C4Y",
        "QWO",
        "Y63",
    )
    assert dalton.clinical_system == "TPP"
    assert history("B85010") == [("U38221", JAN_2026, None)]
    assert Network.objects.get(ods_code="U38221").name == "TOLSON CARE PARTNERSHIP PCN"
    assert NetworkMembership.objects.get(practice=dalton).source == "gp-reg-pat-prac-map.csv"

    assert members("U89141", JAN_2026) == STOCKTON_2026
    assert Network.objects.get(ods_code="U89141").name == "STOCKTON PCN"
    assert len(members("U16464", JAN_2026)) == 31
    assert Practice.objects.filter(icb_code="QOP").count() == 406
    # PCNs are keyed on code: one name, two PCNs.
    grand_union = Network.objects.filter(name="GRAND UNION PCN")
    assert sorted(grand_union.values_list("ods_code", flat=True)) == ["U09187", "U41025"]
    assert sorted(
        Practice.objects.order_by().values_list("clinical_system", flat=True).distinct()
    ) == [
        "EMIS",
        "TPP",
        "Unknown",
    ]
    # Quoted names keep their commas.
    assert Practice.objects.filter(name="FULWELL MEDICAL CENTRE,").exists()
    assert Practice.objects.filter(name="EASTGATE MEDICAL GROUP, HORNSEA").exists()


def test_import_practice_map_older_ccg_header(shared_dir):
    path = shared_dir / "nhs-data/gp-reg-pat-prac-map-ccg-2022-01.csv"
    result = import_practice_map(by=None, path=path)
    assert result.rows == 6_527
    assert Practice.objects.count() == 6_527
    assert Network.objects.count() == 1_254
    assert NetworkMembership.objects.count() == 6_527 - 68
    assert members("U89141", JAN_2022) == sorted([*STOCKTON_2026, "A81634"])
    assert len(members("U16464", JAN_2022)) == 32
    acorn = Practice.objects.get(ods_code="L84073")
    assert history("L84073") == [("U02669", JAN_2022, None)]
    assert Network.objects.get(ods_code="U02669").name == "BERKELEY VALE PCN"
    # CCG_CODE and STP_CODE fill the commissioner and ICB; there is no supplier column.
    densham = Practice.objects.get(ods_code="A81001")
    assert (densham.commissioner_code, densham.icb_code, densham.region_code) == (
        "16C",
        "QHM",
        "Y63",
    )
    assert densham.clinical_system == acorn.clinical_system == ""
    assert AuditEvent.objects.get(action="import_practice_map").after["extract_date"] == (
        "2022-01-01"
    )


def test_import_practice_map_keeps_history_when_practices_move(shared_dir):
    import_practice_map(by=None, path=shared_dir / "nhs-data/gp-reg-pat-prac-map-ccg-2022-01.csv")
    result = import_practice_map(by=None, path=shared_dir / "nhs-data/gp-reg-pat-prac-map.csv")
    # A practice that moved PCN: the old membership ends at the extract date, a new one starts.
    assert history("A82018") == [("U66688", JAN_2022, JAN_2026), ("U92223", JAN_2026, None)]
    # The same PCN: nothing changes, the membership still runs from 2022.
    assert history("A81001") == [("U89141", JAN_2022, None)]
    assert members("U89141", dt.date(2025, 12, 31)) == sorted([*STOCKTON_2026, "A81634"])
    # Unallocated in 2026: the 2022 membership ends, no new one opens.
    assert history("B81097") == [("U62384", JAN_2022, JAN_2026)]
    # Absent from the 2026 map: left as it was.
    assert history("L84073") == [("U02669", JAN_2022, None)]
    ended = result.details["memberships_updated"]
    assert ended == NetworkMembership.objects.filter(end_date=JAN_2026).count() > 400
    assert (
        result.details["memberships_created"]
        == NetworkMembership.objects.filter(start_date=JAN_2026).count()
    )
    # Re-importing the older map afterwards does not undo what the newer one recorded.
    again = import_practice_map(
        by=None, path=shared_dir / "nhs-data/gp-reg-pat-prac-map-ccg-2022-01.csv"
    )
    assert history("A82018") == [("U66688", JAN_2022, JAN_2026), ("U92223", JAN_2026, None)]
    assert history("B81097") == [("U62384", JAN_2022, JAN_2026)]
    # What the registry already records for 1 January 2022 agrees with the older file.
    assert "memberships_created" not in again.details
    assert "memberships_updated" not in again.details


def test_import_practice_map_needs_organisation_edit_permission(universe, shared_dir):
    with pytest.raises(PermissionDenied):
        import_practice_map(
            by=universe.users["alliance_analyst"],
            path=shared_dir / "nhs-data/gp-reg-pat-prac-map.csv",
        )
    assert not Practice.objects.filter(ods_code="B85010").exists()
