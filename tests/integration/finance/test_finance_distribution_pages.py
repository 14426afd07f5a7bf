"""The payments-to-practices pages: reading the year, agreeing a schedule, posting and cancelling
a month, each only for whom it is meant."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from openpcn.finance.models import FinanceSchedule, PaymentRun
from openpcn.ledger.models import Journal
from tests.integration.finance.test_finance_distribution import _agree, _snapshots


def _form(universe, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "valid_from": "2024-04-01",
        "agreed_on": "2024-03-20",
        "nominated_payee": str(universe.p1.pk),
        "payment_day": "20",
        "reference": "Schedule 4 v1",
        "holding_terms": "Held in the payee's client account; paid out on the 20th",
        **{
            f"method_{code}": "retained"
            for code in (
                "core",
                "clinical-director",
                "leadership-management",
                "enhanced-access",
                "care-home-premium",
                "capacity-access",
            )
        },
        "method_arrs": "employer",
        "method_core": "registered",
    }
    data.update(overrides)
    return data


def test_finance_officer_agrees_a_schedule_through_the_form(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    _snapshots(universe)
    client = verified_client("finance_officer")
    url = reverse("finance:schedules", args=[universe.n1.pk])
    assert "Agree a new version" in client.get(url).content.decode()
    response = client.post(url, _form(universe))
    assert response.status_code == 302, response.content.decode()[:2000]
    schedule = FinanceSchedule.objects.get(network=universe.n1)
    assert schedule.nominated_payee == universe.p1 and schedule.payment_day == 20
    assert {r.stream.code: r.method for r in schedule.rules.all()}["core"] == "registered"
    page = client.get(url).content.decode()
    assert "From 01 April 2024" in page and "P1 Surgery" in page


def test_a_bad_schedule_form_names_the_problem_and_writes_nothing(
    universe, verified_client
) -> None:  # type: ignore[no-untyped-def]
    _snapshots(universe)
    client = verified_client("finance_officer")
    url = reverse("finance:schedules", args=[universe.n1.pk])
    page = client.post(url, _form(universe, method_core="fixed")).content.decode()
    assert "There is a problem" in page and "fixed amount" in page
    page = client.post(url, _form(universe, valid_from="2024-04-09")).content.decode()
    assert "first of a month" in page
    assert not FinanceSchedule.objects.exists()


def test_readers_see_the_schedule_but_no_form_and_cannot_post(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    _snapshots(universe)
    _agree(universe)
    client = verified_client("pcn_manager")
    url = reverse("finance:schedules", args=[universe.n1.pk])
    page = client.get(url).content.decode()
    assert "From 01 April 2024" in page and "Agree a new version" not in page
    assert client.post(url, _form(universe, valid_from="2024-05-01")).status_code == 404
    post = reverse("finance:post_month", args=[universe.n1.pk, 2024, "2024-04"])
    client.post(post)
    assert not PaymentRun.objects.exists()
    other = verified_client("south_admin")
    assert other.get(url).status_code == 404
    assert (
        other.get(reverse("finance:distribution", args=[universe.n1.pk, 2024])).status_code == 404
    )


def test_post_and_cancel_a_month_from_the_page(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    _snapshots(universe)
    _agree(universe)
    client = verified_client("finance_officer")
    page_url = reverse("finance:distribution", args=[universe.n1.pk, 2024])
    page = client.get(page_url).content.decode()
    assert "P1 Surgery" in page and "Post April 2024" in page
    client.post(reverse("finance:post_month", args=[universe.n1.pk, 2024, "2024-04"]))
    run = PaymentRun.objects.get(network=universe.n1, month=dt.date(2024, 4, 1))
    page = client.get(page_url).content.decode()
    assert "Posted" in page and f"journal {run.journal_id}" in page
    # A second post of the same month is refused with a message, and writes nothing
    response = client.post(
        reverse("finance:post_month", args=[universe.n1.pk, 2024, "2024-04"]), follow=True
    )
    assert "already been posted" in response.content.decode()
    assert Journal.objects.count() == 1
    client.post(reverse("finance:cancel_run", args=[run.pk]), {"reason": "list sizes corrected"})
    run.refresh_from_db()
    assert run.cancelled_at is not None and Journal.objects.count() == 2


def test_practice_manager_reads_their_statement_after_a_run(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    _snapshots(universe)
    _agree(universe)
    from openpcn.finance import actions

    actions.post_payment_run(by=None, network=universe.n1, month=dt.date(2024, 4, 1))
    client = verified_client("practice_manager")
    statement = reverse("ledger:statement", args=[universe.p1.pk])
    page = client.get(statement + "?from=2024-04-01&to=2025-03-31").content.decode()
    assert "PCN income: Core PCN funding" in page and "£7,290.00" in page
    assert client.get(reverse("ledger:statement", args=[universe.p2.pk])).status_code == 404
    assert (
        client.get(reverse("finance:distribution", args=[universe.n1.pk, 2024])).status_code == 404
    )


def test_a_statement_opens_on_the_latest_year_with_payments(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    _snapshots(universe)
    _agree(universe)
    from openpcn.finance import actions

    actions.post_payment_run(by=None, network=universe.n1, month=dt.date(2024, 4, 1))
    client = verified_client("practice_manager")
    response = client.get(reverse("ledger:trial_balance"), follow=True)  # sent to the statement
    page = response.content.decode()
    assert "01 April 2024" in page and "31 March 2025" in page and "£7,290.00" in page
