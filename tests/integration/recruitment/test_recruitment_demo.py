"""The demo's recruitment: open and filled vacancies with applications at every stage, hires in the
staff records, and equality answers that show some groups and withhold others."""

from __future__ import annotations

import pytest

from openpcn.demo.logins import create_logins
from openpcn.demo.recruitment import build_recruitment
from openpcn.demo.registry import build_registry
from openpcn.recruitment.equality import report
from openpcn.recruitment.models import Application, ApplicationStatus, VacancyStatus
from openpcn.workforce.models import Contract
from openpcn.workforce.reference import ensure_reference_data

pytestmark = pytest.mark.django_db


def test_the_demo_has_vacancies_and_applications_at_every_stage(settings, tmp_path) -> None:
    settings.DATA_DIR = tmp_path
    ensure_reference_data()
    demo = build_registry(seed=2026)
    create_logins(demo, seed=2026)
    vacancies = build_recruitment(demo, seed=2026)
    statuses = {v.status for v in vacancies}
    assert set(VacancyStatus.values) == {str(s) for s in statuses}
    stages = set(Application.objects.values_list("status", flat=True))
    assert {
        ApplicationStatus.APPLIED,
        ApplicationStatus.SHORTLISTED,
        ApplicationStatus.NOT_SHORTLISTED,
        ApplicationStatus.UNSUCCESSFUL,
        ApplicationStatus.OFFERED,
        ApplicationStatus.APPOINTED,
        ApplicationStatus.WITHDRAWN,
    } <= stages
    filled = [v for v in vacancies if v.status == VacancyStatus.FILLED]
    for vacancy in filled:
        appointed = vacancy.applications.get(status=ApplicationStatus.APPOINTED)
        contract = Contract.objects.get(pk=appointed.offer.contract_id)
        assert contract.staff.person.family_name == appointed.family_name
        assert contract.employer_id == vacancy.employer_id
    found = report(demo.alliance)
    assert not found.withheld
    cells = [cell for c in found.characteristics for row in c.rows for cell in row.cells]
    assert any(cell.withheld for cell in cells) and any(not cell.withheld for cell in cells)
    ethnicity = next(c for c in found.characteristics if c.field == "ethnicity")
    white = next(row for row in ethnicity.rows if row.label == "White")
    assert white.cells[0].count and white.cells[1].count  # applied and shortlisted both shown
