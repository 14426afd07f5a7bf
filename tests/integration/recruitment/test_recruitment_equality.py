"""Equality monitoring: the panel never sees the answers (no page, export or document of theirs
gives them, with or without a candidate's identity), and the report withholds groups under 5."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from openpcn.recruitment import actions
from openpcn.recruitment import urls as recruitment_urls
from openpcn.recruitment.equality import MIN_VACANCIES, report
from openpcn.recruitment.models import EQUALITY_QUESTIONS, Ethnicity, Religion, SexualOrientation
from tests.integration.recruitment.conftest import candidate, draft

pytestmark = pytest.mark.django_db

# 16 candidates over 3 vacancies: 9 White, 5 Asian, 2 Black; the first 4 White and 3 Asian shortlisted.
ANSWERS = (
    [{"ethnicity": "white", "religion": "none", "sexual_orientation": "heterosexual"}] * 9
    + [{"ethnicity": "asian", "religion": "sikh", "sexual_orientation": "bisexual"}] * 5
    + [{"ethnicity": "black", "religion": "christian", "sexual_orientation": "gay_lesbian"}] * 2
)
SHORTLISTED = {0, 1, 2, 3, 9, 10, 11}
# Labels that no recruitment page would show unless it leaked equality answers.
TELLTALES = [
    label.encode()
    for choices in (Ethnicity, Religion, SexualOrientation)
    for value, label in choices.choices
    if value not in ("other", "not_said", "none")
]


@pytest.fixture
def monitored(universe, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DATA_DIR = tmp_path
    manager, director = universe.users["pcn_manager"], universe.users["clinical_director"]
    vacancies = []
    for n in range(MIN_VACANCIES):
        vacancy = draft(universe, title=f"Clinical pharmacist {n + 1}")
        actions.add_criterion(by=manager, vacancy=vacancy, text="GPhC registered pharmacist")
        actions.add_panel_member(by=manager, vacancy=vacancy, user=director, chair=True)
        actions.approve_vacancy(by=director, vacancy=vacancy)
        actions.open_vacancy(by=manager, vacancy=vacancy)
        vacancies.append(vacancy)
    applied = []
    for i, answers in enumerate(ANSWERS):
        got = candidate(vacancies[i % len(vacancies)], i + 1)
        actions.record_equality(token=got.equality_token, answers=answers)
        applied.append(got)
    for vacancy in vacancies:
        actions.close_applications(by=manager, vacancy=vacancy)
        chosen = [a.application for i, a in enumerate(applied) if i in SHORTLISTED]
        actions.shortlist(
            by=director,
            vacancy=vacancy,
            chosen=[a for a in chosen if a.vacancy_id == vacancy.pk],
        )
    return vacancies, applied


def _reachable_urls(vacancies, applied):  # type: ignore[no-untyped-def]
    """Every recruitment URL, filled in with this set-up's real vacancies and applications."""
    urls = []
    for pattern in recruitment_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        names = set(pattern.pattern.converters)
        name = f"recruitment:{pattern.name}"
        for vacancy in vacancies:
            apps = [a.application for a in applied if a.application.vacancy_id == vacancy.pk]
            kwargs_list: list[dict[str, object]] = [{}]
            if "pk" in names and "interviews" not in str(pattern.pattern):
                kwargs_list = [{"pk": vacancy.pk}]
            if "application" in names:
                kwargs_list = [{**k, "application": a.pk} for k in kwargs_list for a in apps]
            if "kind" in names:
                kwargs_list = [
                    {**k, "kind": kind} for k in kwargs_list for kind in ("cv", "statement")
                ]
            if "step" in names:
                continue  # steps are POST-only
            if "alliance" in names:
                kwargs_list = [{**k, "alliance": vacancy.alliance_id} for k in kwargs_list]
            if "token" in names or "interviews" in str(pattern.pattern):
                continue  # the candidate's own links; interviews hold none
            for kwargs in kwargs_list:
                urls.append(reverse(name, kwargs=kwargs or None))
    return sorted(set(urls))


def test_the_panel_never_sees_equality_answers(monitored, verified_client) -> None:
    vacancies, applied = monitored
    urls = _reachable_urls(vacancies, applied)
    assert any(u.endswith("/panel/") for u in urls) and any(u.endswith(".csv") for u in urls)
    for role in ("clinical_director", "pcn_manager"):
        client = verified_client(role)
        seen = 0
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            seen += 1
            for telltale in TELLTALES:
                assert telltale not in response.content, (role, url, telltale)
        assert seen > 10, role
        # After the shortlist the manager sees names: and still no equality answer beside them.
        assert client.get(reverse("recruitment:equality")).status_code == 404, role


def test_the_report_withholds_groups_under_five_at_each_stage(monitored) -> None:
    vacancies, _ = monitored
    found = report(vacancies[0].alliance)
    assert not found.withheld and found.vacancies == MIN_VACANCIES
    assert found.respondents.count == 15  # 16 rounded to the nearest 5
    ethnicity = next(c for c in found.characteristics if c.field == "ethnicity")
    rows = {row.label: [cell.count for cell in row.cells] for row in ethnicity.rows}
    assert rows["White"] == [10, None, None]  # 9 applied (rounded); 4 shortlisted withheld
    assert rows["Asian or Asian British"] == [5, None, None]  # 5 applied shown; 3 withheld
    assert rows["Black, Black British, Caribbean or African"] == [None, None, None]


def test_the_report_needs_enough_vacancies(universe, settings, tmp_path) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DATA_DIR = tmp_path
    manager, director = universe.users["pcn_manager"], universe.users["clinical_director"]
    vacancy = draft(universe)
    actions.add_criterion(by=manager, vacancy=vacancy, text="Registered")
    actions.add_panel_member(by=manager, vacancy=vacancy, user=director)
    actions.approve_vacancy(by=director, vacancy=vacancy)
    actions.open_vacancy(by=manager, vacancy=vacancy)
    for i in range(6):
        got = candidate(vacancy, i + 1)
        actions.record_equality(token=got.equality_token, answers={"ethnicity": "white"})
    found = report(universe.north)
    assert found.withheld and found.characteristics == []


def test_the_board_sees_the_report_page_with_withheld_cells(monitored, verified_client) -> None:
    page = verified_client("board_member").get(reverse("recruitment:equality")).content.decode()
    assert "Equality monitoring: North Alliance" in page
    assert "fewer than 5" in page
    for _, question, _ in EQUALITY_QUESTIONS:
        assert question in page
    assert (
        verified_client("south_admin")
        .get(reverse("recruitment:equality") + f"?alliance={monitored[0][0].alliance_id}")
        .status_code
        == 404
    )


def test_the_equality_form_is_one_use_and_optional(universe, settings, tmp_path) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DATA_DIR = tmp_path
    manager, director = universe.users["pcn_manager"], universe.users["clinical_director"]
    vacancy = draft(universe)
    actions.add_criterion(by=manager, vacancy=vacancy, text="Registered")
    actions.add_panel_member(by=manager, vacancy=vacancy, user=director)
    actions.approve_vacancy(by=director, vacancy=vacancy)
    actions.open_vacancy(by=manager, vacancy=vacancy)
    got = candidate(vacancy, 1)
    public = Client()
    url = reverse("recruitment:equality_form", args=[got.equality_token])
    assert b"never sees them" in public.get(url).content
    assert b"Thank you" in public.post(url, {}).content  # every question may be left out
    assert b"already been sent" in public.get(url).content
