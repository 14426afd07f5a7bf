"""End-to-end tests in a real browser: Playwright driving Debian's Chromium against a live server.

The database. The demo alliance (`load_demo`, several seconds) is loaded once and shared by this
package's modules, rather than pytest-django's empty database per test: a `live_server` test
normally gets `transactional_db`, whose flush after every test would mean reloading the demo for
each one. So this package overrides `transactional_db` (which pytest-django's `live_server` helper
requests) with one that only opens database access on top of the loaded demo. Modules that only
read it say `DEMO_READ_ONLY = True`; after any other module the demo is loaded afresh for the next,
so such a module may change data as it likes. At the end the database is emptied and what was
there before (the reference data that migrations seed) is put back, as TransactionTestCase's
serialized rollback does, so tests elsewhere find the database as they expect.

The browser. One Chromium per test session of this package, a fresh browser context (cookies,
storage) per test. Playwright's sync API runs an event loop in the main thread, which Django's
async-safety check would take for async code calling the ORM; `DJANGO_ALLOW_ASYNC_UNSAFE` is set
while the browser runs (the live server and the test thread never use the database at once: every
test waits for the page it asked for before it queries).

Signing in. `sign_in` goes through the real sign-in and two-factor pages. `signed_in_context` signs
each user in once per loaded demo and reuses the cookies.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from openpcn.demo.load import load_demo
from openpcn.demo.logins import DEMO_PASSWORD, current_code

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
TWO_FACTOR_USERS = frozenset({"admin", "finance"})
# The demo's passwords are hashed with this fast hasher (real hashing costs ~0.3 s per login).
DEMO_PASSWORD_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run this package's read-only modules first: they share one loaded demo, and the demo is
    loaded afresh after each of the others (see `demo`)."""
    here = Path(__file__).resolve().parent
    positions = [i for i, item in enumerate(items) if here in Path(item.path).resolve().parents]
    ours = sorted(
        (items[i] for i in positions),
        key=lambda item: not getattr(getattr(item, "module", None), "DEMO_READ_ONLY", False),
    )
    for position, item in zip(positions, ours, strict=True):
        items[position] = item


@pytest.fixture(scope="session")
def live_server(django_db_setup: None, live_server):
    """pytest-django's live server, started once the test database exists.

    pytest sets session fixtures up first; started before the test database, the server would not
    see that SQLite's is in memory, nor share this thread's connection to it as Django intends.
    """
    return live_server


@pytest.fixture(scope="package")
def playwright(django_db_setup: None) -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/install --dev)")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    own_connections = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as p:
            # While Playwright's event loop runs in this thread, asgiref's Local behind Django's
            # `connections` acts as a context variable and would open new connections: keep
            # using the thread's own (which the live server shares on SQLite).
            for alias, own in own_connections.items():
                connections[alias] = own
            try:
                yield p
            finally:
                connections.close_all()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class DemoDatabase:
    """The test database holding the demo alliance, shared by the modules of this package."""

    def __init__(self, blocker) -> None:
        self.blocker = blocker
        self.changed = False
        # Cookies of signed-in users, valid as long as the sessions in the database are.
        self.storage_states: dict[str, object] = {}
        with blocker.unblock():
            # What migrations left there (reference data), as for a serialized rollback.
            self.before = connection.creation.serialize_db_to_string()

    def load(self) -> None:
        with self.blocker.unblock(), override_settings(PASSWORD_HASHERS=[DEMO_PASSWORD_HASHER]):
            load_demo(seed=2026)
        self.changed = False

    def restore(self) -> None:
        """Put the database back as it was before the demo."""
        with self.blocker.unblock():
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(self.before)
        self.storage_states.clear()


@pytest.fixture(scope="package")
def demo_database(django_db_setup: None, django_db_blocker, playwright) -> Iterator[DemoDatabase]:
    # After `playwright`: the database is restored while the browser's event loop still runs.
    database = DemoDatabase(django_db_blocker)
    database.load()
    yield database
    database.restore()


@pytest.fixture(scope="module")
def demo(demo_database: DemoDatabase, request: pytest.FixtureRequest) -> Iterator[DemoDatabase]:
    """The demo as loaded, for this module: reloaded if the module before may have changed it.

    A module may change the demo unless it says `DEMO_READ_ONLY = True`.
    """
    if demo_database.changed:
        demo_database.restore()
        demo_database.load()
    yield demo_database
    if not getattr(request.module, "DEMO_READ_ONLY", False):
        demo_database.changed = True


@pytest.fixture(autouse=True)
def _demo_passwords_can_be_checked(settings) -> None:
    """Tests may narrow PASSWORD_HASHERS (tests/conftest.py does); keep the demo's hasher in it."""
    if DEMO_PASSWORD_HASHER not in settings.PASSWORD_HASHERS:
        settings.PASSWORD_HASHERS = [*settings.PASSWORD_HASHERS, DEMO_PASSWORD_HASHER]


@pytest.fixture
def transactional_db(demo: DemoDatabase, django_db_blocker) -> Iterator[None]:
    """Database access for the test and the live server, on the module's demo (see above)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def new_context(browser: Browser, live_server) -> Iterator[Callable[..., BrowserContext]]:
    """Open browser contexts on the live server; all are closed after the test."""
    contexts: list[BrowserContext] = []

    def open_context(**options: object) -> BrowserContext:
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page of a fresh, signed-out browser context."""
    return new_context().new_page()


def unused_code(username: str) -> str:
    """The user's current TOTP code, once it is one not used yet: a code is accepted only once.

    Waits (at most one 30-second step) only if this user signed in during the current step.
    """
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    next_step_starts = device.t0 + (device.last_t + 1) * device.step
    if (wait := next_step_starts - time.time()) > 0:
        time.sleep(wait + 0.1)
    return current_code(username)


def sign_in(page: Page, username: str) -> None:
    """Sign in through the sign-in page and, for admin roles, the two-factor page."""
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if username in TWO_FACTOR_USERS:
        expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
        page.get_by_label("6-digit code").fill(unused_code(username))
        page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/home/$"))


@pytest.fixture
def signed_in_context(
    new_context: Callable[..., BrowserContext], demo: DemoDatabase
) -> Callable[..., BrowserContext]:
    """A browser context signed in as a demo user (each signs in once, then cookies are reused)."""

    def open_context(username: str, **options: object) -> BrowserContext:
        if username not in demo.storage_states:
            context = new_context(**options)
            sign_in(context.new_page(), username)
            demo.storage_states[username] = context.storage_state()
            return context
        return new_context(storage_state=demo.storage_states[username], **options)

    return open_context


@pytest.fixture
def signed_in_page(signed_in_context: Callable[..., BrowserContext]) -> Callable[..., Page]:
    """`signed_in_page("admin")`: a page signed in as that demo user."""

    def open_page(username: str, **options: object) -> Page:
        return signed_in_context(username, **options).new_page()

    return open_page
