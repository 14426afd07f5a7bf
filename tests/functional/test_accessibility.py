"""axe-core finds no WCAG 2.2 AA problems on the main pages, as the alliance admin sees them.

axe-core comes from node_modules (package.json, installed by `npm ci` in scripts/install).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from openpcn.organisations.models import Network, Practice
from tests.functional.conftest import AXE_JS

pytestmark = pytest.mark.e2e
DEMO_READ_ONLY = True  # shares the loaded demo with other such modules (conftest.py)

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE_JS = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
  .then(results => results.violations)"""
DUPLICATE_IDS_JS = """() => {
  const ids = [...document.querySelectorAll('[id]')].map(element => element.id);
  return [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
}"""
BROKEN_IN_PAGE_LINKS_JS = """() => [...document.querySelectorAll('a[href^="#"]')]
  .map(link => link.getAttribute('href').slice(1))
  .filter(id => id && !document.getElementById(id))"""


@dataclass(frozen=True)
class Screen:
    """A page in a given state: where to go as whom, and what to do there before checking."""

    path: Callable[[], str]
    username: str | None = "admin"
    act: Callable[[Page], None] | None = None
    viewport: tuple[int, int] | None = None


def _practice() -> str:
    return f"/organisations/{Practice.objects.order_by('ods_code').first().pk}/"


def _network() -> str:
    return f"/organisations/{Network.objects.order_by('ods_code').first().pk}/"


def _network_pk() -> int:
    return Network.objects.order_by("ods_code").first().pk


def _first_contract() -> str:
    from openpcn.contracts.models import Contract

    return f"/contracts/{Contract.objects.filter(parent__isnull=False).order_by('pk').first().pk}/"


def _first_plan() -> str:
    from openpcn.governance.models import BusinessPlan

    return f"/governance/plans/{BusinessPlan.objects.order_by('pk').first().pk}/"


def _wrong_password(page: Page) -> None:
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")


def _password_only(page: Page) -> None:
    from openpcn.demo.logins import DEMO_PASSWORD

    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))


def _move_without_pcn(page: Page) -> None:
    page.get_by_role("button", name="Move practice").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")


def _add_user_without_details(page: Page) -> None:
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")


def _filter_people(page: Page) -> None:
    page.get_by_label("Role", exact=True).select_option("clinical_director")
    expect(page).to_have_url(re.compile(r"role=clinical_director"))
    expect(page.locator("#people-results")).to_contain_text("9 people in post")


def _open_audit_values(page: Page) -> None:
    page.locator("#audit-results details summary").first.click()
    expect(page.locator("#audit-results details").first).to_have_attribute("open", "")


SCREENS = {
    "sign-in": Screen(lambda: "/accounts/sign-in/", username=None),
    "sign-in-error": Screen(lambda: "/accounts/sign-in/", username=None, act=_wrong_password),
    "two-factor": Screen(lambda: "/accounts/sign-in/", username=None, act=_password_only),
    "home": Screen(lambda: "/home/"),
    "home-mobile": Screen(lambda: "/home/", viewport=(375, 812)),
    "organisation-tree": Screen(lambda: "/organisations/"),
    "practice": Screen(_practice),
    "pcn": Screen(_network),
    "move-practice-error": Screen(lambda: f"{_practice()}move/", act=_move_without_pcn),
    "people": Screen(lambda: "/organisations/people/"),
    "people-filtered": Screen(lambda: "/organisations/people/", act=_filter_people),
    "board": Screen(lambda: "/organisations/board/"),
    "users-and-roles": Screen(lambda: "/accounts/users/"),
    "users-and-roles-error": Screen(lambda: "/accounts/users/", act=_add_user_without_details),
    "audit-log": Screen(lambda: "/audit/", act=_open_audit_values),
    "governance": Screen(lambda: "/governance/"),
    "governance-due": Screen(lambda: "/governance/due/"),
    "business-plans": Screen(lambda: "/governance/plans/"),
    "business-plan": Screen(_first_plan),
    "risk-register": Screen(lambda: "/governance/risks/"),
    "risk-heat-map": Screen(lambda: "/governance/risks/heat-map/"),
    "contracts-register": Screen(lambda: "/contracts/"),
    "sub-contract-with-forms": Screen(_first_contract),
    "accountability-map": Screen(lambda: "/contracts/accountability/"),
    "premises": Screen(lambda: "/contracts/premises/"),
    "network-agreements": Screen(lambda: "/contracts/agreements/"),
    "network-agreement-with-forms": Screen(
        lambda: f"/contracts/agreements/networks/{_network_pk()}/"
    ),
    "finance-schedule-form": Screen(lambda: f"/finance/networks/{_network_pk()}/schedule/"),
    "payments-to-practices": Screen(
        lambda: f"/finance/networks/{_network_pk()}/2024/distribution/"
    ),
    "arrs-maxima": Screen(lambda: "/finance/arrs-maxima/"),
    "care-home-beds": Screen(lambda: f"/finance/networks/{_network_pk()}/care-home-beds/"),
}


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node['target']}: {node['html'][:120]}" for node in violation["nodes"])
    return "\n".join(lines)


@pytest.mark.parametrize("name", list(SCREENS))
def test_page_has_no_accessibility_violations(name: str, new_context, signed_in_context) -> None:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` (scripts/install does)")
    screen = SCREENS[name]
    options = {}
    if screen.viewport:
        options["viewport"] = {"width": screen.viewport[0], "height": screen.viewport[1]}
    if screen.username:
        context = signed_in_context(screen.username, **options)
    else:
        context = new_context(**options)
    page = context.new_page()
    response = page.goto(screen.path())
    assert response is not None and response.status == 200
    if screen.act:
        screen.act(page)

    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(RUN_AXE_JS, WCAG_22_AA)
    assert not violations, f"{page.url}\n{_describe(violations)}"
    # Not an axe violation since WCAG 2.2 dropped 4.1.1, but a repeated id breaks labels.
    assert page.evaluate(DUPLICATE_IDS_JS) == [], "ids used more than once"
    assert page.evaluate(BROKEN_IN_PAGE_LINKS_JS) == [], "links to ids not on the page"
