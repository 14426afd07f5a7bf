"""The policy library end to end: the alliance writes, approves and publishes a policy; the first
practice's manager adopts it with a local variation; a clinician there acknowledges it; and the
practice's compliance view and its evidence pack show it. Changes the demo (conftest.py)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from openpcn.accounts.models import User
from openpcn.organisations.models import Alliance
from openpcn.policies.models import Acknowledgement
from tests.files import pdf_text
from tests.functional.test_population_dashboards_e2e import _axe

pytestmark = pytest.mark.e2e

TITLE = "Sharps injury protocol"
VARIATION = "Needlestick injuries at the branch are reported to the duty GP at the main surgery."


def test_alliance_publishes_practice_adopts_clinician_acknowledges(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    alliance = Alliance.objects.get(is_synthetic=True)
    manager_user = User.objects.select_related("person").get(username="practice.manager")
    practice = manager_user.memberships.get().organisation
    review = (dt.date.today() + dt.timedelta(days=365)).isoformat()

    # The alliance writes the policy, approves it and publishes it.
    admin: Page = signed_in_page("admin")
    admin.goto("/resources/")
    admin.get_by_role("link", name="Policies and protocols").click()
    admin.get_by_role("link", name="Write a new policy").click()
    admin.get_by_label("Written for").select_option(label=alliance.name)
    admin.get_by_label("Title", exact=True).fill(TITLE)
    admin.get_by_label("Category").select_option(label="Health and safety")
    admin.get_by_label("Applies to").select_option(label="All staff")
    admin.get_by_label("Review date").fill(review)
    admin.get_by_label("Text of the policy").fill(
        "# After a sharps injury\n\n- Encourage the wound to bleed\n- Wash it under running water"
    )
    _axe(admin)
    admin.get_by_role("button", name="Save the draft").click()
    expect(admin.get_by_role("heading", name="Version 1", level=1)).to_be_visible()
    admin.get_by_role("button", name="Approve version 1").click()
    admin.get_by_role("button", name="Publish version 1").click()
    expect(admin.get_by_text("Version 1 is published.")).to_be_visible()

    # The practice manager adopts it with a local variation they approved.
    manager: Page = signed_in_page("practice.manager")
    manager.goto("/policies/")
    manager.get_by_label("Search the policies").fill("sharps")
    manager.get_by_role("button", name="Search").click()
    _axe(manager)
    manager.get_by_role("link", name=TITLE).click()
    expect(manager.get_by_role("heading", name="After a sharps injury")).to_be_visible()
    _axe(manager)
    manager.get_by_role("link", name="Adopt version 1 at your practice").click()
    manager.get_by_label("Practice").select_option(label=practice.name)
    manager.get_by_label("Local variation (optional)").fill(VARIATION)
    manager.get_by_label("Who approved the local variation").select_option(
        label=manager_user.person.full_name
    )
    _axe(manager)
    manager.get_by_role("button", name="Adopt version 1").click()
    expect(manager.get_by_text(f"{practice.name} runs version 1 of {TITLE}.")).to_be_visible()

    # The clinician acknowledges it from their list.
    clinician: Page = signed_in_page("clinician")
    clinician.goto("/resources/")
    clinician.get_by_role("link", name="Policies to acknowledge").click()
    card = clinician.locator(".nhsuk-card").filter(has=clinician.get_by_role("heading", name=TITLE))
    expect(card).to_contain_text(VARIATION)
    _axe(clinician)
    card.get_by_role("button", name=f"I have read and understood {TITLE}").click()
    expect(clinician.get_by_text(f"You have acknowledged {TITLE}, version 1.")).to_be_visible()
    acknowledged_by = Acknowledgement.objects.get(version__policy__title=TITLE).staff.person

    # The practice's compliance view shows the adoption and the acknowledgement.
    manager.goto("/resources/")
    manager.get_by_role("link", name="Policy compliance").click()
    manager.get_by_role("link", name=practice.name).click()
    row = manager.locator("#by-policy").get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Version 1")
    expect(row).to_contain_text(VARIATION)
    expect(row).to_contain_text(re.compile(r"1 of \d+"))
    person = (
        manager.locator("#by-person").get_by_role("row").filter(has_text=acknowledged_by.full_name)
    )
    expect(person).not_to_contain_text(TITLE)  # not outstanding for them
    _axe(manager)

    with manager.expect_download() as download:
        manager.get_by_role("link", name="download as PDF").click()
    with open(download.value.path(), "rb") as pdf:
        text = pdf_text(pdf.read())
    assert TITLE.encode() in text
    with manager.expect_download() as download:
        manager.get_by_role("link", name="download as a spreadsheet (XLSX)").click()
    with open(download.value.path(), "rb") as workbook:
        sheet = load_workbook(io.BytesIO(workbook.read()))["Policies"]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=5)}
    assert rows[TITLE][6].value == f"{VARIATION} (approved by {manager_user.person.full_name})"
    assert rows[TITLE][8].value == 1


def test_staff_read_what_changed_in_a_significant_version(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    clinician: Page = signed_in_page("clinician")
    clinician.goto("/policies/")
    clinician.get_by_role("link", name="Safeguarding adults").click()
    expect(clinician.get_by_role("heading", name="Your acknowledgement")).to_be_visible()
    clinician.get_by_role("link", name="Changes from version 1").click()
    expect(clinician.get_by_role("heading", level=1)).to_have_text(
        "Changes from version 1 to version 2"
    )
    expect(clinician.locator(".policy-diff ins").first).to_contain_text("local authority")
    _axe(clinician)
