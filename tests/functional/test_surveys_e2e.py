"""Browser test: a confidential survey answered through its links; results by level (issue 10).

Four people of the demo's first PCN answer, so that PCN's level is withheld; two more from other
PCNs of the same place bring the place to 6 respondents, shown rounded to 5.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from openpcn.accounts.models import Membership
from openpcn.demo.surveys import STATEMENTS
from openpcn.organisations.models import Alliance, Organisation, OrganisationKind
from openpcn.organisations.queries import current_network
from openpcn.surveys import actions
from openpcn.surveys.models import AudienceRule, Invitation, QuestionKind
from tests.functional.conftest import AXE_JS
from tests.functional.test_population_dashboards_e2e import RUN_AXE_JS, WCAG_22_AA

pytestmark = pytest.mark.e2e


def _axe(page: Page) -> None:
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(RUN_AXE_JS, WCAG_22_AA)
    assert not violations, f"{page.url}\n" + "\n".join(violations)


def _network_of(invitation: Invitation) -> Organisation | None:
    organisation = invitation.organisation
    if organisation.kind == OrganisationKind.PRACTICE:
        return current_network(organisation)
    return organisation


def test_four_in_a_pcn_are_withheld_and_the_place_is_rounded(
    transactional_db, new_context, signed_in_page
) -> None:  # type: ignore[no-untyped-def]
    alliance = Alliance.objects.get(is_synthetic=True)
    # The demo's own place (with practices and their managers), through its Clinical Director's PCN.
    first = Membership.objects.get(user__username="clinical.director").organisation
    place = first.place
    assert place is not None
    survey = actions.create_survey(by=None, alliance=alliance, title="Working together check")
    section = actions.add_section(by=None, survey=survey, title="Working together")
    question = actions.add_question(
        by=None, section=section, text=STATEMENTS[0], kind=QuestionKind.LIKERT
    )
    actions.add_audience(by=None, survey=survey, rule=AudienceRule.PCN_PEOPLE, organisation=first)
    actions.add_audience(
        by=None, survey=survey, rule=AudienceRule.PLACE_LEADERS, organisation=place
    )
    actions.open_survey(by=None, survey=survey)
    links: list[tuple[Organisation | None, str]] = []
    actions.send_invitations(
        by=None,
        survey=survey,
        email=False,
        on_token=lambda invitation, token: links.append((_network_of(invitation), token)),
    )
    in_first = [token for network, token in links if network == first][:4]
    elsewhere = [token for network, token in links if network not in (first, None)][:2]
    assert len(in_first) == 4 and len(elsewhere) == 2

    respondent = new_context().new_page()
    for n, token in enumerate(in_first + elsewhere):
        respondent.goto(f"/surveys/answer/{token}/")
        expect(respondent.get_by_role("heading", level=1)).to_have_text(survey.title)
        if n == 0:
            _axe(respondent)
        respondent.locator(f'input[name="q{question.pk}"][value="{4 if n < 4 else 5}"]').check()
        respondent.get_by_role("button", name="Send my answers").click()
        expect(respondent.get_by_role("heading", level=1)).to_have_text("Thank you")
    # The same link a second time is refused.
    respondent.goto(f"/surveys/answer/{in_first[0]}/")
    expect(respondent.get_by_text("This link has already been used.")).to_be_visible()

    page = signed_in_page("board")
    page.goto(f"/surveys/{survey.pk}/results/")
    page.get_by_label("Level").select_option(label=first.name)
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"level={first.pk}"))
    expect(page.get_by_test_id("withheld")).to_contain_text("fewer than 5 responses")
    expect(page.get_by_role("table")).to_have_count(0)
    _axe(page)

    page.get_by_label("Level").select_option(label=place.name)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("respondents")).to_have_text("Respondents (rounded): 5")
    table = page.get_by_role("table")
    expect(table).to_have_count(1)
    counts = [int(c) for c in table.locator("tbody tr td:nth-child(2)").all_inner_texts()]
    # Four "Agree" round to 5, two "Strongly agree" to 0.
    assert counts == [0, 0, 0, 5, 0]
    _axe(page)
