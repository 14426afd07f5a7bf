"""PCN finance end to end: the finance officer reads a demo PCN's 2024/25 entitlements, ARRS forecast
and payments to practices; a practice manager reads their practice's statement and gets a 404 for
any other practice's. Read only: it shares the loaded demo (conftest.py)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from openpcn.accounts.models import Membership
from openpcn.finance.distribution import network_distribution
from openpcn.finance.entitlements import FinancialYear, network_entitlement
from openpcn.organisations.models import Network, NetworkMembership
from tests.functional.test_population_dashboards_e2e import _axe

pytestmark = pytest.mark.e2e
DEMO_READ_ONLY = True

YEAR = FinancialYear(2024)


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def test_finance_officer_reads_a_pcns_entitlements_arrs_and_payments(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    network = Network.objects.filter(practice_memberships__isnull=False).order_by("name").first()
    assert network is not None
    entitlement = network_entitlement(network, YEAR)
    page: Page = signed_in_page("finance")  # two factors, through the real pages
    page.goto("/home/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Finance").click()
    page.get_by_role("link", name=f"{YEAR.label} for {network.name}").click()
    expect(page.get_by_role("heading", name=f"Finance {YEAR.label}", level=1)).to_be_visible()
    entitlements = page.locator("#entitlements")
    ea = entitlement.stream("enhanced-access")
    assert ea is not None
    expect(entitlements.get_by_role("row").filter(has_text="Enhanced Access")).to_contain_text(
        _money(ea.annual)
    )
    expect(page.locator("#entitlement-total")).to_have_text(_money(entitlement.total))
    expect(page.get_by_role("heading", name="ARRS forecast")).to_be_visible()
    expect(page.locator("#arrs-summary")).to_contain_text(f"ARRS sum for {YEAR.label}")
    assert page.locator("#arrs-people tbody tr").count() >= 1
    _axe(page)

    page.get_by_role("link", name=re.compile("Payments to practices in")).click()
    expect(page.get_by_role("heading", name=f"Payments to practices {YEAR.label}")).to_be_visible()
    result = network_distribution(network, YEAR)
    first = result.members[0]
    row = page.locator("#practice-payments tbody tr").filter(has_text=first.name)
    expect(row).to_contain_text(_money(result.year_total(first.key)))
    expect(page.locator("#payment-months tbody tr").filter(has_text="Posted")).to_have_count(12)
    _axe(page)


def test_practice_manager_sees_their_statement_and_nobody_elses(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    practice = Membership.objects.get(user__username="practice.manager").organisation
    membership = NetworkMembership.objects.current_on(YEAR.start).get(practice=practice)
    result = network_distribution(membership.network, YEAR)
    page: Page = signed_in_page("practice.manager")
    page.goto("/ledger/")  # a practice manager is sent to their own statement
    expect(page.get_by_role("heading", name=f"Statement, {practice.name}")).to_be_visible()
    # The latest financial year with payments, not this (empty) one
    expect(page.get_by_text(re.compile("from 01 April 2024 to 31 March 2025"))).to_be_visible()
    table = page.get_by_role("table", name=f"Statement, {practice.name}")
    expect(table).to_contain_text("PCN income: Core PCN funding")
    expect(table.get_by_role("row").filter(has_text="Totals")).to_contain_text(
        _money(result.year_total(practice.pk))
    )
    _axe(page)
    neighbour = next(m for m in result.members if m.key != practice.pk)
    for path in (
        f"/ledger/organisations/{neighbour.key}/statement/",
        f"/ledger/organisations/{membership.network_id}/statement/",
        f"/finance/networks/{membership.network_id}/{YEAR.first_year}/distribution/",
    ):
        assert page.request.get(path).status == 404, path
