"""A PCN manager plans, adjusts and publishes a 4-week rota; a clinician then sees it on My rota and
subscribes to a calendar feed that an RFC 5545 parser reads.

The plan is solved by a real task worker: django-tasks-db's worker loop runs in a thread of the test
process, so it reaches the live server's test database. On PostgreSQL it has a connection of its
own. On SQLite the test database is in memory with a shared cache, which a worker in another
process could not open and whose table locks make a second connection fail at once; there the
worker shares the live server's connection (see `task_worker`).

This module changes the demo data (a rota, a feed), so the next module gets it reloaded.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import nullcontext

import icalendar
import pytest
from django.db import connections
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import Page, expect

from openpcn.accounts.models import User
from openpcn.organisations.models import Network, Site
from openpcn.rostering.models import PlanStatus, RotaPlan
from openpcn.rostering.queries import published_sessions
from openpcn.workforce.queries import own_staff_record
from tests.functional.conftest import AXE_JS

pytestmark = pytest.mark.e2e

WEEKS = 4
TIME_LIMIT_SECONDS = 10
SOLVE_TIMEOUT_MS = 120_000
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE_JS = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
  .then(results => results.violations)"""


@pytest.fixture
def task_worker(transactional_db: None, live_server, monkeypatch) -> Iterator[Worker]:
    """django-tasks-db's worker, polling the queue every half second in a background thread."""
    worker = Worker(
        queue_names=["default"],
        interval=0.5,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="rota-planning-test",
    )
    # SQLite's test database is in memory with a shared cache, whose table locks make a second
    # connection fail at once ("database table is locked"). So on SQLite the worker and this test
    # use the live server's connection, as Django's live server thread itself shares the test's;
    # on PostgreSQL the worker has a connection of its own.
    main = live_server.thread.connections_override.get("default")
    shared = main is not None
    if shared:
        previous = connections["default"]
        connections["default"] = main
        main.inc_thread_sharing()
        # The only worker needs no exclusive transaction to claim a task, and on a shared
        # connection its "BEGIN EXCLUSIVE" would clash with a web request's transaction.
        monkeypatch.setattr(db_worker, "exclusive_transaction", lambda using=None: nullcontext())

    def run() -> None:
        if shared:
            connections["default"] = main
        try:
            worker.run()
        finally:
            if not shared:
                connections.close_all()

    thread = threading.Thread(target=run, name="task-worker", daemon=True)
    thread.start()
    yield worker
    worker.running = False
    thread.join(timeout=60)
    if shared:
        main.dec_thread_sharing()
        connections["default"] = previous
    assert not thread.is_alive(), "the task worker did not stop"


def _no_accessibility_violations(page: Page) -> None:
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(RUN_AXE_JS, WCAG_22_AA)
    assert not violations, f"{page.url}\n" + "\n".join(
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:5]}" for v in violations
    )


