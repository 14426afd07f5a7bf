"""Browser test: a Clinical Director appointment in the demo's first PCN (issue 13). The PCN
manager opens it from the Governance page and nominates a GP partner; the first practice's
manager casts their practice's vote; the PCN manager records three more practices' votes, naming
who cast each; the result is declared and the PCN's page shows the new Clinical Director."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from openpcn.accounts.models import Membership
from openpcn.appointments.models import Appointment, AppointmentStatus
from openpcn.organisations.models import RoleHolding, RoleTitle
from openpcn.organisations.queries import clinical_director, practices_of
from tests.functional.test_population_dashboards_e2e import _axe

pytestmark = pytest.mark.e2e


def test_a_pcn_manager_runs_a_vote_and_the_pcn_page_shows_the_new_director(
    transactional_db, signed_in_page
) -> None:  # type: ignore[no-untyped-def]
    network = Membership.objects.get(user__username="pcn.manager").organisation
    own_practice = Membership.objects.get(user__username="practice.manager").organisation
    outgoing = clinical_director(network)
    assert outgoing is not None
    practices = sorted(practices_of(network), key=lambda p: p.name)
    others = [p for p in practices if p != own_practice]
    nominee_holding = (
        RoleHolding.objects.current()
        .filter(organisation=others[0], title=RoleTitle.GP_PARTNER)
        .exclude(person=outgoing.person)
        .select_related("person")
        .first()
    )
    assert nominee_holding is not None
    nominee = nominee_holding.person

    manager: Page = signed_in_page("pcn.manager")
    manager.goto("/governance/")
    manager.get_by_role("link", name="Clinical Director appointments").click()
    expect(
        manager.get_by_role("heading", name="Clinical Director appointments", level=1)
    ).to_be_visible()
    _axe(manager)
    manager.get_by_role("button", name="Open the appointment").click()
    expect(
        manager.get_by_role("heading", name="Clinical Director appointment", level=1)
    ).to_be_visible()
    expect(manager.locator("#terms")).to_contain_text("One vote per member practice")
    manager.get_by_label("Nominee").select_option(label=f"{nominee} ({others[0].name})")
    manager.get_by_label("Statement (optional)").fill("A PCN-wide frailty service.")
    manager.get_by_role("button", name="Nominate").click()
    expect(manager.locator("#nominations")).to_contain_text(str(nominee))
    _axe(manager)
    appointment = Appointment.objects.get(network=network, status=AppointmentStatus.OPEN)

    # The practice manager casts their own practice's vote.
    voter: Page = signed_in_page("practice.manager")
    voter.goto(f"/appointments/{appointment.pk}/")
    expect(voter.get_by_role("heading", name="Cast your practice's vote")).to_be_visible()
    expect(voter.get_by_label("Practice", exact=True).locator("option")).to_have_text(
        [own_practice.name]
    )
    voter.get_by_label("Votes for").select_option(label=str(nominee))
    voter.get_by_role("button", name="Record the vote").click()
    expect(voter.get_by_text(f"{own_practice.name}'s vote is recorded.")).to_be_visible()
    expect(voter.get_by_role("heading", name="Cast your practice's vote")).to_have_count(0)

    # The PCN manager records three more, with who cast each: 4 of 6 practices, over the quorum.
    manager.reload()
    for practice in others[:3]:
        manager.get_by_label("Practice", exact=True).select_option(label=practice.name)
        manager.get_by_label("Votes for").select_option(label=str(nominee))
        manager.get_by_label("Who cast the practice's vote").fill(
            f"The partners of {practice.name}"
        )
        manager.get_by_role("button", name="Record the vote").click()
        expect(manager.get_by_text(f"{practice.name}'s vote is recorded.")).to_be_visible()
    row = manager.locator("#electors tr").filter(has_text=own_practice.name)
    expect(row).to_contain_text("Voted, cast by")

    manager.get_by_role("button", name="Close and declare").click()
    expect(
        manager.get_by_text(f"{nominee} is appointed Clinical Director of {network.name}")
    ).to_be_visible()
    expect(manager.locator("#result")).to_contain_text(f"{nominee}, Clinical Director from")
    expect(manager.locator("#nominations")).to_contain_text("4")
    _axe(manager)

    manager.goto(f"/organisations/{network.pk}/")
    expect(manager.get_by_role("heading", level=1)).to_contain_text(network.name)
    director_row = manager.locator(".nhsuk-summary-list__row").filter(has_text="Clinical Director")
    expect(director_row).to_contain_text(nominee.full_name)
    expect(director_row).not_to_contain_text(outgoing.person.full_name)
