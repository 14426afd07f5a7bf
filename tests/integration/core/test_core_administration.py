"""The Administration page and its link beside the user's name: users and roles and the audit log
behind one link, outside the menu, so the menu keeps room for the work."""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.test import Client
from django.urls import reverse

from openpcn.accounts.permissions import Permission
from openpcn.accounts.roles import ROLES
from tests.integration.core.test_core_pages import _verified_admin


def _links(page: str, label: str) -> list[str]:
    """The links of one of the header's navigations ("Menu" or "Account"), in order."""
    nav = page.split(f'aria-label="{label}"')[1].split("</nav>")[0]
    found = re.findall(r"<a[^>]*>(.*?)</a>", nav, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip() for text in found]


def _menu(page: str) -> list[str]:
    return _links(page, "Menu")


def _account(page: str) -> list[str]:
    return _links(page, "Account")


def _plain(client: Client, universe, role: str) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(universe.users[role])
    return client


def test_administration_page_links_users_and_audit_for_an_admin(client, universe) -> None:  # type: ignore[no-untyped-def]
    admin = _verified_admin(client, universe)
    response = admin.get(reverse("core:administration"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Administration</h1>" in page
    assert f'href="{reverse("accounts:memberships")}">Users and roles</a>' in page
    assert f'href="{reverse("core:audit")}">Audit log</a>' in page


def test_administration_sits_beside_the_name_and_the_menu_keeps_finance(client, universe) -> None:  # type: ignore[no-untyped-def]
    admin = _verified_admin(client, universe)
    home = admin.get(reverse("core:home")).content.decode()
    menu = _menu(home)
    assert "Administration" in _account(home) and "Administration" not in menu
    assert "Users and roles" not in menu and "Audit log" not in menu
    assert menu[-1] == "Finance", menu


@pytest.mark.parametrize(
    "role", ["finance_officer", "pcn_manager", "board_member", "clinician", "alliance_analyst"]
)
def test_administration_404s_and_is_not_in_the_menu_without_either_permission(  # type: ignore[no-untyped-def]
    universe, verified_client_or_plain, role
) -> None:
    browser = verified_client_or_plain(role)
    assert browser.get(reverse("core:administration")).status_code == 404
    home = browser.get(reverse("core:home")).content.decode()
    assert "Administration" not in _menu(home) + _account(home)


@pytest.mark.parametrize("role", ["finance_officer", "pcn_manager", "board_member"])
def test_finance_in_the_menu_for_every_finance_viewer(  # type: ignore[no-untyped-def]
    universe, verified_client_or_plain, role
) -> None:
    menu = _menu(verified_client_or_plain(role).get(reverse("core:home")).content.decode())
    assert "Finance" in menu


def test_administration_shows_only_the_pages_a_permission_opens(  # type: ignore[no-untyped-def]
    client, universe, monkeypatch
) -> None:
    # No role grants the audit log without users and roles, so give the board one that does.
    board = ROLES["board_member"]
    auditor = dataclasses.replace(board, permissions=board.permissions | {Permission.AUDIT_VIEW})
    monkeypatch.setitem(ROLES, "board_member", auditor)
    browser = _plain(client, universe, "board_member")
    page = browser.get(reverse("core:administration")).content.decode()
    assert f'href="{reverse("core:audit")}"' in page
    assert f'href="{reverse("accounts:memberships")}"' not in page
    assert "Administration" in _account(browser.get(reverse("core:home")).content.decode())


def test_administration_needs_sign_in(client, universe) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("core:administration"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.fixture
def verified_client_or_plain(universe):  # type: ignore[no-untyped-def]
    """A signed-in browser: through two-factor for roles that need it, else a plain sign-in."""

    def sign_in(role: str) -> Client:
        user = universe.users[role]
        if user.requires_two_factor:
            return _verified_admin(Client(), universe, role)
        browser = Client()
        browser.force_login(user)
        return browser

    return sign_in
