"""Browser test: a clinician finds local services for a need near their practice and prints the
list for the patient (directory of local services, Open Referral UK)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from openpcn.accounts.models import Membership
from openpcn.organisations.models import Site
from tests.functional.conftest import AXE_JS
from tests.functional.test_population_dashboards_e2e import RUN_AXE_JS, WCAG_22_AA

pytestmark = pytest.mark.e2e
DEMO_READ_ONLY = True


def _axe(page: Page) -> None:
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(RUN_AXE_JS, WCAG_22_AA)
    assert not violations, f"{page.url}\n" + "\n".join(violations)


def test_clinician_searches_by_need_near_their_practice_and_prints_the_list(
    transactional_db, signed_in_page
) -> None:  # type: ignore[no-untyped-def]
    practice = Membership.objects.get(user__username="clinician").organisation
    site = Site.objects.get(organisation=practice, kind="main")
    page = signed_in_page("clinician")
    page.goto("/resources/")
    page.get_by_role("link", name="Local services directory").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local services directory")
    _axe(page)
    page.get_by_label("Need").select_option(label="Money and debt")
    page.get_by_label("Or near a practice site").select_option(label=site.name)
    page.get_by_label("Within (miles)").fill("10")
    page.get_by_role("button", name="Search").click()
    heading = page.get_by_role("heading", level=2).filter(has_text=f"near {site.name}")
    expect(heading).to_have_text(re.compile(r"^\d+ services? near "))
    results = page.locator("li.openpcn-print-list__entry h3")
    names = results.all_inner_texts()
    assert {"Benefits check and claims help", "Energy bills advice"} <= set(names)
    # Nearest first: the distances shown never decrease.
    miles = [float(m) for m in re.findall(r"([\d.]+) miles", page.locator("main").inner_text())]
    assert miles == sorted(miles) and len(miles) == len(names)
    _axe(page)
    page.get_by_label("Add Benefits check and claims help to the list").check()
    page.get_by_label("Add Energy bills advice to the list").check()
    page.get_by_role("button", name="Print a list for the patient").click()
    expect(page).to_have_url(re.compile(r"/directory/print/\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Local services that may help you")
    printed = page.locator("section.openpcn-print-list__entry h2").all_inner_texts()
    assert sorted(printed) == ["Benefits check and claims help", "Energy bills advice"]
    expect(page.get_by_text("Tuesdays and Thursdays, 9:30am to 4pm")).to_be_visible()
    expect(page.get_by_text(re.compile(r"01632 960\d{3}")).first).to_be_visible()
    _axe(page)
    # On paper the header, menu and buttons are left off; the entries stay.
    page.emulate_media(media="print")
    expect(page.locator("header.nhsuk-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print this list")).to_be_hidden()
    expect(page.locator("section.openpcn-print-list__entry").first).to_be_visible()


def test_directory_manager_sees_the_entry_past_its_review_date(
    transactional_db, signed_in_page
) -> None:  # type: ignore[no-untyped-def]
    from openpcn.demo.directory import OVERDUE_SERVICE

    page = signed_in_page("pcn.manager")
    page.goto("/resources/")
    page.get_by_role("link", name="Manage the services directory").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage the directory")
    expect(page.get_by_text("1 past their review date")).to_be_visible()
    _axe(page)
    row = page.get_by_role("row").filter(has_text=OVERDUE_SERVICE)
    expect(row.get_by_text("Past its review date")).to_be_visible()
    row.get_by_role("link", name=OVERDUE_SERVICE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(OVERDUE_SERVICE)
    expect(page.get_by_text("Past its review date")).to_be_visible()
    _axe(page)
    page.get_by_role("link", name="Edit the details").click()
    expect(page.get_by_label("Review by")).to_be_visible()
    _axe(page)
