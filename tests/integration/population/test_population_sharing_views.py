"""Data-sharing agreement pages: record, withdraw, read-only viewers, and 404s outside scope."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from openpcn.core.models import AuditEvent
from openpcn.population import actions
from openpcn.population.models import DataSharingAgreement

TODAY = dt.date.today()
SIGNED = TODAY - dt.timedelta(days=10)


def _signed(universe, key: str = "p1", scope: str = "alliance") -> DataSharingAgreement:  # type: ignore[no-untyped-def]
    return actions.record_agreement(
        by=None,
        practice=universe.orgs[key],
        scope=scope,
        signed_by_name="Dr A Partner",
        signed_by_role="Caldicott Guardian",
        signed_on=SIGNED,
        document_reference="DSA-1",
    )


def test_practice_manager_records_and_withdraws_an_agreement(client, universe):  # type: ignore[no-untyped-def]
    manager = universe.users["practice_manager"]
    client.force_login(manager)
    page = client.get(reverse("population:sharing")).content.decode()
    assert "P1 Surgery" in page and "P2 Surgery" not in page
    assert "No agreement: its data is used only in its own figures" in page
    new_url = reverse("population:agreement_new", args=[universe.p1.pk])
    assert new_url in page

    form = client.get(new_url).content.decode()
    assert 'name="scope"' in form and 'for="id_signed_by_name"' in form
    response = client.post(
        new_url,
        {
            "scope": "pcn",
            "signed_by_name": "Dr Jo Bloggs",
            "signed_by_role": "Caldicott Guardian",
            "signed_on": SIGNED.isoformat(),
            "document_reference": "DSA-2026-014",
        },
    )
    assert response.status_code == 302 and response.url == reverse("population:sharing")
    agreement = DataSharingAgreement.objects.get(practice=universe.p1)
    assert agreement.scope == "pcn" and agreement.recorded_by == manager
    event = AuditEvent.objects.get(action="record_data_sharing_agreement")
    assert event.actor == manager

    page = client.get(reverse("population:sharing")).content.decode()
    assert "Its PCN" in page and "Dr Jo Bloggs, Caldicott Guardian" in page
    assert "DSA-2026-014" in page and SIGNED.strftime("%d %B %Y") in page
    withdraw_url = reverse("population:agreement_withdraw", args=[agreement.pk])
    assert withdraw_url in page

    form = client.get(withdraw_url).content.decode()
    assert "its data leaves PCN and alliance figures at the next refresh" in form
    response = client.post(
        withdraw_url, {"withdrawn_on": TODAY.isoformat(), "reason": "Partners asked to stop"}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.withdrawn_on == TODAY and agreement.withdrawn_by == manager
    assert AuditEvent.objects.filter(
        action="withdraw_data_sharing_agreement", actor=manager
    ).exists()
    page = client.get(reverse("population:sharing"), follow=True).content.decode()
    assert "Partners asked to stop" in page
    assert "No agreement: its data is used only in its own figures" in page
    # Withdrawing again goes back to the list with a message.
    again = client.post(
        withdraw_url, {"withdrawn_on": TODAY.isoformat(), "reason": "Twice"}, follow=True
    )
    assert "already been withdrawn" in again.content.decode()


def test_agreement_form_errors_are_summarised_and_linked(client, universe):  # type: ignore[no-untyped-def]
    client.force_login(universe.users["practice_manager"])
    url = reverse("population:agreement_new", args=[universe.p1.pk])
    page = client.post(
        url,
        {
            "signed_by_name": "",
            "signed_by_role": "GP",
            "signed_on": (TODAY + dt.timedelta(days=2)).isoformat(),
        },
    ).content.decode()
    assert "There is a problem" in page
    assert 'href="#id_scope"' in page and 'id="id_scope"' in page
    assert 'href="#id_signed_by_name"' in page and 'href="#id_signed_on"' in page
    assert "today or before" in page
    assert not DataSharingAgreement.objects.exists()

    _signed(universe)
    page = client.get(url).content.decode()
    assert "already has an agreement" in page


def test_withdrawal_needs_a_reason_and_a_date_after_signing(client, universe):  # type: ignore[no-untyped-def]
    agreement = _signed(universe)
    client.force_login(universe.users["practice_manager"])
    url = reverse("population:agreement_withdraw", args=[agreement.pk])
    page = client.post(url, {"withdrawn_on": TODAY.isoformat(), "reason": ""}).content.decode()
    assert 'href="#id_reason"' in page and "Say why the agreement is withdrawn" in page
    before = (SIGNED - dt.timedelta(days=1)).isoformat()
    page = client.post(url, {"withdrawn_on": before, "reason": "Oops"}).content.decode()
    assert "cannot be withdrawn before it was signed" in page
    agreement.refresh_from_db()
    assert agreement.withdrawn_on is None


def test_practice_manager_gets_404_outside_their_practice(client, universe):  # type: ignore[no-untyped-def]
    p3_agreement = _signed(universe, "p3")
    client.force_login(universe.users["practice_manager"])
    assert client.get(reverse("population:agreement_new", args=[universe.p3.pk])).status_code == 404
    assert (
        client.post(
            reverse("population:agreement_new", args=[universe.p3.pk]),
            {
                "scope": "pcn",
                "signed_by_name": "X",
                "signed_by_role": "Y",
                "signed_on": SIGNED.isoformat(),
            },
        ).status_code
        == 404
    )
    withdraw = reverse("population:agreement_withdraw", args=[p3_agreement.pk])
    assert client.post(withdraw, {"withdrawn_on": TODAY, "reason": "x"}).status_code == 404
    # A PCN is not a practice: no agreement page for it either.
    assert client.get(reverse("population:agreement_new", args=[universe.n1.pk])).status_code == 404
    assert not DataSharingAgreement.objects.filter(practice=universe.p3, withdrawn_on__isnull=False)


def test_pcn_manager_sees_the_list_read_only(client, universe):  # type: ignore[no-untyped-def]
    agreement = _signed(universe, "p1")
    client.force_login(universe.users["pcn_manager"])
    response = client.get(reverse("population:sharing"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "P1 Surgery" in page and "P2 Surgery" in page and "P3 Surgery" not in page
    assert "Its PCN, its place and the alliance" in page
    assert "No agreement: its data is used only in its own figures" in page
    assert "Record an agreement" not in page and "/withdraw/" not in page
    assert "You can see these agreements" in page
    assert client.get(reverse("population:agreement_new", args=[universe.p2.pk])).status_code == 404
    withdraw = reverse("population:agreement_withdraw", args=[agreement.pk])
    assert client.get(withdraw).status_code == 404
    assert client.post(withdraw, {"withdrawn_on": TODAY, "reason": "x"}).status_code == 404


def test_alliance_admin_manages_every_practice_of_their_alliance_only(universe, verified_client):  # type: ignore[no-untyped-def]
    client = verified_client("alliance_admin")
    page = client.get(reverse("population:sharing")).content.decode()
    for key in ("p1", "p2", "p3"):
        assert reverse("population:agreement_new", args=[universe.orgs[key].pk]) in page
    assert "Q1 Surgery" not in page
    assert client.get(reverse("population:agreement_new", args=[universe.q1.pk])).status_code == 404


def test_roles_without_figures_or_agreements_get_404(client, universe):  # type: ignore[no-untyped-def]
    client.force_login(universe.users["clinician"])
    assert client.get(reverse("population:sharing")).status_code == 404
    client.logout()
    assert client.get(reverse("population:sharing")).status_code == 302
