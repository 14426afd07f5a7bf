"""The collaborative's accountability, end to end: a board member opens the accountability map of
the demo, where the first PCN's practices keep their GMS contracts but sub-contract delivery to the
alliance company, follows an obligation to its breach view, and reads who answers to whom. Read
only: it shares the loaded demo (conftest.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from openpcn.contracts.models import Delegation
from openpcn.demo.contracts import COMMISSIONER, COMPANY_SUFFIX
from openpcn.organisations.models import Alliance
from tests.functional.test_population_dashboards_e2e import _axe

pytestmark = pytest.mark.e2e
DEMO_READ_ONLY = True


def test_board_member_reads_the_chain_and_who_answers_for_a_breach(signed_in_page) -> None:  # type: ignore[no-untyped-def]
    delegation = (
        Delegation.objects.filter(in_whole=True)
        .select_related("obligation__contract__holder", "subcontract")
        .order_by("obligation__contract__holder__name")
        .first()
    )
    assert delegation is not None, "the demo sub-contracts delivery in the first PCN"
    obligation = delegation.obligation
    partners = obligation.contract.holder_label
    company = f"{Alliance.objects.get(is_synthetic=True).name} {COMPANY_SUFFIX}"

    page: Page = signed_in_page("board")
    page.goto("/contracts/")
    page.get_by_role("link", name="Accountability map").first.click()
    expect(page.get_by_role("heading", name="Accountability map", level=1)).to_be_visible()
    card = page.locator("section.nhsuk-card").filter(
        has=page.get_by_role("heading", name=obligation.contract.title)
    )
    row = card.get_by_role("row").filter(has_text=obligation.description)
    expect(row).to_contain_text(f"{COMMISSIONER} ← {partners} ← {company}")
    _axe(page)

    row.get_by_role("link", name=obligation.description).click()
    expect(page.get_by_role("heading", name=obligation.description, level=1)).to_be_visible()
    chain = page.locator("ol.chain").first
    expect(chain.get_by_role("listitem")).to_have_text(
        [COMMISSIONER, re.compile(f"^{re.escape(partners)}"), re.compile(f"^{re.escape(company)}")]
    )
    breach = page.locator("ol.breach").first
    expect(breach).to_contain_text(
        f"{company} answers to {partners} under {delegation.clause} of {delegation.subcontract.title}"
    )
    expect(breach).to_contain_text(f"{partners} remains accountable to {COMMISSIONER}")
    expect(breach).to_contain_text("sub-contracting the work does not pass on the accountability")
    _axe(page)


def test_a_demo_pcns_network_agreement_export_lists_members_director_and_payee(
    signed_in_page,
) -> None:  # type: ignore[no-untyped-def]
    from openpcn.contracts.agreements import agreement_view
    from openpcn.contracts.models import NetworkAgreement
    from tests.files import pdf_text

    agreement = NetworkAgreement.objects.filter(status="signed").order_by("network__name").first()
    assert agreement is not None, "the demo's PCNs have signed agreements"
    view = agreement_view(agreement)
    page: Page = signed_in_page("board")
    page.goto("/governance/")
    page.get_by_role("link", name="Network Agreements").click()
    page.get_by_role("link", name=agreement.network.name).click()
    expect(page.locator("#schedule-1")).to_contain_text(str(view.clinical_director))
    _axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download version \d+ as PDF")).click()
    with open(download.value.path(), "rb") as pdf:
        text = pdf_text(pdf.read())
    for practice in view.members:
        assert practice.name.encode() in text, practice.name
    assert f"Clinical Director: {view.clinical_director}".encode() in text
    assert view.nominated_payee is not None
    assert f"Nominated payee: {view.nominated_payee.name}".encode() in text
