import pytest

from openpcn.demo.registry import build_registry
from openpcn.demo.surveys import build_surveys
from openpcn.surveys import queries

pytestmark = pytest.mark.django_db


def test_demo_survey_shows_alliance_and_place_and_withholds_the_first_pcn(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    demo = build_registry(seed=2026)
    survey = build_surveys(demo)
    assert survey.status == "closed" and survey.confidential
    assert queries.results(survey, demo.alliance).shown
    assert queries.results(survey, demo.place).shown
    assert not queries.results(survey, demo.networks[0]).shown
