"""PCN development end to end: a board member compares the Maturity Matrix across the area's places
(drawn by Vega, with its table view listing every PCN) and reads a place's report, recommendations
by theme and status. This module adds the demo's development data (demo.development), so it changes
the demo and the next module gets a freshly loaded one (conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from openpcn.demo import names
from openpcn.development.models import Recommendation
from openpcn.organisations.models import Network, Place
from tests.functional.test_population_dashboards_e2e import _axe

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def development(demo, django_db_blocker) -> Iterator[list]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        places = Place.objects.filter(alliance__is_synthetic=True)
        # The demo's own place first, then the area's others
        yield sorted(places, key=lambda p: (p.name != names.PLACE_NAME, p.name))


def test_maturity_comparison_across_places_draws_with_a_table_of_every_pcn(  # type: ignore[no-untyped-def]
    development, signed_in_page
) -> None:
    page = signed_in_page("board")
    page.goto("/development/")
    page.get_by_role("link", name="Maturity Matrix: compare PCNs and places").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Maturity Matrix across PCNs and places"
    )
    figure = page.locator("#chart-maturity")
    expect(figure.locator("svg").first).to_be_visible(timeout=15_000)
    expect(figure.locator("#text-maturity")).to_contain_text("in 5 places")
    figure.get_by_text("Show as a table").click()
    rows = page.locator("#table-maturity tbody tr")
    expect(rows.first).to_be_visible()
    names = sorted(Network.objects.values_list("name", flat=True))
    assert rows.count() == len(names) == 19
    assert sorted(page.locator("#table-maturity tbody th").all_inner_texts()) == names
    _axe(page)


def test_place_report_lists_recommendations_by_theme_and_status(
    development, signed_in_page
) -> None:  # type: ignore[no-untyped-def]
    place = development[0]  # the demo's own place, Riverdale
    page = signed_in_page("board")
    page.goto("/development/places/")
    page.get_by_role("link", name=place.name, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Development report")
    expect(page.locator(".nhsuk-caption-l")).to_have_text(place.name)
    for r in Recommendation.objects.filter(place=place):
        table = page.locator(f"#theme-{r.theme} #recommendations-{r.theme}-{r.status}")
        expect(table.locator("caption")).to_have_text(r.get_status_display())
        expect(table).to_contain_text(r.title)
    expect(page.locator("#theme-relationships")).to_contain_text(
        "Quarterly place forum with the community trust"
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report as PDF").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    _axe(page)


def test_development_pages_pass_accessibility_checks(development, signed_in_page) -> None:  # type: ignore[no-untyped-def]
    from openpcn.development.models import DevelopmentSession

    network = Network.objects.get(name="Brookside PCN")
    session = DevelopmentSession.objects.get(confidential=True)
    recommendation = Recommendation.objects.filter(actions__isnull=False).first()
    assert recommendation is not None
    board = signed_in_page("board")
    for path in (
        "/development/",
        "/development/sessions/",
        f"/development/sessions/{session.pk}/",
        "/development/places/",
        f"/development/recommendations/{recommendation.pk}/",
        f"/development/maturity/pcns/{network.pk}/",
    ):
        response = board.goto(path)
        assert response is not None and response.status == 200, path
        _axe(board)
    # The board member did not facilitate the confidential conversation: its notes are withheld.
    board.goto(f"/development/sessions/{session.pk}/")
    expect(board.locator("#notes-withheld")).to_be_visible()
    expect(board.locator("#attendees")).not_to_be_empty()
    manager = signed_in_page("pcn.manager")
    for path in (f"/development/maturity/pcns/{network.pk}/new/", "/development/sessions/new/"):
        response = manager.goto(path)
        assert response is not None and response.status == 200, path
        _axe(manager)
