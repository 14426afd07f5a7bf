"""The staff bank end to end: a practice asks for cover, a colleague claims it, a second colleague
finds it already filled, the practice approves the timesheet and the payments export shows it.

The claimer is the demo `clinician`, a staff member of the practice manager's practice (Brookside
Surgery, in the first PCN): the first pool, so the claim is valid as soon as the request is posted
rather than after the escalation timings (an hour per pool by default).

This module changes the demo data: the next module gets a freshly loaded demo (conftest.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from openpcn.accounts import actions as accounts
from openpcn.accounts.models import User
from openpcn.bank.models import Booking, CoverRequest, CoverStatus
from openpcn.demo.logins import DEMO_PASSWORD
from openpcn.organisations.models import Site
from openpcn.workforce.models import StaffMember
from tests.functional.conftest import AXE_JS, sign_in

pytestmark = pytest.mark.e2e

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE_JS = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
  .then(results => results.violations.map(v => v.id + ': ' + v.help + ' ' +
    v.nodes.map(n => n.target.join(' ')).join(', ')))"""


def check_accessibility(page: Page) -> None:
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(RUN_AXE_JS, WCAG_22_AA)
    assert not violations, f"{page.url}\n" + "\n".join(violations)


def _second_colleague(claimer: StaffMember) -> User:
    """A login for another staff member of the same practice with the same role (pool 0 too)."""
    skill = claimer.skills.order_by("-is_role").first()
    colleague = (
        StaffMember.objects.filter(
            home_practice=claimer.home_practice, skills=skill, is_active=True
        )
        .exclude(pk=claimer.pk)
        .exclude(person_id__in=User.objects.filter(person__isnull=False).values("person_id"))
        .select_related("person")
        .order_by("pk")
        .first()
    )
    assert colleague is not None, "the demo practice has a second member of staff in that role"
    user = accounts.create_user(
        by=None, username="second.clinician", password=DEMO_PASSWORD, person=colleague.person
    )
    accounts.grant_membership(
        by=None,
        user=user,
        organisation=claimer.home_practice,
        role="clinician",
        start_date=dt.date(2024, 4, 1),
    )
    return user


