"""An admin moves a practice to another PCN: history is kept and the move is in the audit log.

This module changes the demo data: the next module gets a freshly loaded demo (conftest.py).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from openpcn.organisations.models import Network, NetworkMembership

pytestmark = pytest.mark.e2e


def test_practice_move_by_admin_ends_old_membership_and_is_audited(signed_in_page) -> None:
    old = (
        NetworkMembership.objects.current()
        .select_related("practice", "network")
        .order_by("network__ods_code", "practice__ods_code")
        .last()
    )
    practice, old_network = old.practice, old.network
    new_network = Network.objects.exclude(pk=old_network.pk).order_by("ods_code").first()
    today = dt.date.today().isoformat()

    page = signed_in_page("admin")
    page.goto(f"/organisations/{practice.pk}/")
    page.get_by_role("link", name="Move this practice to another PCN").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Move {practice.name} to another PCN"
    )
    page.get_by_label("PCN", exact=True).select_option(label=str(new_network))
    page.get_by_label("From", exact=True).fill(today)
    page.get_by_role("button", name="Move practice").click()

    # Back on the practice page: the new PCN, and the old membership ended, not overwritten.
    expect(page).to_have_url(re.compile(rf"/organisations/{practice.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text(f"{practice.name} moves to {new_network}")
    pcn_row = page.locator(".nhsuk-summary-list__row").filter(
        has=page.locator(".nhsuk-summary-list__key", has_text=re.compile(r"^\s*PCN\s*$"))
    )
    expect(pcn_row.locator(".nhsuk-summary-list__value")).to_have_text(new_network.name)
    history = page.get_by_role("heading", name="PCN membership history").locator(
        "xpath=following-sibling::ul[1]"
    )
    expect(history.get_by_role("listitem")).to_have_text(
        [
            f"{old_network.name}: from {old.start_date.isoformat()} until {today}",
            f"{new_network.name}: from {today} (current)",
        ]
    )

    # The audit log, filtered to the join, shows the admin's move.
    page.get_by_role("link", name="Administration").first.click()
    page.get_by_role("link", name="Audit log").click()
    page.get_by_label("Action", exact=True).select_option("join_network")
    page.get_by_label("Who", exact=True).fill("admin")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"action=join_network"))
    rows = page.locator("#audit-results tbody tr")
    expect(rows).to_have_count(1)
    cells = rows.first.get_by_role("cell")
    expect(cells.nth(1)).to_have_text("admin")
    expect(cells.nth(2)).to_have_text("join_network")
    expect(cells.nth(3)).to_contain_text(f"{practice} in {new_network} from {today}")
    expect(cells.nth(4)).to_have_text(new_network.name)
