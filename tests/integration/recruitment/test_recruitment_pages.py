"""Recruitment pages: scope (404 outside organisations), permissions, the public pages without
sign-in, upload checks through the form, the JobPosting JSON-LD, and the blind panel's pages."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from openpcn.recruitment import actions
from openpcn.recruitment.models import Application
from tests.files import docx_bytes, pdf_bytes
from tests.integration.recruitment.conftest import approve_and_open, candidate

pytestmark = pytest.mark.django_db


def _file(name: str, content: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_outside_the_employer_a_vacancy_is_not_found(recruiting, verified_client) -> None:
    pk = recruiting.vacancy.pk
    for role in ("south_admin", "clinician", "practice_manager"):
        client = verified_client(role)
        assert client.get(reverse("recruitment:detail", args=[pk])).status_code == 404, role
        assert client.get(reverse("recruitment:panel", args=[pk])).status_code == 404, role
        assert client.get(reverse("recruitment:export", args=[pk])).status_code == 404, role


def test_the_clinical_director_approves_through_the_page(recruiting, verified_client) -> None:
    pk = recruiting.vacancy.pk
    manager = verified_client("pcn_manager")
    page = manager.get(reverse("recruitment:detail", args=[pk])).content.decode()
    assert "Approve the vacancy" not in page
    refused = manager.post(reverse("recruitment:step", args=[pk, "approve"]))
    assert refused.status_code == 404
    director = verified_client("clinical_director")
    page = director.get(reverse("recruitment:detail", args=[pk])).content.decode()
    assert "Approve the vacancy" in page and "ARRS headroom" in page
    director.post(reverse("recruitment:step", args=[pk, "approve"]))
    recruiting.vacancy.refresh_from_db()
    assert recruiting.vacancy.status == "approved"
    manager.post(reverse("recruitment:step", args=[pk, "open"]))
    recruiting.vacancy.refresh_from_db()
    assert recruiting.vacancy.status == "open"


def test_a_manager_drafts_a_vacancy_only_for_their_own_organisations(
    universe, verified_client
) -> None:
    from openpcn.workforce.models import JobRole

    client = verified_client("practice_manager")
    role = JobRole.objects.get(code="practice-nurse")
    form = {
        "job_role": role.pk,
        "title": "Practice nurse",
        "description": "Chronic disease clinics.",
        "hours_per_week": "22.5",
        "band": "5",
        "salary_from": "29970",
        "salary_to": "36483",
        "arrs_funded": "no",
        "closing_date": "2099-01-31",
        "blind": "yes",
    }
    outside = client.post(reverse("recruitment:new"), {**form, "employer": universe.p2.pk})
    assert outside.status_code == 200 and b"Select a valid choice" in outside.content
    created = client.post(reverse("recruitment:new"), {**form, "employer": universe.p1.pk})
    assert created.status_code == 302
    assert client.get(created["Location"]).status_code == 200


def test_the_public_pages_need_no_sign_in_and_show_only_open_vacancies(recruiting) -> None:
    vacancy = recruiting.vacancy
    public = Client()
    jobs = reverse("recruitment:jobs", args=[vacancy.alliance_id])
    job = reverse("recruitment:job", args=[vacancy.alliance_id, vacancy.pk])
    assert vacancy.title.encode() not in public.get(jobs).content
    assert public.get(job).status_code == 404  # a draft is not public
    approve_and_open(recruiting)
    assert vacancy.title.encode() in public.get(jobs).content
    assert public.get(job).status_code == 200
    other = reverse("recruitment:job", args=[recruiting.universe.south.pk, vacancy.pk])
    assert public.get(other).status_code == 404


def test_the_job_page_carries_a_jobposting_block(recruiting) -> None:
    vacancy = approve_and_open(recruiting)
    public = Client()
    page = public.get(reverse("recruitment:job", args=[vacancy.alliance_id, vacancy.pk]))
    block = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', page.content.decode(), re.S
    )
    assert block is not None
    posting = json.loads(block.group(1))
    assert posting["@context"] == "https://schema.org/" and posting["@type"] == "JobPosting"
    assert posting["title"] == "Clinical pharmacist"
    assert "medication reviews" in posting["description"]
    assert posting["datePosted"] == vacancy.opened_on.isoformat()
    assert posting["validThrough"].startswith(vacancy.closing_date.isoformat())
    assert posting["employmentType"] == "FULL_TIME"
    assert posting["hiringOrganization"] == {
        "@type": "Organization",
        "name": "N1 PCN",
        "identifier": {"@type": "PropertyValue", "propertyID": "ODS code", "value": "UN001"},
    }
    assert posting["jobLocation"][0]["address"]["postalCode"] == "NN1 1AA"
    assert posting["jobLocation"][0]["address"]["addressCountry"] == "GB"
    assert posting["baseSalary"]["currency"] == "GBP"
    assert posting["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "minValue": 46148.0,
        "maxValue": 52809.0,
        "unitText": "YEAR",
    }
    assert posting["identifier"]["value"] == vacancy.reference
    assert posting["url"].endswith(f"/recruitment/jobs/{vacancy.alliance_id}/{vacancy.pk}/")
    exported = public.get(
        reverse("recruitment:job_posting", args=[vacancy.alliance_id, vacancy.pk])
    )
    assert exported["Content-Type"] == "application/ld+json"
    assert json.loads(exported.content) == posting


def test_applying_through_the_page_checks_each_file(recruiting) -> None:
    vacancy = approve_and_open(recruiting)
    url = reverse("recruitment:apply", args=[vacancy.alliance_id, vacancy.pk])
    base = {"given_name": "Ada", "family_name": "Khan", "email": "ada@example.org"}
    public = Client()
    refused = public.post(
        url,
        {
            **base,
            "cv": _file("cv.exe", b"MZ\x90\x00binary"),
            "statement": _file("statement.pdf", pdf_bytes()),
        },
    )
    assert refused.status_code == 200
    assert b"CV (cv.exe): only PDF or Word (.docx) files can be kept" in refused.content
    assert not Application.objects.exists()
    sent = public.post(
        url,
        {
            **base,
            "cv": _file("cv.docx", docx_bytes("Ada Khan")),
            "statement": _file("statement.pdf", pdf_bytes()),
        },
    )
    assert b"Application sent" in sent.content
    assert Application.objects.get().cv_type.endswith("wordprocessingml.document")


def test_the_candidates_link_shows_and_withdraws_their_application(recruiting) -> None:
    applied = candidate(approve_and_open(recruiting), 1)
    public = Client()
    url = reverse("recruitment:application", args=[applied.token])
    assert b"Status: Applied" in public.get(url).content
    assert b"Status: Withdrawn" in public.post(url).content
    assert b"not valid" in public.get(reverse("recruitment:application", args=["nope"])).content


def test_a_blind_panel_sees_no_names_and_no_cv(recruiting, verified_client) -> None:
    users = recruiting.universe.users
    vacancy = approve_and_open(recruiting)
    applied = candidate(vacancy, 1)
    actions.close_applications(by=users["pcn_manager"], vacancy=vacancy)
    pk, app = vacancy.pk, applied.application.pk
    for role in ("clinical_director", "pcn_manager"):  # the manager sits on this panel too
        client = verified_client(role)
        for url in (
            reverse("recruitment:panel", args=[pk]),
            reverse("recruitment:detail", args=[pk]),
            reverse("recruitment:export", args=[pk]),
        ):
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            body = response.content
            if "panel" in url or url.endswith(".csv"):
                assert b"Candidate 1" in body
            for secret in (b"Given1", b"Family1", b"candidate1@example.org", b"2000001"):
                assert secret not in body, (role, url, secret)
        assert client.get(reverse("recruitment:document", args=[pk, app, "cv"])).status_code == 404
        statement = client.get(reverse("recruitment:document", args=[pk, app, "statement"]))
        assert statement.status_code == 200 and statement.content == pdf_bytes("statement 1")


def test_the_panel_scores_and_the_chair_shortlists_through_the_pages(
    recruiting, verified_client
) -> None:
    users = recruiting.universe.users
    vacancy = approve_and_open(recruiting)
    first = candidate(vacancy, 1).application
    candidate(vacancy, 2)
    actions.close_applications(by=users["pcn_manager"], vacancy=vacancy)
    criteria = list(vacancy.criteria.all())
    director = verified_client("clinical_director")
    director.post(
        reverse("recruitment:score", args=[vacancy.pk, first.pk]),
        {f"c{c.pk}": "3" for c in criteria},
    )
    page = director.get(reverse("recruitment:panel", args=[vacancy.pk])).content.decode()
    assert "Confirm the shortlist" not in page  # only the chair (or a manager) shortlists
    chair = verified_client("pcn_manager")
    chair.post(reverse("recruitment:shortlist", args=[vacancy.pk]), {"shortlist": [first.pk]})
    vacancy.refresh_from_db()
    assert vacancy.status == "interviews"
    detail = chair.get(reverse("recruitment:detail", args=[vacancy.pk])).content.decode()
    assert "Given1 Family1" in detail  # names return once the shortlist is made


def test_resources_cards_follow_permissions(recruiting, verified_client) -> None:
    board = verified_client("board_member").get(reverse("core:resources")).content.decode()
    assert "Equality monitoring" in board and "Vacancies and recruitment" not in board
    manager = verified_client("pcn_manager").get(reverse("core:resources")).content.decode()
    assert "Vacancies and recruitment" in manager and "Equality monitoring" not in manager
    assert verified_client("clinician").get(reverse("recruitment:list")).status_code == 404


def test_the_vacancy_page_gives_hours_sessions_and_wte(universe, verified_client) -> None:
    from decimal import Decimal

    from tests.integration.recruitment.conftest import draft

    vacancy = draft(universe, hours_per_week=Decimal("30"))
    page = verified_client("pcn_manager").get(reverse("recruitment:detail", args=[vacancy.pk]))
    assert "30 hours a week (7.2 sessions, 0.80 WTE)" in page.content.decode()
