"""An ARRS clinical pharmacist vacancy at the universe's PCN N1, drafted by its PCN manager and
approved by its Clinical Director, with two criteria and a panel of both."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from openpcn.organisations import actions as org_actions
from openpcn.organisations.models import SiteKind
from openpcn.recruitment import actions
from openpcn.recruitment.models import Vacancy
from openpcn.workforce.models import JobRole
from tests.files import docx_bytes, pdf_bytes

TODAY = dt.date.today()


@dataclass
class Recruiting:
    vacancy: Vacancy
    universe: object


def upload(kind: str = "pdf", text: str = "statement") -> actions.Upload:
    if kind == "pdf":
        return actions.Upload(f"{text}.pdf", pdf_bytes(text))
    return actions.Upload(f"{text}.docx", docx_bytes(text))


def candidate(vacancy: Vacancy, n: int, **extra: object) -> actions.Applied:
    return actions.apply(
        vacancy=vacancy,
        given_name=f"Given{n}",
        family_name=f"Family{n}",
        email=f"candidate{n}@example.org",
        cv=upload("docx", f"cv of Given{n} Family{n}"),
        statement=upload("pdf", f"statement {n}"),
        registration_number=f"20{n:05d}",
        professional_body="GPhC",
        **extra,  # type: ignore[arg-type]
    )


def draft(universe, **overrides: object) -> Vacancy:  # type: ignore[no-untyped-def]
    fields: dict[str, object] = {
        "by": universe.users["pcn_manager"],
        "employer": universe.n1,
        "job_role": JobRole.objects.get(code="clinical-pharmacist"),
        "title": "Clinical pharmacist",
        "description": "Structured medication reviews across the PCN.",
        "hours_per_week": Decimal("37.5"),
        "band": "7",
        "salary_from": Decimal("46148"),
        "salary_to": Decimal("52809"),
        "arrs_funded": True,
        "closing_date": TODAY + dt.timedelta(days=21),
    }
    fields.update(overrides)
    return actions.create_vacancy(**fields)  # type: ignore[arg-type]


@pytest.fixture
def recruiting(universe, settings, tmp_path) -> Recruiting:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DATA_DIR = tmp_path
    manager = universe.users["pcn_manager"]
    manager.email = "pcn.manager@example.nhs.uk"
    manager.save()
    site = org_actions.add_site(
        by=None,
        organisation=universe.p1,
        name="P1 Main Surgery",
        kind=SiteKind.MAIN,
        postcode="NN1 1AA",
    )
    vacancy = draft(universe, sites=[site])
    actions.add_criterion(by=manager, vacancy=vacancy, text="GPhC registered pharmacist")
    actions.add_criterion(
        by=manager, vacancy=vacancy, text="Experience of medication reviews", essential=False
    )
    actions.add_panel_member(by=manager, vacancy=vacancy, user=manager, chair=True)
    actions.add_panel_member(by=manager, vacancy=vacancy, user=universe.users["clinical_director"])
    return Recruiting(vacancy, universe)


def approve_and_open(recruiting: Recruiting) -> Vacancy:
    users = recruiting.universe.users  # type: ignore[attr-defined]
    actions.approve_vacancy(by=users["clinical_director"], vacancy=recruiting.vacancy)
    return actions.open_vacancy(by=users["pcn_manager"], vacancy=recruiting.vacancy)
