"""Recruitment end to end (issue 13), in a real browser on the demo: the PCN manager drafts an ARRS
vacancy, the Clinical Director approves it, it opens on the alliance's public jobs page, a candidate
applies there without an account, the panel shortlists blind and scores, the chair shortlists,
the manager books the interview, offers, records the checks and appoints, and the new person is in
the staff records with their contract."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from playwright.sync_api import Page, expect

from openpcn.accounts.models import Membership, User
from openpcn.recruitment import actions
from openpcn.recruitment.models import Vacancy
from tests.files import docx_bytes, pdf_bytes
from tests.functional.test_population_dashboards_e2e import _axe

pytestmark = pytest.mark.e2e

TITLE = "Clinical pharmacist (care homes)"
GIVEN, FAMILY = "Rosalind", "Achebe-Hart"


def _panel_label(username: str) -> str:
    user = User.objects.get(username=username)
    return f"{user.get_full_name() or user.username} ({user.username})"


def _click(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def test_an_arrs_vacancy_from_draft_to_a_staff_member_with_a_contract(
    transactional_db, new_context, signed_in_page
) -> None:  # type: ignore[no-untyped-def]
    network = Membership.objects.get(user__username="pcn.manager").organisation
    today = dt.date.today()

    # The PCN manager drafts an ARRS-funded vacancy, with criteria, a panel and a site.
    manager = signed_in_page("pcn.manager")
    manager.goto("/resources/")
    manager.get_by_role("link", name="Vacancies and recruitment").click()
    manager.get_by_role("link", name="Draft a vacancy").click()
    manager.get_by_label("Employer").select_option(label=f"{network.name} (Primary Care Network)")
    manager.get_by_label("Role").select_option(label="Clinical pharmacist (ARRS)")
    manager.get_by_label("Job title").fill(TITLE)
    manager.get_by_label("About the job").fill("Medication reviews for care home residents.")
    manager.get_by_label("Hours a week").fill("37.5")
    manager.get_by_label("Agenda for Change band").select_option(label="Band 7")
    manager.get_by_label("Salary from (£ a year)").fill("46148")
    manager.get_by_label("Salary to (£ a year)").fill("52809")
    manager.get_by_label("Funding").select_option(label="ARRS-funded")
    manager.get_by_label("Closing date").fill((today + dt.timedelta(days=21)).isoformat())
    manager.get_by_label("Shortlisting").select_option(label="Blind: the panel sees no names")
    _click(manager, "Draft the vacancy")
    expect(manager.get_by_test_id("vacancy-status")).to_have_text("Draft")
    expect(manager.get_by_test_id("arrs-headroom")).to_contain_text("ARRS sum")
    vacancy_url = manager.url
    for text in ("Registered with the GPhC", "Experience of care home medicines reviews"):
        manager.get_by_label("Criterion", exact=True).fill(text)
        _click(manager, "Add the criterion")
    manager.get_by_label("Panel member").select_option(label=_panel_label("pcn.manager"))
    manager.get_by_label("Chair").select_option(label="Yes, chairs the panel")
    _click(manager, "Add to the panel")
    manager.get_by_label("Panel member").select_option(label=_panel_label("clinical.director"))
    _click(manager, "Add to the panel")
    manager.locator("input[name=sites]").first.check()
    _click(manager, "Save the sites")
    expect(manager.get_by_role("button", name="Approve the vacancy")).to_have_count(0)
    _axe(manager)

    # The Clinical Director approves it; the manager opens it.
    director = signed_in_page("clinical.director")
    director.goto(vacancy_url)
    _click(director, "Approve the vacancy")
    expect(director.get_by_test_id("vacancy-status")).to_have_text("Approved")
    manager.goto(vacancy_url)
    _click(manager, "Open for applications")
    expect(manager.get_by_test_id("vacancy-status")).to_have_text("Open for applications")
    vacancy = Vacancy.objects.get(title=TITLE)

    # A candidate applies from the alliance's public jobs page, without an account.
    candidate = new_context().new_page()
    candidate.goto(f"/recruitment/jobs/{vacancy.alliance_id}/")
    candidate.get_by_role("link", name=TITLE).click()
    posting = json.loads(
        candidate.locator('script[type="application/ld+json"]').text_content() or ""
    )
    assert posting["@type"] == "JobPosting" and posting["title"] == TITLE
    assert posting["hiringOrganization"]["name"] == network.name
    _axe(candidate)
    candidate.get_by_role("link", name="Apply for this job").click()
    candidate.get_by_label("First name").fill(GIVEN)
    candidate.get_by_label("Last name").fill(FAMILY)
    candidate.get_by_label("Email address").fill("rosalind@example.org")
    candidate.get_by_label("Professional registration number").fill("2087654")
    candidate.get_by_label("Your CV").set_input_files(
        {
            "name": "cv.docx",
            "mimeType": "application/octet-stream",
            "buffer": docx_bytes(f"{GIVEN} {FAMILY}"),
        }
    )
    candidate.get_by_label("Supporting statement").set_input_files(
        {"name": "statement.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("statement")}
    )
    _axe(candidate)
    _click(candidate, "Send my application")
    expect(candidate.get_by_role("heading", level=1)).to_have_text("Application sent")
    # A second candidate, so the panel has a choice.
    actions.apply(
        vacancy=vacancy,
        given_name="Other",
        family_name="Applicant",
        email="other@example.org",
        cv=actions.Upload("cv.pdf", pdf_bytes("cv")),
        statement=actions.Upload("statement.pdf", pdf_bytes("other statement")),
        send_email=False,
    )
    manager.goto(vacancy_url)
    _click(manager, "Close applications and start shortlisting")
    expect(manager.get_by_test_id("vacancy-status")).to_have_text("Shortlisting")

    # The panel shortlists blind: candidate numbers, no names; each member scores.
    for page, high in ((director, "3"), (manager, "2")):
        page.goto(vacancy_url + "panel/")
        expect(page.get_by_test_id("blind")).to_be_visible()
        expect(page.locator("main")).not_to_contain_text(FAMILY)
        for number, value in (("Candidate 1", high), ("Candidate 2", "1")):
            form = page.get_by_test_id(f"score-{number}")
            for select in form.locator("select").all():
                select.select_option(value)
            form.get_by_role("button").click()
            expect(page.get_by_role("status").first).to_contain_text(f"Your scores for {number}")
        _axe(page)
    expect(manager.locator("#panel-scores")).to_contain_text("5.0")  # (6 + 4) / 2 for Candidate 1
    manager.get_by_label("Shortlist Candidate 1").check()
    _click(manager, "Confirm the shortlist")
    expect(manager.locator("main")).to_contain_text("1 shortlisted for interview")

    # Interview (invitations go out with an .ics), outcome, offer, checks, appointment.
    manager.goto(vacancy_url)
    expect(manager.get_by_test_id("vacancy-status")).to_have_text("Interviews")
    expect(manager.locator("#applications")).to_contain_text(f"{GIVEN} {FAMILY}")
    manager.get_by_label("Starts", exact=True).fill(f"{today + dt.timedelta(days=7)} 10:00")
    manager.get_by_label("Where").fill("Meeting room 2")
    _click(manager, "Book and send invitations")
    expect(manager.get_by_role("link", name="Calendar invitation (.ics)")).to_be_visible()
    manager.get_by_label("Outcome for Candidate 1").select_option(label="Appointable")
    manager.get_by_label("Feedback for Candidate 1").fill("Strong on care home medicines.")
    _click(manager, "Record the outcome")
    manager.get_by_label("Start date").fill((today + dt.timedelta(days=60)).isoformat())
    manager.get_by_label("Salary (£ a year)").fill("48500")
    _click(manager, "Make the offer")
    expect(manager.get_by_test_id("vacancy-status")).to_have_text("Offer made")
    manager.get_by_label("The candidate's answer").select_option(label="Accepted")
    _click(manager, "Record the answer")
    manager.get_by_label("Right to work checked on").fill(today.isoformat())
    manager.get_by_label("Right to work evidence seen").fill("UK passport")
    manager.get_by_label("Registration checked on").fill(today.isoformat())
    manager.get_by_label("DBS level").select_option(label="Enhanced")
    manager.get_by_label("DBS certificate number").fill("001122334455")
    manager.get_by_label("DBS checked on").fill(today.isoformat())
    _click(manager, "Record the checks")
    _axe(manager)
    _click(manager, "Appoint and add to the staff records")

    # The new person is a staff member with their contract, typed in nowhere else.
    expect(manager.get_by_role("heading", level=1)).to_have_text(f"{GIVEN} {FAMILY}")
    contract = manager.get_by_role("table").first
    expect(contract).to_contain_text("Clinical pharmacist")
    expect(contract).to_contain_text(network.name)
    expect(contract).to_contain_text("ARRS")
    expect(contract).to_contain_text("Band 7")
    vacancy.refresh_from_db()
    assert vacancy.status == "filled"
