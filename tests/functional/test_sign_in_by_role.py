"""Signed in as each demo role, a user sees their role's home page and the menu that role should."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from openpcn.accounts.models import Membership
from tests.functional.conftest import DemoDatabase, sign_in

pytestmark = pytest.mark.e2e
DEMO_READ_ONLY = True  # shares the loaded demo with other such modules (conftest.py)

ADMIN_ONLY_ACCOUNT_LINKS = ("Administration",)  # beside the user's name, not in the menu
ADMIN_ONLY_PATHS = ("/administration/", "/accounts/users/", "/audit/")
# Users and roles and the audit log sit behind Administration, never in the header itself.
NEVER_IN_MENU = ("Users and roles", "Audit log")


@dataclass(frozen=True)
class Role:
    username: str
    card: str  # the role's name, the heading of its card on the home page
    is_admin: bool = False  # sees "Administration" (users and roles, the audit log) by their name
    sees_finance: bool = False  # holds FINANCE_VIEW somewhere


ROLES = [
    Role("admin", "Alliance admin", is_admin=True, sees_finance=True),
    Role("finance", "Finance officer", sees_finance=True),
    Role("clinician", "Clinician or staff member"),
    Role("pcn.manager", "PCN manager", sees_finance=True),
    Role("clinical.director", "Clinical Director", sees_finance=True),
    Role("practice.manager", "Practice manager"),
    Role("analyst", "Alliance analyst"),
    Role("board", "Board member", sees_finance=True),
]


def _role_params() -> list[object]:
    return [pytest.param(role, id=role.username) for role in ROLES]


def _menu_links(page: Page) -> dict[str, str]:
    links = page.get_by_role("navigation", name="Menu").get_by_role("link")
    return {link.inner_text().strip(): link.get_attribute("href") or "" for link in links.all()}


@pytest.mark.parametrize("role", _role_params())
def test_sign_in_as_role_shows_role_card_and_menu(
    role: Role, page: Page, demo: DemoDatabase
) -> None:
    sign_in(page, role.username)  # the real sign-in page, and the two-factor page for admins
    demo.storage_states[role.username] = page.context.storage_state()  # for the next test

    membership = Membership.objects.select_related("organisation").get(user__username=role.username)
    card = page.locator(".nhsuk-card").filter(
        has=page.get_by_role("heading", name=role.card, exact=True)
    )
    expect(card).to_have_count(1)
    expect(card.get_by_role("link", name=membership.organisation.name)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    menu = list(_menu_links(page))
    assert menu[:1] == ["Organisations"], menu  # the service name links home
    account = page.get_by_role("navigation", name="Account").get_by_role("link").all_inner_texts()
    for item in ADMIN_ONLY_ACCOUNT_LINKS:
        assert (item in [a.strip() for a in account]) == role.is_admin, (
            f"{role.username}: {account}"
        )
    assert ("Finance" in menu) == role.sees_finance, f"{role.username} menu: {menu}"
    assert not set(NEVER_IN_MENU) & set(menu), f"{role.username} menu: {menu}"
    # Every item fits on the header's line: none is folded away under "More".
    expect(page.get_by_role("button", name="More")).to_be_hidden()


@pytest.mark.parametrize("role", _role_params())
def test_menu_and_home_links_open_for_role(role: Role, signed_in_page) -> None:
    page = signed_in_page(role.username)
    page.goto("/home/")
    links = _menu_links(page)
    card_links = page.locator(".nhsuk-card").get_by_role("link")
    links.update({link.inner_text(): link.get_attribute("href") or "" for link in card_links.all()})
    for text, href in links.items():
        response = page.request.get(href)
        assert response.status == 200, f"{role.username}: '{text}' ({href}) is {response.status}"
    if not role.is_admin:
        # Pages outside the role are not found, not merely unlinked.
        for path in ADMIN_ONLY_PATHS:
            assert page.request.get(path).status == 404, path
    expect(page).to_have_url(re.compile(r"/home/$"))


def test_administration_link_leads_to_users_and_audit(signed_in_page) -> None:
    page = signed_in_page("admin")
    page.goto("/home/")
    account = page.get_by_role("navigation", name="Account")
    account.get_by_role("link", name="Administration").click()
    expect(page).to_have_url(re.compile(r"/administration/$"))
    expect(page.get_by_role("heading", name="Administration", level=1)).to_be_visible()
    page.get_by_role("link", name="Users and roles").click()
    expect(page).to_have_url(re.compile(r"/accounts/users/$"))
    page.go_back()
    page.get_by_role("link", name="Audit log").click()
    expect(page).to_have_url(re.compile(r"/audit/$"))
