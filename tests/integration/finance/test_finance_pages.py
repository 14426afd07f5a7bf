"""The finance pages: who sees which PCN, what the PCN's year shows, and the claim file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from openpcn.organisations import actions as org_actions
from tests.integration.finance.test_finance_arrs_forecast import add_arrs_contract

D = Decimal


@pytest.fixture
def n1_2024(universe):  # type: ignore[no-untyped-def]
    org_actions.record_population_snapshot(
        by=None,
        practice=universe.p1,
        date=dt.date(2024, 1, 1),
        registered=30000,
        weighted=D("30000.00"),
        adjusted=D("30000.00"),
    )
    org_actions.record_population_snapshot(
        by=None,
        practice=universe.p2,
        date=dt.date(2024, 1, 1),
        registered=20000,
        weighted=D("20000.00"),
        adjusted=D("20000.00"),
    )
    add_arrs_contract(universe, universe.n1)
    return reverse("finance:network_year", args=[universe.n1.pk, 2024])


def test_finance_index_lists_only_the_pcns_in_scope(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    page = verified_client("pcn_manager").get(reverse("finance:index")).content.decode()
    assert "N1 PCN" in page and "N2 PCN" not in page and "S1 PCN" not in page
    assert "2024/25" in page and "2023/24" in page
    officer = verified_client("finance_officer").get(reverse("finance:index")).content.decode()
    assert "N1 PCN" in officer and "N2 PCN" in officer and "S1 PCN" not in officer


def test_finance_index_404s_without_finance_view(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    assert verified_client("clinician").get(reverse("finance:index")).status_code == 404


def test_finance_nav_item_for_finance_view_holders(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    home = reverse("finance:rates")
    page = verified_client("pcn_manager").get(home).content.decode()
    assert f'href="{reverse("finance:index")}"' in page


def test_finance_network_year_shows_entitlements_and_arrs(  # type: ignore[no-untyped-def]
    universe, verified_client, n1_2024
) -> None:
    response = verified_client("pcn_manager").get(n1_2024)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enhanced Access" in page
    assert "£383,700.00" in page  # £7.674 × 50,000 adjusted
    assert "£1,144,700.00" in page  # ARRS sum: 50,000 weighted × £22.894
    assert "Ada Pharm" in page and "£26,335.20" in page  # capped: 0.8 × 6/12 × £65,838
    assert "would go unclaimed" in page
    assert "01 January 2024" in page  # the snapshot used


def test_finance_network_year_scope_404s(universe, verified_client, n1_2024) -> None:  # type: ignore[no-untyped-def]
    n2 = reverse("finance:network_year", args=[universe.n2.pk, 2024])
    assert verified_client("pcn_manager").get(n2).status_code == 404
    assert verified_client("south_admin").get(n1_2024).status_code == 404
    assert verified_client("practice_manager").get(n1_2024).status_code == 404
    assert verified_client("finance_officer").get(n1_2024).status_code == 200
    practice = reverse("finance:network_year", args=[universe.p1.pk, 2024])
    assert verified_client("finance_officer").get(practice).status_code == 404


def test_finance_arrs_claim_csv(universe, verified_client, n1_2024) -> None:  # type: ignore[no-untyped-def]
    client = verified_client("pcn_manager")
    url = reverse("finance:arrs_claim_csv", args=[universe.n1.pk, 2024, "2024-11"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    lines = response.content.decode().strip().splitlines()
    assert len(lines) == 2 and "4389.20" in lines[1]
    outside = reverse("finance:arrs_claim_csv", args=[universe.n1.pk, 2024, "2025-11"])
    assert client.get(outside).status_code == 404
    other = reverse("finance:arrs_claim_csv", args=[universe.n2.pk, 2024, "2024-11"])
    assert client.get(other).status_code == 404
