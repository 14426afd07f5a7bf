"""Population health end to end: a Clinical Director reads the hypertension indicator for their PCN
(funnel plot, SPC chart, deprivation breakdown, drawn by Vega in the browser), a practice manager
opens their practice's worklist, and the manager of another practice gets a 404 for it.

The demo is loaded without population data (it takes a minute at full size); this module adds a
20,000-patient extract with 24 months of history through the same code `openpcn demo` uses. It
changes the demo data, so the next module gets a freshly loaded demo (conftest.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from openpcn.accounts import actions as accounts
from openpcn.accounts.models import Membership
from openpcn.core.models import AuditEvent
from openpcn.demo.logins import DEMO_PASSWORD
from openpcn.demo.population import build_population
from openpcn.organisations.models import Alliance, NetworkMembership, OrganisationKind
from tests.functional.conftest import AXE_JS, sign_in

pytestmark = pytest.mark.e2e

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE_JS = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
  .then(results => results.violations.map(v => v.id + ': ' + v.help + ' ' +
    v.nodes.map(n => n.target.join(' ')).join(', ')))"""


@pytest.fixture(scope="module")
def population(demo, django_db_blocker, tmp_path_factory) -> Iterator[None]:  # type: ignore[no-untyped-def]
    data = override_settings(DATA_DIR=Path(tmp_path_factory.mktemp("population-data")))
    data.enable()
    try:
        with django_db_blocker.unblock():
            build_population(Alliance.objects.get(is_synthetic=True), patients=20_000, months=24)
        yield
    finally:
        data.disable()


def _home_of(username: str):  # type: ignore[no-untyped-def]
    return Membership.objects.get(user__username=username).organisation


def _axe(page: Page) -> None:
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(RUN_AXE_JS, WCAG_22_AA)
    assert not violations, f"{page.url}\n" + "\n".join(violations)


def test_clinical_director_reads_hypertension_for_their_pcn(population, signed_in_page) -> None:  # type: ignore[no-untyped-def]
    pcn = _home_of("clinical.director")
    page = signed_in_page("clinical.director")
    page.goto("/home/")
    page.get_by_role("link", name="Population health").first.click()
    page.locator("#organisations").get_by_role("link", name=pcn.name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{pcn.name}: population health")
    page.get_by_role("link", name=re.compile(r"^Hypertension register")).click()
    expect(page).to_have_url(
        re.compile(rf"/population/organisations/{pcn.pk}/indicators/HYP_REG/$")
    )

    # Each chart is drawn (an SVG from Vega) and has its text alternative and table.
    for key, words in (
        ("funnel-HYP_REG", "funnel"),
        ("spc-HYP_REG", "process limits"),
        ("imd_quintile-HYP_REG", "deprived"),
    ):
        figure = page.locator(f"#chart-{key}")
        expect(figure.locator("svg").first).to_be_visible(timeout=15_000)
        expect(figure.locator(f"#text-{key}")).to_contain_text(re.compile(words, re.IGNORECASE))
        figure.get_by_text("Show as a table").click()
        expect(figure.locator(f"#table-{key} tbody tr").first).to_be_visible()
    # The SPC chart carries 24 month ends; the deprivation table five quintiles (and unknown).
    assert page.locator("#table-spc-HYP_REG tbody tr").count() == 24
    expect(page.locator("#table-imd_quintile-HYP_REG")).to_contain_text("most deprived")
    expect(page.locator("#icons")).to_contain_text(re.compile(r"variation", re.IGNORECASE))
    _axe(page)


def test_practice_manager_sees_their_worklist_and_another_practice_gets_404(  # type: ignore[no-untyped-def]
    population, signed_in_page, page: Page
) -> None:
    practice = _home_of("practice.manager")
    own = signed_in_page("practice.manager")
    own.goto(f"/population/practices/{practice.pk}/worklist/")
    expect(own.get_by_role("heading", level=1)).to_have_text("Case-finding worklist")
    expect(own.locator(".nhsuk-caption-l")).to_contain_text(practice.name)
    expect(own.locator("#worklist-summary tbody tr").first).to_be_visible()
    assert AuditEvent.objects.filter(action="worklist_view", organisation=practice).exists()
    _axe(own)

    # The manager of another practice in the same PCN may not see this one's patients.
    network = NetworkMembership.objects.current().get(practice=practice).network
    neighbour = (
        NetworkMembership.objects.current()
        .filter(network=network, practice__kind=OrganisationKind.PRACTICE)
        .exclude(practice=practice)
        .first()
        .practice
    )
    other = accounts.create_user(by=None, username="neighbour.manager", password=DEMO_PASSWORD)
    accounts.grant_membership(
        by=None,
        user=other,
        organisation=neighbour,
        role="practice_manager",
        start_date=dt.date.today() - dt.timedelta(days=1),
    )
    sign_in(page, "neighbour.manager")
    response = page.goto(f"/population/practices/{practice.pk}/worklist/")
    assert response is not None and response.status == 404
    response = page.goto(f"/population/practices/{neighbour.pk}/worklist/")
    assert response is not None and response.status == 200


def test_analyst_pages_for_data_pass_accessibility_checks(population, signed_in_page) -> None:  # type: ignore[no-untyped-def]
    from openpcn.population.models import IndicatorRefresh, PopulationExtract

    extract = PopulationExtract.objects.latest("uploaded_at")
    refresh = IndicatorRefresh.objects.latest("requested_at")
    page = signed_in_page("analyst")
    for path, heading in (
        ("/population/", "Population health"),
        ("/population/sharing/", None),
        ("/population/extracts/", None),
        (f"/population/extracts/{extract.pk}/", None),
        (f"/population/refreshes/{refresh.pk}/", None),
        ("/population/extracts/new/", None),
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        _axe(page)
    # The refresh page names the practice that has not agreed to share.
    page.goto(f"/population/refreshes/{refresh.pk}/")
    expect(page.locator("body")).to_contain_text("SYN003")
