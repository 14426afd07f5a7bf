"""Browser test: a PCN manager creates an event, a clinician books it from the Resources page, the
register is taken after the event, and the clinician downloads the certificate from their CPD log.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from openpcn.accounts.models import Membership
from openpcn.education.models import Booking, Event
from tests.files import pdf_text
from tests.functional.conftest import AXE_JS
from tests.functional.test_population_dashboards_e2e import RUN_AXE_JS, WCAG_22_AA

pytestmark = pytest.mark.e2e

TITLE = "Diabetes foot checks: a practical update"


def _axe(page: Page) -> None:
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(RUN_AXE_JS, WCAG_22_AA)
    assert not violations, f"{page.url}\n" + "\n".join(violations)


def test_create_book_register_and_download_the_certificate(
    transactional_db, signed_in_page
) -> None:  # type: ignore[no-untyped-def]
    network = Membership.objects.get(user__username="pcn.manager").organisation
    day = timezone.localdate() + dt.timedelta(days=3)

    manager = signed_in_page("pcn.manager")
    manager.goto("/resources/")
    manager.get_by_role("link", name="Education events").click()
    manager.get_by_role("link", name="Create an event").click()
    manager.get_by_label("Run by").select_option(label=network.name)
    manager.get_by_label("Kind of event").select_option(label="Course")
    manager.get_by_label("Title").fill(TITLE)
    manager.get_by_label("Learning outcomes").fill(
        "Carry out a diabetic foot risk assessment\nKnow when to refer urgently"
    )
    manager.get_by_label("Speakers").fill("Podiatry team")
    manager.get_by_label("Venue").fill("Hub meeting room")
    manager.get_by_label("Date").fill(day.isoformat())
    manager.get_by_label("Starts at").fill("13:30")
    manager.get_by_label("Ends at").fill("15:30")
    manager.get_by_label("CPD hours").fill("2")
    manager.get_by_label("Places").fill("12")
    _axe(manager)
    manager.get_by_role("button", name="Create the event").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text(TITLE)
    event = Event.objects.get(title=TITLE)

    clinician = signed_in_page("clinician")
    clinician.goto("/resources/")
    clinician.get_by_role("link", name="Education events").click()
    clinician.get_by_role("link", name=TITLE).click()
    _axe(clinician)
    clinician.get_by_role("button", name="Book a place").click()
    expect(clinician.get_by_text("You have a place on this event.")).to_be_visible()
    booking = Booking.objects.get(event=event, status="booked")

    # The afternoon comes and goes.
    starts = timezone.now() - dt.timedelta(hours=3)
    Event.objects.filter(pk=event.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
    )

    manager.goto(f"/education/events/{event.pk}/")
    manager.get_by_role("link", name="Take the register").click()
    name = booking.staff.person.full_name
    manager.get_by_label(re.compile(re.escape(name))).check()
    _axe(manager)
    manager.get_by_role("button", name="Save the register").click()
    expect(manager.get_by_text("Register saved: 1 of 1 attended.")).to_be_visible()

    clinician.goto("/resources/")
    clinician.get_by_role("link", name="My CPD log").click()
    expect(clinician.get_by_role("cell", name=re.compile("^" + re.escape(TITLE)))).to_be_visible()
    _axe(clinician)
    with clinician.expect_download() as download:
        clinician.get_by_role("link", name=f"Download certificate for {TITLE}").click()
    pdf = pdf_text(Path(download.value.path()).read_bytes())
    assert name.encode() in pdf
    assert TITLE.encode() in pdf
    assert f"{timezone.localtime(starts):%d %B %Y}".encode() in pdf
    assert b"CPD hours: 2" in pdf