def _monday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def test_manager_plans_adjusts_and_publishes_then_clinician_subscribes(
    task_worker: Worker, signed_in_page, new_context
) -> None:
    network = Network.objects.get(name="Brookside PCN")
    clinician = own_staff_record(User.objects.get(username="clinician"))
    assert clinician is not None
    first_day = _monday_on_or_after(dt.date.today())
    site = Site.objects.get(name="Brookside Surgery")
    assert clinician.sites.filter(pk=site.pk).exists()
    skill = clinician.skills.filter(is_role=True).first()
    # The planner's adjustment: the clinician on the second Tuesday afternoon at Brookside.
    adjusted_day = first_day + dt.timedelta(days=8)

    # --- The PCN manager plans a 4-week rota; a worker solves it while the page polls.
    page = signed_in_page("pcn.manager")
    page.goto("/home/")
    page.get_by_role("link", name="Rotas", exact=True).first.click()
    page.get_by_role("link", name="Plan a rota").click()
    page.get_by_label("Rota for").select_option(label=f"{network.name} (Primary Care Network)")
    page.get_by_label("First day").fill(first_day.isoformat())
    page.get_by_label("Weeks").fill(str(WEEKS))
    page.get_by_label("Time limit for planning, in seconds").fill(str(TIME_LIMIT_SECONDS))
    page.get_by_role("button", name="Start planning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rota from {first_day:%A %d %B %Y}")
    expect(page.get_by_role("button", name="Cancel planning")).to_be_visible()
    # The progress fragment polls every 2 s; when planning ends the page reloads with the result.
    expect(page.get_by_role("heading", name="See the rota")).to_be_visible(timeout=SOLVE_TIMEOUT_MS)
    plan = RotaPlan.objects.get(scope=network, first_day=first_day)
    assert plan.status == PlanStatus.PLANNED, plan.progress_message
    assert plan.weeks == WEEKS and plan.assignments.exists()
    expect(page.get_by_test_id("plan-status")).to_contain_text("Planned")
    expect(page.get_by_role("button", name="Cancel planning")).to_have_count(0)
    _no_accessibility_violations(page)

    # --- Adjust one assignment in the site week grid (htmx swaps the cell, with live checks).
    page.get_by_role("link", name="Site week grid (edit sessions)").click()
    page.get_by_label("Site", exact=True).select_option(label="Brookside Surgery")
    page.get_by_label("Week", exact=True).select_option(
        value=(first_day + dt.timedelta(7)).isoformat()
    )
    page.get_by_role("button", name="Show week").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Brookside Surgery: week from {first_day + dt.timedelta(7):%A %d %B %Y}"
    )
    _no_accessibility_violations(page)
    label = f"Tuesday {adjusted_day:%d %B} PM"
    cell = page.locator(f"#cell-{site.pk}-{adjusted_day:%Y%m%d}-pm")
    cell.locator("summary").click()
    roles = ", ".join(s.name for s in clinician.skills.filter(is_role=True))
    cell.get_by_label(f"Person for {label}").select_option(
        label=f"{clinician.person.full_name} ({roles})"
    )
    cell.get_by_label(f"As (skill) for {label}").select_option(label=skill.name)
    url_before = page.url
    cell.get_by_role("button", name=f"Add to {label}").click()
    cell = page.locator(f"#cell-{site.pk}-{adjusted_day:%Y%m%d}-pm")
    entry = cell.get_by_role("listitem").filter(has_text=clinician.person.full_name)
    expect(entry).to_contain_text("Locked")
    expect(cell.get_by_text(re.compile("Saved; no breaches|Check the rules"))).to_be_visible()
    assert page.url == url_before  # only the cell changed
    assignment = plan.assignments.get(staff=clinician, date=adjusted_day, session="pm")
    assert assignment.site == site and assignment.locked and assignment.source == "planner"

    page.get_by_role("link", name="Coverage of all sites this week").click()
    expect(
        page.get_by_role("table", name="People filled of people wanted, by site and day")
    ).to_contain_text("Brookside Surgery")
    _no_accessibility_violations(page)
    page.goto("/rotas/enhanced-access/")
    expect(page.get_by_role("table", name=network.name)).to_contain_text("Minutes required")
    _no_accessibility_violations(page)
    page.goto(f"/rotas/{plan.pk}/")

    # --- Publish, giving a reason if the live checks found breaches.
    reason = page.get_by_label("Reason to publish despite the breaches")
    if reason.count():
        reason.fill("Reviewed with the clinical director; cover agreed locally")
    page.get_by_role("button", name="Publish rota").click()
    expect(page.get_by_role("status").first).to_contain_text("The rota is published")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    page.goto(f"/rotas/pcn/{network.pk}/?week={first_day.isoformat()}")
    expect(page.get_by_text("From the rota published")).to_be_visible()
    _no_accessibility_violations(page)

    # --- The clinician sees the rota on My rota and creates a calendar feed.
    page = signed_in_page("clinician")
    page.goto("/home/")
    page.get_by_role("link", name="My rota").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My rota")
    sessions = page.get_by_role("table", name="Your upcoming sessions")
    expect(sessions).to_contain_text(f"Tuesday {adjusted_day:%d %B %Y}")
    expect(sessions).to_contain_text("Brookside Surgery")
    _no_accessibility_violations(page)
    page.get_by_role("button", name="Create calendar feed").click()
    feed_url = page.get_by_label("Your calendar address").input_value()
    assert re.search(r"/rotas/feed/[\w-]+\.ics$", feed_url), feed_url

    # --- A calendar app (no sign-in) downloads the feed; an RFC 5545 parser reads it.
    with urllib.request.urlopen(feed_url, timeout=30) as response:  # noqa: S310 - the live server
        assert response.headers["Content-Type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.read())
    events = calendar.walk("VEVENT")
    published = published_sessions(clinician, since=dt.date.today() - dt.timedelta(days=90))
    assert len(events) == len(published) > 0
    assert {e.decoded("DTSTART").date() for e in events} == {a.date for a in published}
    added = [
        e
        for e in events
        if e.decoded("DTSTART").date() == adjusted_day
        and str(e["SUMMARY"]) == "PM session at Brookside Surgery"
    ]
    assert len(added) == 1, [str(e["SUMMARY"]) for e in events]
    assert added[0].decoded("DTSTART").strftime("%H:%M") == "13:30"
    assert str(added[0]["LOCATION"]).startswith("Brookside Surgery")
