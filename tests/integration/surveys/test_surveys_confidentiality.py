"""The proof: nothing an admin can reach ties a confidential answer to a person, link or time."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.conf import settings
from django.db import models
from django.urls import reverse

from openpcn.accounts.models import User
from openpcn.organisations.models import Person
from openpcn.surveys import actions, views
from openpcn.surveys.models import Answer, Invitation, Participation, Response
from tests.integration.surveys.conftest import answers_for

pytestmark = pytest.mark.django_db

FORBIDDEN_MODELS = {User, Person, Invitation, Participation}
FORBIDDEN_NAMES = ("token", "user", "person", "invitation", "participation", "email", "name")
EXPORT_COLUMNS = ["level", "section", "question", "answer", "count", "percent", "mean"]


@pytest.mark.parametrize("model", [Response, Answer])
def test_no_field_links_a_response_to_a_person_a_link_or_a_time(model: type[models.Model]) -> None:
    for field in model._meta.get_fields():
        related = getattr(field, "related_model", None)
        assert related not in FORBIDDEN_MODELS, f"{model.__name__}.{field.name} -> {related}"
        assert not isinstance(field, models.DateTimeField | models.TimeField), field.name
        assert not any(word in field.name for word in FORBIDDEN_NAMES), field.name
        if getattr(field, "auto_created", False) and not field.concrete:
            continue  # reverse relations: only Answer -> Response exists
    # Random keys, so no ordering against participation rows.
    assert isinstance(model._meta.pk, models.UUIDField)


def test_participation_holds_no_response_and_no_date() -> None:
    for field in Participation._meta.get_fields():
        assert getattr(field, "related_model", None) not in {Response, Answer}, field.name
        # Not even a day: one shared with the response's received_on would be a join key.
        assert not isinstance(field, models.DateField | models.TimeField), field.name


def test_no_other_model_points_at_responses_or_answers() -> None:
    from django.apps import apps

    for model in apps.get_models():
        if model in (Response, Answer):
            continue
        for field in model._meta.get_fields():
            if field.concrete and getattr(field, "related_model", None) in (Response, Answer):
                raise AssertionError(f"{model.__name__}.{field.name} links to a response")


def test_answering_twice_with_one_link_is_refused_through_the_page(survey_setup, client) -> None:
    token = survey_setup.tokens["cd.n1@example.nhs.uk"]
    url = reverse("surveys:answer", args=[token])
    trust = f"q{survey_setup.questions['trust']}"
    assert client.post(url, {trust: "4"}).status_code == 200
    assert Response.objects.count() == 1
    again = client.post(url, {trust: "1"})
    assert b"already been used" in again.content
    assert Response.objects.count() == 1


def _walk(value: Any, seen: list[Any]) -> None:
    """Every object reachable from a page's context, a level deep into containers and results."""
    seen.append(value)
    if isinstance(value, dict):
        for item in value.values():
            _walk(item, seen)
    elif isinstance(value, list | tuple | set):
        for item in value:
            _walk(item, seen)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            _walk(getattr(value, name), seen)


def test_an_admin_sees_nothing_more_in_pages_or_exports(
    survey_setup, universe, verified_client, monkeypatch
) -> None:
    for n, email in enumerate(["cd.n1", "pm.p1", "gp.p1", "pm.p2", "cd.n2", "pm.p3"], start=1):
        actions.answer(
            token=survey_setup.tokens[f"{email}@example.nhs.uk"],
            answers=answers_for(survey_setup, n),
        )
    contexts: list[dict[str, Any]] = []
    original = views.render

    def recording(request, template, context=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        contexts.append(dict(context or {}))
        return original(request, template, context, *args, **kwargs)

    monkeypatch.setattr(views, "render", recording)
    admin = verified_client("alliance_admin")
    survey = survey_setup.survey
    pages = [
        reverse("surveys:list"),
        reverse("surveys:detail", args=[survey.pk]),
        reverse("surveys:preview", args=[survey.pk]),
        reverse("surveys:results", args=[survey.pk]),
    ]
    for level in (universe.north, universe.place, universe.n1, universe.n2):
        pages.append(reverse("surveys:results", args=[survey.pk]) + f"?level={level.pk}")
    for page in pages:
        response = admin.get(page)
        assert response.status_code == 200, page
        for email in survey_setup.tokens:
            assert email.encode() not in response.content
        for response_row in Response.objects.all():
            assert str(response_row.pk).encode() not in response.content
    seen: list[Any] = []
    for context in contexts:
        _walk(context, seen)
    for value in seen:
        assert not isinstance(value, Response | Answer | Participation | Invitation | Person), value
    for level in (universe.north, universe.place, universe.n1):
        export = admin.get(reverse("surveys:export", args=[survey.pk]) + f"?level={level.pk}")
        rows = list(csv.reader(io.StringIO(export.content.decode())))
        assert rows[0] == EXPORT_COLUMNS
        body = export.content.decode()
        assert "example.nhs.uk" not in body
        assert not any(str(r.pk) in body for r in Response.objects.all())
        if level == universe.n1:
            assert rows[1][3] == "fewer than 5 responses" and len(rows) == 2
        for row in rows[1:]:
            assert row[4] == "" or int(row[4]) % 5 == 0


def test_email_settings_are_the_test_backend(survey_setup) -> None:
    assert settings.EMAIL_BACKEND.endswith("locmem.EmailBackend")
