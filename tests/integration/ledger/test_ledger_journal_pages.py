"""Posting and reversing journals through the pages, as a finance officer, with scope 404s."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from openpcn.ledger import actions
from openpcn.ledger.models import Journal, Posting


def _form(chart, lines, **extra):
    data = {"date": "2026-04-30", "description": "Core funding", "reference": "ICB-1", **extra}
    for n, (key, debit, credit) in enumerate(lines, start=1):
        data[f"account_{n}"] = str(chart[key].pk)
        data[f"debit_{n}"] = debit
        data[f"credit_{n}"] = credit
    return data


def test_finance_officer_posts_a_balanced_journal(chart, verified_client):
    client = verified_client("finance_officer")
    page = client.get(reverse("ledger:journal_new")).content.decode()
    assert "N1 PCN: 1000 Bank" in page
    assert "S1 PCN" not in page  # South's accounts are not offered
    response = client.post(
        reverse("ledger:journal_new"),
        _form(chart, [(("n1", "1000"), "500.00", ""), (("n1", "4000"), "", "500.00")]),
    )
    journal = Journal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:journal", args=[journal.pk])
    assert sorted(journal.postings.values_list("amount", flat=True)) == [
        Decimal("-500"),
        Decimal("500"),
    ]
    detail = client.get(response["Location"]).content.decode()
    assert "Core funding" in detail and "Reverse this journal" in detail


def test_an_unbalanced_journal_is_shown_again_with_the_error(chart, verified_client):
    client = verified_client("finance_officer")
    response = client.post(
        reverse("ledger:journal_new"),
        _form(chart, [(("n1", "1000"), "500.00", ""), (("n1", "4000"), "", "499.99")]),
    )
    assert response.status_code == 200
    assert "does not balance" in response.content.decode()
    assert Posting.objects.count() == 0


def test_a_line_needs_one_of_debit_or_credit(chart, verified_client):
    client = verified_client("finance_officer")
    response = client.post(
        reverse("ledger:journal_new"),
        _form(chart, [(("n1", "1000"), "5.00", "5.00"), (("n1", "4000"), "", "5.00")]),
    )
    assert "Enter either a debit or a credit" in response.content.decode()
    assert Journal.objects.count() == 0


def test_posting_to_another_alliance_by_its_account_id_is_refused(chart, verified_client):
    client = verified_client("finance_officer")
    response = client.post(
        reverse("ledger:journal_new"),
        _form(chart, [(("s1", "1000"), "5.00", ""), (("s1", "4000"), "", "5.00")]),
    )
    assert response.status_code == 200  # not a choice: the form refuses it
    assert Journal.objects.count() == 0


def test_reverse_through_the_page_once(chart, verified_client):
    journal = actions.post_journal(
        by=None,
        date=dt.date(2026, 4, 30),
        description="Wrong amount",
        lines=[(chart[("n1", "1000")], Decimal("9")), (chart[("n1", "4000")], Decimal("-9"))],
    )
    client = verified_client("finance_officer")
    response = client.post(reverse("ledger:journal_reverse", args=[journal.pk]))
    reversal = Journal.objects.get(reverses=journal)
    assert response["Location"] == reverse("ledger:journal", args=[reversal.pk])
    page = client.get(reverse("ledger:journal", args=[journal.pk])).content.decode()
    assert "Reversed by" in page and "Reverse this journal" not in page
    again = client.post(reverse("ledger:journal_reverse", args=[journal.pk]), follow=True)
    assert "already been reversed" in again.content.decode()
    assert Journal.objects.count() == 2


def test_journals_outside_scope_are_404(chart, verified_client, client):
    south = actions.post_journal(
        by=None,
        date=dt.date(2026, 4, 30),
        description="South",
        lines=[(chart[("s1", "1000")], Decimal("9")), (chart[("s1", "4000")], Decimal("-9"))],
    )
    officer = verified_client("finance_officer")
    assert officer.get(reverse("ledger:journal", args=[south.pk])).status_code == 404
    assert officer.post(reverse("ledger:journal_reverse", args=[south.pk])).status_code == 404
    assert not Journal.objects.filter(reverses=south).exists()
    client.force_login(chart.universe.users["practice_manager"])
    assert client.get(reverse("ledger:journal_new")).status_code == 404


def test_clinical_director_may_read_but_not_reverse(chart, client):
    journal = actions.post_journal(
        by=None,
        date=dt.date(2026, 4, 30),
        description="N1",
        lines=[(chart[("n1", "1000")], Decimal("9")), (chart[("n1", "4000")], Decimal("-9"))],
    )
    client.force_login(chart.universe.users["clinical_director"])
    page = client.get(reverse("ledger:journal", args=[journal.pk])).content.decode()
    assert "Reverse this journal" not in page
    assert client.post(reverse("ledger:journal_reverse", args=[journal.pk])).status_code == 404
    assert client.get(reverse("ledger:journal_new")).status_code == 404


def test_finance_officer_opens_an_account_in_scope_only(chart, verified_client, client):
    u = chart.universe
    officer = verified_client("finance_officer")
    page = officer.get(reverse("ledger:account_new")).content.decode()
    assert "N1 PCN" in page and "S1 PCN" not in page
    data = {"fund": "arrs", "kind": "expense", "code": "5300", "name": "ARRS on-costs"}
    response = officer.post(reverse("ledger:account_new"), {"organisation": u.n1.pk, **data})
    assert response.status_code == 302
    assert u.n1.ledger_accounts.filter(code="5300", fund="arrs").exists()
    again = officer.post(reverse("ledger:account_new"), {"organisation": u.n1.pk, **data})
    assert "already has an account 5300" in again.content.decode()
    south = officer.post(reverse("ledger:account_new"), {"organisation": u.s1.pk, **data})
    assert south.status_code == 200  # not a choice
    assert not u.s1.ledger_accounts.filter(code="5300").exists()
    client.force_login(u.users["pcn_manager"])
    assert client.get(reverse("ledger:account_new")).status_code == 404
