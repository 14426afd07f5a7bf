"""The Governance page and menu item: one card per section the user may open, and nothing for a
user with none."""

from __future__ import annotations

from django.urls import reverse


def test_each_role_sees_the_cards_its_permissions_open(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    board = verified_client("board_member").get(reverse("governance:index")).content.decode()
    for title in (
        "The board",
        "Boards and meetings",
        "Declarations of interest",
        "Risk register",
        "Contracts register",
        "Accountability map",
        "PCN development",
    ):
        assert title in board
    analyst = verified_client("alliance_analyst").get(reverse("governance:index")).content.decode()
    assert "The board" in analyst and "Risk register" not in analyst
    assert "Contracts register" not in analyst
    home = verified_client("board_member").get(reverse("core:home")).content.decode()
    assert f'href="{reverse("governance:index")}"' in home  # the menu item


def test_a_user_with_no_governance_permission_gets_404_and_no_menu_item(
    universe, verified_client
) -> None:  # type: ignore[no-untyped-def]
    clinician = verified_client("clinician")
    assert clinician.get(reverse("governance:index")).status_code == 404
    home = clinician.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("governance:index")}"' not in home
