"""The organisation tree and organisation pages, as far as each user's scope reaches."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from openpcn.accounts.models import Membership
from openpcn.organisations.models import NetworkMembership, PopulationSnapshot, Practice

pytestmark = pytest.mark.e2e
DEMO_READ_ONLY = True  # shares the loaded demo with other such modules (conftest.py)

# For every item of the tree: the organisation it links to and the list size it shows.
TREE_ITEMS_JS = """() => [...document.querySelectorAll('.openpcn-tree li')].map(li => {
  const link = li.querySelector(':scope > a');
  const size = li.querySelector(':scope > span [data-list-size]');
  return {href: link.getAttribute('href'), name: link.textContent.trim(),
          size: size ? Number(size.dataset.listSize) : null};
})"""


def _detail_url(pk: int) -> str:
    return f"/organisations/{pk}/"


def _tree_items(page: Page) -> dict[str, dict[str, object]]:
    page.goto("/organisations/")
    expect(page.get_by_role("heading", level=1, name="Organisations")).to_be_visible()
    items = page.evaluate(TREE_ITEMS_JS)
    hrefs = [item["href"] for item in items]
    assert len(hrefs) == len(set(hrefs)), "an organisation appears twice in the tree"
    return {item["href"]: item for item in items}


def _latest_list_size(practice: Practice) -> int:
    return PopulationSnapshot.objects.filter(practice=practice).latest("date").registered


def _network_of(username: str):
    return Membership.objects.get(user__username=username).organisation


def test_organisation_tree_for_admin_shows_every_practice_and_list_size(signed_in_page) -> None:
    page = signed_in_page("admin")
    items = _tree_items(page)
    alliance = _network_of("admin")
    practices = list(Practice.objects.filter(alliance=alliance))
    assert len(practices) == 47

    expect(page.locator("[data-practice-count]")).to_have_attribute("data-practice-count", "47")
    expected = {_detail_url(p.pk): _latest_list_size(p) for p in practices}
    shown = {href: items[href]["size"] for href in expected if href in items}
    assert shown == expected  # every practice, each with its latest registered list size
    registered_total = sum(expected.values())
    assert sum(shown.values()) == registered_total
    assert items[_detail_url(alliance.pk)]["size"] == registered_total


def test_organisation_tree_for_pcn_manager_shows_only_their_pcn(signed_in_page) -> None:
    page = signed_in_page("pcn.manager")
    items = _tree_items(page)
    network = _network_of("pcn.manager")
    members = set(
        NetworkMembership.objects.current()
        .filter(network=network)
        .values_list("practice_id", flat=True)
    )
    assert len(members) >= 2

    assert set(items) == {_detail_url(network.pk)} | {_detail_url(pk) for pk in members}
    expect(page.locator("[data-practice-count]")).to_have_attribute(
        "data-practice-count", str(len(members))
    )
    sizes = [items[_detail_url(pk)]["size"] for pk in members]
    assert items[_detail_url(network.pk)]["size"] == sum(sizes)


def test_practice_page_of_another_pcn_is_not_found_for_pcn_manager(signed_in_page) -> None:
    page = signed_in_page("pcn.manager")
    network = _network_of("pcn.manager")
    own = NetworkMembership.objects.current().filter(network=network).first().practice
    other = (
        NetworkMembership.objects.current()
        .exclude(network=network)
        .select_related("practice", "network")
        .first()
    )

    response = page.goto(_detail_url(own.pk))
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(own.name)

    for url in (_detail_url(other.practice.pk), _detail_url(other.network.pk)):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
        expect(page.get_by_text(other.practice.name)).to_have_count(0)
