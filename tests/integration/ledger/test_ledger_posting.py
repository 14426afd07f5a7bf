"""Posting journals: validation, permission and scope, reversals, and the append-only guards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from openpcn.core.models import AuditEvent
from openpcn.ledger import actions, queries
from openpcn.ledger.models import Journal, LedgerIsAppendOnly, Posting

D = Decimal
DAY = dt.date(2026, 4, 30)


def _receipt(chart, by=None, amount="1000.00", org="n1"):
    return actions.post_journal(
        by=by,
        date=DAY,
        description="Core PCN funding, April",
        reference="ICB-APR",
        lines=[(chart[(org, "1000")], D(amount)), (chart[(org, "4000")], -D(amount))],
    )


def test_a_balanced_journal_is_written_with_its_postings_and_audited(chart):
    officer = chart.universe.users["finance_officer"]
    journal = _receipt(chart, by=officer)
    assert journal.created_by == officer
    assert [p.amount for p in journal.postings.order_by("pk")] == [D("1000.00"), D("-1000.00")]
    event = AuditEvent.objects.get(action="post_journal")
    assert event.organisation == chart.universe.n1
    assert event.after["postings"] == [
        {"account": "1000", "amount": "1000.00"},
        {"account": "4000", "amount": "-1000.00"},
    ]


def test_a_journal_across_organisations_balances_for_each(chart):
    # N1 pays P1 £250: each organisation's side balances on its own.
    journal = actions.post_journal(
        by=chart.universe.users["finance_officer"],
        date=DAY,
        description="Distribution to P1",
        lines=[
            (chart[("n1", "5200")], D("250")),
            (chart[("n1", "1000")], D("-250")),
            (chart[("p1", "1000")], D("250")),
            (chart[("p1", "4000")], D("-250")),
        ],
    )
    assert journal.postings.count() == 4
    assert AuditEvent.objects.filter(action="post_journal").count() == 2  # one per organisation


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "at least one posting"),
        ([("1000", "10.00"), ("4000", "-9.99")], "does not balance"),
        ([("1000", "10.001"), ("4000", "-10.001")], "more than two decimal places"),
        ([("1000", "0"), ("4000", "0")], "cannot be zero"),
        ([("1000", 10.5), ("4000", -10.5)], "not floating point"),
        ([("1000", "ten"), ("4000", "-10")], "is not an amount"),
        ([("1000", "NaN"), ("4000", "-10")], "is not an amount"),
        ([("1000", "1e13"), ("4000", "-1e13")], "too large"),
    ],
)
def test_bad_journals_are_refused_with_nothing_written(chart, lines, message):
    with pytest.raises(ValidationError, match=message):
        actions.post_journal(
            by=None,
            date=DAY,
            description="bad",
            lines=[(chart[("n1", code)], amount) for code, amount in lines],
        )
    assert Journal.objects.count() == 0
    assert Posting.objects.count() == 0


def test_balancing_overall_is_not_enough_each_organisation_must_balance(chart):
    with pytest.raises(ValidationError, match="does not balance"):
        actions.post_journal(
            by=None,
            date=DAY,
            description="one-sided transfer",
            lines=[(chart[("n1", "1000")], D("5")), (chart[("p1", "1000")], D("-5"))],
        )
    assert Journal.objects.count() == 0


def test_north_finance_officer_may_not_post_to_south(chart):
    officer = chart.universe.users["finance_officer"]
    with pytest.raises(PermissionDenied):
        _receipt(chart, by=officer, org="s1")
    with pytest.raises(PermissionDenied):  # nor sneak South into a journal with North
        actions.post_journal(
            by=officer,
            date=DAY,
            description="mixed",
            lines=[
                (chart[("n1", "1000")], D("1")),
                (chart[("n1", "4000")], D("-1")),
                (chart[("s1", "1000")], D("1")),
                (chart[("s1", "4000")], D("-1")),
            ],
        )
    assert Journal.objects.count() == 0
    _receipt(chart, by=chart.universe.users["south_admin"], org="s1")  # South's own admin may


@pytest.mark.parametrize("role", ["practice_manager", "pcn_manager", "board_member", "clinician"])
def test_roles_without_finance_manage_may_not_post_or_open_accounts(chart, role):
    user = chart.universe.users[role]
    with pytest.raises(PermissionDenied):
        _receipt(chart, by=user)
    with pytest.raises(PermissionDenied):
        actions.open_account(
            by=user, organisation=chart.universe.n1, fund="core", kind="asset", code="9", name="X"
        )


def test_account_codes_are_unique_per_organisation(chart):
    with pytest.raises(ValidationError, match="already has an account 1000"):
        actions.open_account(
            by=None,
            organisation=chart.universe.n1,
            fund="core",
            kind="asset",
            code="1000",
            name="X",
        )
    with pytest.raises(ValidationError, match="Unknown fund"):
        actions.open_account(
            by=None, organisation=chart.universe.n1, fund="nope", kind="asset", code="9", name="X"
        )


def test_a_reversal_nets_to_zero_and_a_second_is_refused(chart):
    officer = chart.universe.users["finance_officer"]
    journal = _receipt(chart, by=officer, amount="123.45")
    reversal = actions.reverse_journal(by=officer, journal=journal, date=dt.date(2026, 5, 2))
    assert reversal.reverses == journal
    assert journal.reversed_by == reversal
    assert reversal.date == dt.date(2026, 5, 2)
    assert sorted(reversal.postings.values_list("amount", flat=True)) == [
        D("-123.45"),
        D("123.45"),
    ]
    for row in queries.trial_balance([chart.universe.n1.pk]).rows:
        assert row.balance == 0
    with pytest.raises(ValidationError, match="already been reversed"):
        actions.reverse_journal(by=officer, journal=journal)
    with pytest.raises(ValidationError, match="cannot itself be reversed"):
        actions.reverse_journal(by=officer, journal=reversal)
    assert Journal.objects.count() == 2
    assert AuditEvent.objects.filter(action="reverse_journal").count() == 1


def test_reversing_needs_finance_manage_over_the_journal(chart):
    journal = _receipt(chart, org="s1")
    with pytest.raises(PermissionDenied):
        actions.reverse_journal(by=chart.universe.users["finance_officer"], journal=journal)
    assert Journal.objects.count() == 1


# --- append-only: the model, the queryset and the database ------------------------------------


def test_the_model_refuses_to_change_or_delete(chart):
    journal = _receipt(chart)
    posting = journal.postings.first()
    journal.description = "changed"
    with pytest.raises(LedgerIsAppendOnly):
        journal.save()
    posting.amount = D("1")
    with pytest.raises(LedgerIsAppendOnly):
        posting.save()
    with pytest.raises(LedgerIsAppendOnly):
        journal.delete()
    with pytest.raises(LedgerIsAppendOnly):
        posting.delete()


def test_the_queryset_refuses_to_update_or_delete(chart):
    _receipt(chart)
    with pytest.raises(LedgerIsAppendOnly):
        Posting.objects.all().update(amount=D("1"))
    with pytest.raises(LedgerIsAppendOnly):
        Posting.objects.all().delete()
    with pytest.raises(LedgerIsAppendOnly):
        Journal.objects.filter(pk__gt=0).update(description="x")
    with pytest.raises(LedgerIsAppendOnly):
        Journal.objects.all().delete()
    assert Posting.objects.count() == 2


@pytest.mark.parametrize("table", ["ledger_posting", "ledger_journal"])
def test_the_database_refuses_to_update(chart, table):
    journal = _receipt(chart)
    column = "amount = 1" if table == "ledger_posting" else "description = 'changed'"
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column}")  # noqa: S608 (fixed names)
    assert Journal.objects.get(pk=journal.pk).description == "Core PCN funding, April"
    assert sorted(journal.postings.values_list("amount", flat=True)) == [D("-1000"), D("1000")]


@pytest.mark.parametrize("table", ["ledger_posting", "ledger_journal"])
def test_postgresql_refuses_to_delete(chart, table):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no DELETE trigger: test teardown empties tables with DELETE")
    _receipt(chart)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)
    assert Posting.objects.count() == 2


def test_postgresql_refuses_an_unbalanced_journal_written_behind_the_actions(chart):
    if connection.vendor != "postgresql":
        pytest.skip("the balance check at commit is a PostgreSQL constraint trigger")
    journal = _receipt(chart)
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ledger_posting_balanced IMMEDIATE")
        Posting.objects.bulk_create(
            [Posting(journal=journal, account=chart[("n1", "1000")], amount=D("1"))]
        )
    assert Posting.objects.count() == 2
