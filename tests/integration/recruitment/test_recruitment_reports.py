"""Time to hire, vacancy months and ARRS money at risk per role and PCN; closing due vacancies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from openpcn.cli.main import main
from openpcn.finance.entitlements import FinancialYear
from openpcn.recruitment import actions
from openpcn.recruitment.queries import role_maximum
from openpcn.recruitment.reports import hiring_report, months_between
from tests.integration.recruitment.conftest import TODAY, approve_and_open

pytestmark = pytest.mark.django_db


def test_an_empty_arrs_post_shows_the_money_forgone_and_at_risk(recruiting) -> None:
    vacancy = approve_and_open(recruiting)
    opened = TODAY - dt.timedelta(days=61)
    vacancy.opened_on = opened  # as if it opened two months ago
    vacancy.save(update_fields=["opened_on"])
    rows, groups = hiring_report(recruiting.universe.users["pcn_manager"], today=TODAY)
    (row,) = rows
    maximum = role_maximum(vacancy.job_role, TODAY)
    assert maximum is not None
    year = FinancialYear.containing(TODAY)
    monthly = maximum * vacancy.wte / 12
    empty = months_between(max(opened, year.start), TODAY)
    left = months_between(TODAY, year.end + dt.timedelta(days=1))
    assert row.vacancy_months == months_between(opened, TODAY)
    assert row.arrs_forgone == (monthly * empty).quantize(Decimal("0.01"))
    assert row.arrs_at_risk == (monthly * left).quantize(Decimal("0.01"))
    assert row.days_to_hire is None
    (group,) = groups
    assert (group.role, group.network, group.vacancies, group.filled) == (
        "Clinical pharmacist",
        "N1 PCN",
        1,
        0,
    )


def test_the_report_page_is_for_recruiting_managers_in_scope(recruiting, verified_client) -> None:
    approve_and_open(recruiting)
    page = verified_client("pcn_manager").get(reverse("recruitment:reports"))
    assert page.status_code == 200 and b"Clinical pharmacist" in page.content
    assert verified_client("clinician").get(reverse("recruitment:reports")).status_code == 404
    other = verified_client("south_admin").get(reverse("recruitment:reports"))
    assert b"Clinical pharmacist" not in other.content


def test_the_command_line_closes_vacancies_past_their_closing_date(recruiting, capsys) -> None:
    vacancy = approve_and_open(recruiting)
    assert main(["recruitment", "close-due"]) == 0
    vacancy.refresh_from_db()
    assert vacancy.status == "open"
    closed = actions.close_due_vacancies(today=vacancy.closing_date + dt.timedelta(days=1))
    assert [v.pk for v in closed] == [vacancy.pk]
    vacancy.refresh_from_db()
    assert vacancy.status == "shortlisting"
