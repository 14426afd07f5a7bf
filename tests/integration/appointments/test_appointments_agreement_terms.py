"""Schedule 1's terms for appointing the Clinical Director: drafted through the agreement page,
carried to the next version, checked, and shown on the page and in the PDF export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openpcn.contracts import agreement_actions
from openpcn.contracts.models import NetworkAgreement
from tests.files import pdf_text


def test_terms_drafted_on_the_page_are_shown_and_exported(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    client = verified_client("pcn_manager")
    client.post(
        reverse("contracts:agreement_draft", args=[universe.n1.pk]),
        {
            "effective_from": "2026-04-01",
            "governance": "The practices elect the Clinical Director.",
            "director_voting": "list_size",
            "director_quorum_basis": "list_size",
            "director_quorum_percent": "60",
            "director_term_months": "24",
        },
    )
    agreement = NetworkAgreement.objects.get(network=universe.n1)
    assert (
        agreement.director_voting,
        agreement.director_quorum_basis,
        agreement.director_quorum_percent,
        agreement.director_term_months,
    ) == ("list_size", "list_size", 60, 24)
    page = client.get(reverse("contracts:agreement", args=[universe.n1.pk])).content.decode()
    assert "Weighted by registered list size" in page
    assert "60% of the registered list voting" in page
    assert "24 months" in page
    text = pdf_text(client.get(reverse("contracts:agreement_export", args=[agreement.pk])).content)
    text = text.replace(b") Tj T* (", b" ")  # join the lines ReportLab wrapped
    assert (
        b"Appointing the Clinical Director: Weighted by registered list size; quorum 60% of the "
        b"list; term of office 2 years." in text
    )


def test_a_new_version_keeps_the_terms_and_bad_terms_are_refused(universe) -> None:  # type: ignore[no-untyped-def]
    first = agreement_actions.draft_agreement(
        by=None,
        network=universe.n1,
        effective_from=dt.date(2026, 4, 1),
        director_terms={"director_voting": "list_size", "director_term_months": "30"},
    )
    NetworkAgreement.objects.filter(pk=first.pk).update(status="signed")
    second = agreement_actions.draft_agreement(
        by=None, network=universe.n1, effective_from=dt.date(2026, 5, 1)
    )
    assert (second.director_voting, second.director_term_months) == ("list_size", 30)
    NetworkAgreement.objects.filter(pk=second.pk).update(status="signed")
    for terms, message in (
        ({"director_quorum_percent": "150"}, "percentage from 1 to 100"),
        ({"director_term_months": "three"}, "whole number"),
        ({"director_voting": "by_show_of_hands"}, "how practices' votes count"),
    ):
        with pytest.raises(ValidationError, match=message):
            agreement_actions.draft_agreement(
                by=None,
                network=universe.n1,
                effective_from=dt.date(2026, 6, 1),
                director_terms=terms,
            )
