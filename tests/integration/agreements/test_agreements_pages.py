"""The agreement pages and the Word export, through Django's test client."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from openpcn.agreements import actions
from openpcn.agreements.models import AgreementStatus, NetworkAgreement
from tests.integration.agreements.conftest import EFFECTIVE


@pytest.fixture
def agreement(universe, n1_people):  # type: ignore[no-untyped-def]
    return actions.draft_agreement(
        by=None,
        network=universe.n1,
        effective_from=EFFECTIVE,
        network_area="The wards of North Town",
        meeting_frequency="Monthly",
        workforce="ARRS staff are employed by P1 and shared",
    )


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines.extend(" | ".join(cell.text for cell in row.cells) for row in table.rows)
    return "\n".join(lines)


def test_export_lists_members_clinical_director_and_nominated_payee(  # type: ignore[no-untyped-def]
    universe, verified_client, agreement
):
    response = verified_client("pcn_manager").get(
        reverse("agreements:export_docx", args=[agreement.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="network-agreement-UN001-v1.docx"' in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for number in (1, 2, 3, 4, 5, 7):
        assert any(h.startswith(f"Schedule {number}:") for h in headings), number
    text = _docx_text(response.content)
    assert "P1 Surgery | P00001" in text and "P2 Surgery | P00002" in text
    assert "P3 Surgery" not in text
    assert "Clinical Director: Asha Director" in text
    assert "Nominated payee: P1 Surgery" in text
    assert "The wards of North Town" in text
    assert "P2 Surgery | Cara Partner | Not yet signed" in text


def test_agreement_page_shows_schedules_signatures_and_finance_link(  # type: ignore[no-untyped-def]
    universe, verified_client, agreement, n1_people
):
    actions.record_signature(
        by=None,
        agreement=agreement,
        person=n1_people.p2_partner,
        practice=universe.p2,
        signed_on=dt.date(2024, 3, 20),
    )
    page = (
        verified_client("pcn_manager")
        .get(reverse("agreements:network", args=[universe.n1.pk]))
        .content.decode()
    )
    for heading in ("Schedule 1", "Schedule 2", "Schedule 3", "Schedule 4", "Schedule 5"):
        assert heading in page
    assert "P1 Surgery" in page and "Asha Director" in page
    assert "Nominated payee" in page and "day 20 of each month" in page
    assert "1 of 3 partners have signed" in page and "20 March 2024" in page
    assert "Not yet signed" in page
    assert reverse("finance:schedules", args=[universe.n1.pk]) in page
    assert reverse("agreements:sign", args=[agreement.pk]) in page
    # The analyst reads the agreement but not finance: no link to a page that would 404.
    page = (
        verified_client("alliance_analyst")
        .get(reverse("agreements:network", args=[universe.n1.pk]))
        .content.decode()
    )
    assert "Schedule 4" in page
    assert reverse("finance:schedules", args=[universe.n1.pk]) not in page
    assert reverse("agreements:sign", args=[agreement.pk]) not in page


def test_out_of_scope_pcn_is_404(universe, verified_client, agreement):  # type: ignore[no-untyped-def]
    urls = [
        reverse("agreements:network", args=[universe.n1.pk]),
        reverse("agreements:detail", args=[agreement.pk]),
        reverse("agreements:export_docx", args=[agreement.pk]),
        reverse("agreements:sign", args=[agreement.pk]),
        reverse("agreements:edit", args=[agreement.pk]),
        reverse("agreements:draft", args=[universe.n1.pk]),
    ]
    outsider = verified_client("south_admin")
    for url in urls:
        assert outsider.get(url).status_code == 404, url
    # A PCN role does not reach another PCN; a practice role does not reach up to its PCN.
    manager = verified_client("pcn_manager")
    assert manager.get(reverse("agreements:network", args=[universe.n2.pk])).status_code == 404
    assert manager.get(reverse("agreements:network", args=[universe.p1.pk])).status_code == 404
    practice = verified_client("practice_manager")
    assert practice.get(urls[0]).status_code == 404


def test_only_managers_reach_the_forms(universe, verified_client, agreement):  # type: ignore[no-untyped-def]
    director = verified_client("clinical_director")
    assert director.get(reverse("agreements:network", args=[universe.n1.pk])).status_code == 200
    for name, pk in (("draft", universe.n1.pk), ("edit", agreement.pk), ("sign", agreement.pk)):
        assert director.get(reverse(f"agreements:{name}", args=[pk])).status_code == 404
    assert (
        verified_client("alliance_admin")
        .get(reverse("agreements:sign", args=[agreement.pk]))
        .status_code
        == 200
    )


def test_manager_edits_signs_and_drafts_through_the_forms(  # type: ignore[no-untyped-def]
    universe, verified_client, agreement, n1_people
):
    client = verified_client("pcn_manager")
    response = client.post(
        reverse("agreements:edit", args=[agreement.pk]),
        {"network_area": "North Town and Riverside", "activities": "Care home rounds"},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.network_area == "North Town and Riverside"
    assert agreement.workforce == ""  # the form sends every schedule; an empty one is cleared
    signatories = [
        (universe.p1, n1_people.p1_partners[0]),
        (universe.p1, n1_people.p1_partners[1]),
        (universe.p2, n1_people.p2_partner),
    ]
    response = client.post(
        reverse("agreements:sign", args=[agreement.pk]),
        {"signatory": f"{universe.p1.pk}:{n1_people.salaried.pk}", "signed_on": "2024-03-20"},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    for practice, person in signatories:
        response = client.post(
            reverse("agreements:sign", args=[agreement.pk]),
            {"signatory": f"{practice.pk}:{person.pk}", "signed_on": "2024-03-20"},
        )
        assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    response = client.post(
        reverse("agreements:draft", args=[universe.n1.pk]),
        {"effective_from": "2025-04-01", "network_area": "North Town and Riverside"},
    )
    assert response.status_code == 302
    second = NetworkAgreement.objects.get(network=universe.n1, version=2)
    assert response["Location"] == reverse("agreements:detail", args=[second.pk])
    page = client.get(reverse("agreements:network", args=[universe.n1.pk])).content.decode()
    assert "Version 2, taking effect from 01 April 2025, is a draft" in page
    assert "Version 1</strong>" in page


def test_organisation_page_links_the_agreement_for_pcns_only(universe, verified_client):  # type: ignore[no-untyped-def]
    client = verified_client("pcn_manager")
    link = reverse("agreements:network", args=[universe.n1.pk])
    assert (
        link in client.get(reverse("organisations:detail", args=[universe.n1.pk])).content.decode()
    )
    page = client.get(reverse("organisations:detail", args=[universe.p1.pk])).content.decode()
    assert "/agreements/networks/" not in page
    empty = client.get(link).content.decode()
    assert "No Network Agreement is recorded" in empty
    assert reverse("agreements:draft", args=[universe.n1.pk]) in empty
