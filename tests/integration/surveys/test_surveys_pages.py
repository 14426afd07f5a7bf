import pytest
from django.urls import reverse

from openpcn.surveys.models import Section

pytestmark = pytest.mark.django_db


def test_a_clinician_sees_no_surveys_and_no_results(survey_setup, verified_client) -> None:
    client = verified_client("clinician")
    survey = survey_setup.survey
    assert survey.title.encode() not in client.get(reverse("surveys:list")).content
    assert client.get(reverse("surveys:results", args=[survey.pk])).status_code == 404
    assert client.get(reverse("surveys:export", args=[survey.pk])).status_code == 404


def test_another_alliance_admin_gets_404(survey_setup, verified_client) -> None:
    client = verified_client("south_admin")
    assert client.get(reverse("surveys:detail", args=[survey_setup.survey.pk])).status_code == 404


def test_a_clinical_director_picks_only_levels_in_scope(
    survey_setup, universe, verified_client
) -> None:
    client = verified_client("clinical_director")
    url = reverse("surveys:results", args=[survey_setup.survey.pk])
    assert client.get(url + f"?level={universe.n1.pk}").status_code == 200
    assert client.get(url + f"?level={universe.place.pk}").status_code == 404


def test_the_admin_builds_a_survey_through_the_pages(universe, verified_client) -> None:
    client = verified_client("alliance_admin")
    created = client.post(
        reverse("surveys:new"),
        {"alliance": universe.north.pk, "title": "Team health", "confidential": "yes"},
    )
    assert created.status_code == 302
    detail = created["Location"]
    pk = int(detail.rstrip("/").split("/")[-1])
    client.post(reverse("surveys:section_add", args=[pk]), {"title": "About you"})
    section = Section.objects.get(survey_id=pk)
    client.post(
        reverse("surveys:question_add", args=[pk]),
        {"section": section.pk, "text": "Which role?", "kind": "single", "options": "GP\nNurse"},
    )
    page = client.get(reverse("surveys:preview", args=[pk]))
    assert b"Which role?" in page.content and b"Nurse" in page.content
    assert b"Send my answers" not in page.content