def test_cover_request_claimed_filled_approved_and_exported(signed_in_page, new_context) -> None:
    claimer = StaffMember.objects.select_related("home_practice", "person").get(
        person_id=User.objects.get(username="clinician").person_id
    )
    practice = claimer.home_practice
    skill = claimer.skills.order_by("-is_role").first()
    site = Site.objects.filter(organisation=practice, is_active=True).order_by("kind", "pk").first()
    day = timezone.localdate() + dt.timedelta(days=2)
    second = _second_colleague(claimer)

    # 1. The practice manager posts a cover request.
    manager = signed_in_page("practice.manager")
    manager.goto("/bank/requests/new/")
    check_accessibility(manager)
    manager.get_by_label("Practice", exact=True).select_option(label=practice.name)
    manager.get_by_label("Site", exact=True).select_option(label=site.name)
    manager.get_by_label("Date of the session").fill(day.isoformat())
    manager.get_by_label("Start time").fill("09:00")
    manager.get_by_label("End time").fill("13:00")
    manager.get_by_label("Role or skill needed").select_option(label=skill.name)
    manager.get_by_label("Rate for the session, in pounds").fill("300.00")
    manager.get_by_label("Notes for the person covering (optional)").fill("Sickness cover")
    manager.get_by_role("button", name="Post the request").click()
    expect(manager.get_by_role("status")).to_contain_text("Cover requested")
    cover = CoverRequest.objects.get(practice=practice, notes="Sickness cover")
    expect(manager).to_have_url(re.compile(rf"/bank/requests/{cover.pk}/$"))
    expect(manager.locator(".nhsuk-summary-list")).to_contain_text("The practice's own staff")
    check_accessibility(manager)

    # 2. A second colleague opens the sessions available: the session is there, with Claim.
    other = new_context().new_page()
    sign_in(other, second.username)
    other.goto("/bank/sessions/")
    other_row = other.get_by_role("row").filter(has_text=site.name).filter(has_text=skill.name)
    expect(other_row.get_by_role("button", name=re.compile(r"^Claim"))).to_have_count(1)

    # 3. The clinician claims it first.
    clinician = signed_in_page("clinician")
    clinician.goto("/bank/sessions/")
    check_accessibility(clinician)
    row = clinician.get_by_role("row").filter(has_text=site.name).filter(has_text=skill.name)
    row.get_by_role("button", name=re.compile(r"^Claim")).click()
    expect(clinician.get_by_role("heading", name="You are booked")).to_be_visible()
    check_accessibility(clinician)
    booking = Booking.objects.get(cover_request=cover)
    assert booking.staff == claimer and booking.pool == 0

    # 4. The second colleague presses Claim on the page they already had: already filled.
    other_row.get_by_role("button", name=re.compile(r"^Claim")).click()
    expect(other.get_by_role("alert")).to_contain_text(
        "Sorry, this session has already been filled"
    )
    expect(
        other.get_by_role("row").filter(has_text=site.name).filter(has_text=skill.name)
    ).to_have_count(0)
    check_accessibility(other)
    assert Booking.objects.filter(cover_request=cover).count() == 1

    # 5. The session takes place. The browser cannot wait two days, and a timesheet is approved
    # only once the session has started (approve_timesheet), so the test moves the session (the
    # request and its booking alike) to yesterday, the same hours, in the database.
    shift = dt.timedelta(days=3)
    CoverRequest.objects.filter(pk=cover.pk).update(
        starts_at=cover.starts_at - shift, ends_at=cover.ends_at - shift
    )
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=booking.starts_at - shift, ends_at=booking.ends_at - shift
    )
    worked_on = day - shift

    # 6. The practice approves the timesheet (the clinician left half an hour early).
    manager.goto("/bank/requests/")
    to_approve = manager.get_by_role("table").filter(has_text=claimer.person.full_name).first
    to_approve.get_by_role("link", name=re.compile(r"^Approve or record a no-show")).click()
    expect(manager.get_by_label("Started at")).to_have_value("09:00")
    manager.get_by_label("Finished at").fill("12:30")
    check_accessibility(manager)
    manager.get_by_role("button", name="Approve the timesheet").click()
    expect(manager.get_by_role("status")).to_contain_text(
        f"Timesheet approved: {claimer.person.full_name} is paid £262.50"
    )
    cover.refresh_from_db()
    assert cover.status == CoverStatus.FILLED

    # 7. The payments page and its CSV export show the session and the practice's total.
    manager.goto(f"/bank/payments/?month={worked_on:%Y-%m}")
    check_accessibility(manager)
    sessions = manager.get_by_role("table").filter(has_text="Approved sessions")
    expect(sessions.get_by_role("row").filter(has_text=claimer.person.full_name)).to_contain_text(
        "£262.50"
    )
    with manager.expect_download() as download:
        manager.get_by_role("link", name=re.compile(r"^CSV")).click()
    with open(download.value.path(), encoding="utf-8") as exported:
        lines = list(csv.reader(io.StringIO(exported.read())))
    assert [
        worked_on.isoformat(),
        practice.name,
        site.name,
        claimer.person.full_name,
        skill.name,
        "09:00",
        "12:30",
        "3.50",
        "300.00",
        "262.50",
    ] in lines
    totals = [line for line in lines if line[:3] == ["Total", f"{worked_on:%Y-%m}", practice.name]]
    assert totals and totals[0][-1] != "0"

    # The report for the month counts the filled session.
    manager.goto(f"/bank/reports/?month={worked_on:%Y-%m}")
    check_accessibility(manager)
    expect(manager.get_by_role("heading", level=1)).to_have_text(f"Bank report, {worked_on:%B %Y}")


BANK_PAGES = [
    ("clinician", "/bank/"),
    ("clinician", "/bank/mine/"),
    ("clinician", "/bank/tokens/"),
    ("pcn.manager", "/bank/"),
    ("pcn.manager", "/bank/requests/"),
    ("pcn.manager", "/bank/members/"),
    ("admin", "/bank/members/new/"),
    ("finance", "/bank/reports/"),
]


@pytest.mark.parametrize(("username", "path"), BANK_PAGES)
def test_bank_page_is_accessible(username: str, path: str, signed_in_page) -> None:
    page = signed_in_page(username)
    response = page.goto(path)
    assert response is not None and response.status == 200
    check_accessibility(page)


def test_new_api_token_is_shown_once_accessibly(signed_in_page) -> None:
    page = signed_in_page("clinician")
    page.goto("/bank/tokens/")
    page.get_by_label("Name of the token").fill("My phone")
    page.get_by_role("button", name="Create the token").click()
    expect(page.get_by_role("status")).to_contain_text("shown this once")
    raw = page.locator("#new-token").inner_text()
    check_accessibility(page)
    response = page.request.get("/api/v1/offers", headers={"Authorization": f"Bearer {raw}"})
    assert response.status == 200
    page.get_by_role("button", name="Revoke the token My phone").click()
    expect(page.get_by_role("status")).to_contain_text("no longer works")
    response = page.request.get("/api/v1/offers", headers={"Authorization": f"Bearer {raw}"})
    assert response.status == 401
