"""Importing ODS ePCN.xlsx: PCNs and practice → PCN memberships with their history."""

from __future__ import annotations

import datetime as dt

import pytest

from openpcn.organisations.importers import import_epcn, import_practice_map
from openpcn.organisations.models import Network, NetworkMembership, OrganisationStatus, Practice

OCT_2019 = dt.date(2019, 10, 1)
JAN_2026 = dt.date(2026, 1, 1)

pytestmark = pytest.mark.django_db


def history(practice_code: str) -> list[tuple[str, dt.date, dt.date | None]]:
    return [
        (m.network.ods_code, m.start_date, m.end_date)
        for m in NetworkMembership.objects.filter(practice__ods_code=practice_code)
        .select_related("network")
        .order_by("start_date")
    ]


def test_import_epcn_loads_pcns_and_membership_history_with_exclusive_ends(shared_dir):
    result = import_epcn(by=None, path=shared_dir / "nhs-data/ePCN.xlsx")
    assert result.rows == 1_329 + 7_455
    assert Network.objects.count() == 1_329
    assert Network.objects.filter(close_date__isnull=False).count() == 65
    assert Network.objects.filter(status=OrganisationStatus.ACTIVE).count() == 1_264
    assert Network.objects.filter(open_date=OCT_2019).count() == 1_250
    tolson = Network.objects.get(ods_code="U38221")
    assert (tolson.name, tolson.commissioner_code, tolson.open_date, tolson.postcode) == (
        "TOLSON CARE PARTNERSHIP PCN",
        "X2C4Y",
        OCT_2019,
        "HD1 1NY",
    )
    # An empty Close Date cell ('') is no date.
    assert tolson.close_date is None

    assert NetworkMembership.objects.count() == 7_455
    assert NetworkMembership.objects.filter(end_date__isnull=True).count() == 6_391
    assert Practice.objects.count() == 6_807
    assert history("B85010") == [("U38221", OCT_2019, None)]
    stockton = Network.objects.get(ods_code="U89141")
    assert sorted(p.ods_code for p in stockton.practices_on(dt.date(2023, 1, 1))) == [
        "A81001",
        "A81017",
        "A81025",
        "A81046",
        "A81608",
        "A81629",
        "A81634",
    ]
    # A practice first seen in the partner sheet is named from it.
    assert Practice.objects.get(ods_code="A81001").name == "THE DENSHAM SURGERY"
    # The last rows lie outside the sheets' auto-filter and are imported too.
    assert Network.objects.get(ods_code="U99971").name == "TAME VALLEY PCN"
    assert history("Y07275") == [("U63540", dt.date(2022, 4, 1), None)]

    # ODS gives the last day (2022-05-31, then 2022-06-01 for one day); the registry's end is the
    # day after, so consecutive memberships meet and a one-day membership is kept.
    assert history("M85153") == [
        ("U22471", OCT_2019, dt.date(2022, 6, 1)),
        ("U54948", dt.date(2022, 6, 1), dt.date(2022, 6, 2)),
        ("U22471", dt.date(2022, 6, 2), None),
    ]
    on_the_day = NetworkMembership.objects.current_on(dt.date(2022, 6, 1))
    assert on_the_day.get(practice__ods_code="M85153").network.ods_code == "U54948"


def test_import_epcn_after_a_newer_map_keeps_both_in_one_history(shared_dir):
    import_practice_map(by=None, path=shared_dir / "nhs-data/gp-reg-pat-prac-map.csv")
    result = import_epcn(by=None, path=shared_dir / "nhs-data/ePCN.xlsx")
    # Same PCN in both: the ePCN membership runs until the map's starts.
    assert history("B85010") == [("U38221", OCT_2019, JAN_2026), ("U38221", JAN_2026, None)]
    # Moved PCN after 2023: the ePCN membership ends where the map's begins.
    assert history("A82018") == [("U66688", OCT_2019, JAN_2026), ("U92223", JAN_2026, None)]
    assert result.details["memberships_created"] == 7_455
    again = import_epcn(by=None, path=shared_dir / "nhs-data/ePCN.xlsx")
    assert (again.created, again.updated) == (0, 0)
    assert history("B85010") == [("U38221", OCT_2019, JAN_2026), ("U38221", JAN_2026, None)]


def test_import_practice_map_after_epcn_ends_the_old_pcn_at_the_extract_date(shared_dir):
    import_epcn(by=None, path=shared_dir / "nhs-data/ePCN.xlsx")
    result = import_practice_map(by=None, path=shared_dir / "nhs-data/gp-reg-pat-prac-map.csv")
    assert history("B85010") == [("U38221", OCT_2019, None)]
    assert history("A82018") == [("U66688", OCT_2019, JAN_2026), ("U92223", JAN_2026, None)]
    # The map names PCNs too: the 53 PCN codes not in the workbook are created.
    assert result.details["networks_created"] == 53
