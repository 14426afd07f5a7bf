"""Recording premises through the form: a leased site is linked to its lease; bad input is named."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from openpcn.contracts import actions
from openpcn.contracts.models import Premises
from openpcn.core.models import AuditEvent
from openpcn.organisations import actions as org_actions


def test_a_practice_manager_records_leased_premises_and_bad_input_is_named(
    universe, verified_client
) -> None:  # type: ignore[no-untyped-def]
    site = org_actions.add_site(by=None, organisation=universe.p1, name="P1 Main Surgery")
    lease = actions.record_contract(
        by=None,
        kind="lease",
        title="Lease: P1 Main Surgery",
        holder=universe.p1,
        counterparty_name="P1 Landlord Ltd",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2030, 12, 31),
        site=site,
    )
    client = verified_client("practice_manager")
    premises_page = client.get(reverse("contracts:premises")).content.decode()
    assert reverse("contracts:premises_record") in premises_page
    url = reverse("contracts:premises_record")
    form = {"site": site.pk, "tenure": "leased", "annual_rent": "24000", "notes": ""}

    unlinked = client.post(url, {**form, "lease": "", "break_dates": ""}).content.decode()
    assert "Leased premises are linked to their lease" in unlinked
    bad_date = client.post(
        url, {**form, "lease": lease.pk, "break_dates": "2027-03-31, 31/03/2030"}
    )
    assert "&#39;31/03/2030&#39; is not a date: write it as 2027-03-31" in bad_date.content.decode()
    assert not Premises.objects.exists()

    done = client.post(url, {**form, "lease": lease.pk, "break_dates": "2030-03-31, 2027-03-31"})
    assert done.status_code == 302 and done["Location"] == reverse("contracts:premises")
    premises = Premises.objects.get(site=site)
    assert premises.lease == lease and premises.landlord == "P1 Landlord Ltd"
    assert premises.break_dates == "2027-03-31, 2030-03-31" and premises.annual_rent == 24000
    event = AuditEvent.objects.get(action="record_premises")
    assert event.actor.username == "practice_manager" and event.organisation_id == universe.p1.pk


def test_only_sites_in_scope_can_be_recorded(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    own = org_actions.add_site(by=None, organisation=universe.p1, name="P1 Branch")
    other = org_actions.add_site(by=None, organisation=universe.p2, name="P2 Surgery")
    client = verified_client("practice_manager")
    page = client.get(reverse("contracts:premises_record")).content.decode()
    assert "P1 Branch" in page and "P2 Surgery" not in page
    refused = client.post(
        reverse("contracts:premises_record"), {"site": other.pk, "tenure": "owned"}
    )
    assert "Select a valid choice" in refused.content.decode()
    assert not Premises.objects.exists() and own.pk != other.pk
    assert verified_client("clinician").get(reverse("contracts:premises_record")).status_code == 404
