"""End-to-end tests in a real browser: Playwright driving Debian's Chromium against a live server.

The database. Every module gets one demo alliance (`load_demo`, ~4 s) shared by its tests, rather
than pytest-django's empty database per test: a `live_server` test normally gets
`transactional_db`, whose flush after every test would mean reloading the demo for each one. So
this package overrides `transactional_db` (which pytest-django's `live_server` helper requests) with
one that only opens database access on top of the module's loaded demo. When the module is done,
the database is emptied and what was there before (the reference data that migrations seed) is put
back, as TransactionTestCase's serialized rollback does, so tests elsewhere find the database as
they expect. Tests that change data live in their own module.

The browser. One Chromium per test session of this package, a fresh browser context (cookies,
storage) per test. Playwright's sync API runs an event loop in the main thread, which Django's
async-safety check would take for async code calling the ORM; `DJANGO_ALLOW_ASYNC_UNSAFE` is set
while the browser runs (the live server and the test thread never use the database at once: every
test waits for the page it asked for before it queries).

Signing in. `sign_in` goes through the real sign-in and two-factor pages. A TOTP code is accepted
only once, so `signed_in_context` signs each user in once per module and reuses the cookies.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
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


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/install --dev)")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            yield p
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


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker, playwright: Playwright) -> Iterator[None]:
    """The demo alliance, loaded once for the module; the database is put back as it was after it."""
    # `playwright` first: the database is restored while the browser's event loop still runs.
    with django_db_blocker.unblock():
        # What migrations left there (reference data), as TransactionTestCase's serialized rollback.
        before = connection.creation.serialize_db_to_string()
        with override_settings(PASSWORD_HASHERS=[DEMO_PASSWORD_HASHER]):
            load_demo(seed=2026)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(before)


@pytest.fixture(autouse=True)
def _demo_passwords_can_be_checked(settings) -> None:
    """Tests may narrow PASSWORD_HASHERS (tests/conftest.py does); keep the demo's hasher in it."""
    if DEMO_PASSWORD_HASHER not in settings.PASSWORD_HASHERS:
        settings.PASSWORD_HASHERS = [*settings.PASSWORD_HASHERS, DEMO_PASSWORD_HASHER]


@pytest.fixture
def transactional_db(demo: None, django_db_blocker) -> Iterator[None]:
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


def sign_in(page: Page, username: str) -> None:
    """Sign in through the sign-in page and, for admin roles, the two-factor page."""
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if username in TWO_FACTOR_USERS:
        expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
        page.get_by_label("6-digit code").fill(current_code(username))
        page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/home/$"))


@pytest.fixture(scope="module")
def _storage_states() -> dict[str, object]:
    return {}


@pytest.fixture
def signed_in_context(
    new_context: Callable[..., BrowserContext], _storage_states: dict[str, object]
) -> Callable[..., BrowserContext]:
    """A browser context signed in as a demo user (signed in once per module, then reused)."""

    def open_context(username: str, **options: object) -> BrowserContext:
        if username not in _storage_states:
            context = new_context(**options)
            sign_in(context.new_page(), username)
            _storage_states[username] = context.storage_state()
            return context
        return new_context(storage_state=_storage_states[username], **options)

    return open_context


@pytest.fixture
def signed_in_page(signed_in_context: Callable[..., BrowserContext]) -> Callable[..., Page]:
    """`signed_in_page("admin")`: a page signed in as that demo user."""

    def open_page(username: str, **options: object) -> Page:
        return signed_in_context(username, **options).new_page()

    return open_page
