"""Paying PCN income out to practices under Schedule 4, and posting the month to the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openpcn.core.models import AuditEvent
from openpcn.finance import actions
from openpcn.finance.distribution import network_distribution
from openpcn.finance.entitlements import FinancialYear
from openpcn.finance.models import FinanceSchedule, PaymentRun
from openpcn.ledger import queries as ledger_queries
from openpcn.ledger.models import Journal, Posting
from openpcn.organisations import actions as org_actions
from tests.integration.finance.test_finance_arrs_forecast import add_arrs_contract

D = Decimal
Y2024 = FinancialYear(2024)
APRIL, MAY = dt.date(2024, 4, 1), dt.date(2024, 5, 1)

RULES = {
    "core": "registered",
    "enhanced-access": "weighted",
    "care-home-premium": "equal",
    "capacity-access": "fixed",
    "arrs": "employer",
}


def _snapshots(universe) -> None:  # type: ignore[no-untyped-def]
    # N1 = P1 (30,000 registered, 31,000 weighted) + P2 (20,000, 19,000); 50,000 adjusted in all.
    for practice, registered, weighted in (
        (universe.p1, 30000, "31000"),
        (universe.p2, 20000, "19000"),
    ):
        org_actions.record_population_snapshot(
            by=None,
            practice=practice,
            date=dt.date(2024, 1, 1),
            registered=registered,
            weighted=D(weighted),
            adjusted=D(registered),
        )
    actions.record_care_home_beds(by=None, network=universe.n1, year=2024, beds=40)


def _agree(universe, by=None, **overrides):  # type: ignore[no-untyped-def]
    values = dict(
        network=universe.n1,
        valid_from=APRIL,
        nominated_payee=universe.p1,
        agreed_on=dt.date(2024, 3, 20),
        rules=RULES,
        # Capacity and access: £162,400 a year; P1 gets £60,000 and P2 £40,000, the rest retained.
        fixed={"capacity-access": {universe.p1.pk: D("60000"), universe.p2.pk: D("40000")}},
        payment_day=20,
        reference="N1 Network Agreement, Schedule 4",
    )
    values.update(overrides)
    return actions.agree_finance_schedule(by=by, **values)


def test_a_month_shared_by_the_rules_by_hand(universe) -> None:  # type: ignore[no-untyped-def]
    _snapshots(universe)
    _agree(universe)
    plan = network_distribution(universe.n1, Y2024).month(APRIL)
    assert plan is not None and plan.payable
    streams = {s.code: s for s in plan.streams}
    # Core: (50,000 × 2.218 + 50,000 × 0.698) / 12 = 12,150 a month, 3:2 by registered list
    assert streams["core"].received == D("12150.00")
    assert streams["core"].payments == {universe.p1.pk: D("7290.00"), universe.p2.pk: D("4860.00")}
    # Enhanced Access: 383,700 / 12 = 31,975, 31:19 by weighted population
    ea = streams["enhanced-access"]
    assert ea.received == D("31975.00")
    assert ea.payments == {universe.p1.pk: D("19824.50"), universe.p2.pk: D("12150.50")}
    # Care home premium: 40 beds × £120 / 12 = £400, in equal shares
    assert streams["care-home-premium"].payments == {
        universe.p1.pk: D("200.00"),
        universe.p2.pk: D("200.00"),
    }
    # Capacity and access: fixed twelfths 5,000 and 3,333.34 of 13,533.33; the rest retained
    cap = streams["capacity-access"]
    assert cap.payments == {universe.p1.pk: D("5000.00"), universe.p2.pk: D("3333.34")}
    assert cap.retained == cap.received - D("8333.34")
    # No ARRS claims in April: nothing received, nothing paid
    assert streams["arrs"].received == 0 and not streams["arrs"].payments
    for s in plan.streams:
        assert s.paid_out + s.retained == s.received


def test_arrs_is_paid_to_each_employer_and_the_pcns_own_staff_are_retained(universe) -> None:  # type: ignore[no-untyped-def]
    _snapshots(universe)
    _agree(universe)
    add_arrs_contract(universe, universe.p2, name="Practice", start_date=APRIL)
    add_arrs_contract(universe, universe.n1, name="Network", start_date=APRIL)
    plan = network_distribution(universe.n1, Y2024).month(APRIL)
    assert plan is not None
    arrs = next(s for s in plan.streams if s.code == "arrs")
    # Each 0.8 WTE pharmacist costs 70,000 / 12 = 5,833.33 in April, capped at 59,312 × 0.8 / 12
    assert arrs.received == D("7908.26")
    assert arrs.payments == {universe.p2.pk: D("3954.13")}
    assert arrs.retained == D("3954.13")


def test_posting_a_month_writes_one_balanced_journal_and_each_practice_statement(universe) -> None:  # type: ignore[no-untyped-def]
    _snapshots(universe)
    _agree(universe)
    officer = universe.users["finance_officer"]
    run = actions.post_payment_run(by=officer, network=universe.n1, month=APRIL)
    assert run.journal.date == dt.date(2024, 4, 20)  # the schedule's payment day
    plan = network_distribution(universe.n1, Y2024).month(APRIL)
    assert plan is not None
    assert run.received == plan.received and run.paid_out == plan.paid_out
    postings = Posting.objects.filter(journal=run.journal)
    assert sum(p.amount for p in postings) == 0
    for org in (universe.n1, universe.p1, universe.p2):
        assert sum(p.amount for p in postings if p.account.organisation_id == org.pk) == 0
    statement = ledger_queries.statement(universe.p1, APRIL, dt.date(2024, 4, 30))
    assert statement.total_credits == plan.paid_to(universe.p1.pk)
    assert {line.account.code for line in statement.lines} >= {"4100-core", "4100-enhanced-access"}
    assert AuditEvent.objects.filter(action="post_payment_run", object_id=str(run.pk)).exists()
    tb = ledger_queries.trial_balance({universe.n1.pk, universe.p1.pk, universe.p2.pk})
    assert tb.total_debits == tb.total_credits


def test_a_month_is_posted_once_and_can_be_cancelled_and_posted_again(universe) -> None:  # type: ignore[no-untyped-def]
    _snapshots(universe)
    _agree(universe)
    officer = universe.users["finance_officer"]
    run = actions.post_payment_run(by=officer, network=universe.n1, month=APRIL)
    with pytest.raises(ValidationError, match="already been posted"):
        actions.post_payment_run(by=officer, network=universe.n1, month=APRIL)
    with pytest.raises(ValidationError, match="posted under the current schedule"):
        _agree(universe, by=officer, rules={**RULES, "core": "equal"})
    actions.cancel_payment_run(by=officer, run=run, reason="wrong list sizes")
    assert Journal.objects.filter(reverses=run.journal).exists()
    statement = ledger_queries.statement(universe.p1, APRIL, dt.date(2024, 4, 30))
    assert statement.closing == 0  # paid, then reversed
    again = actions.post_payment_run(by=officer, network=universe.n1, month=APRIL)
    assert again.pk != run.pk
    assert PaymentRun.objects.filter(network=universe.n1, cancelled_at__isnull=True).count() == 1


def test_payment_runs_need_finance_manage_over_the_pcn(universe) -> None:  # type: ignore[no-untyped-def]
    _snapshots(universe)
    _agree(universe)
    for role in ("pcn_manager", "practice_manager", "board_member", "south_admin"):
        with pytest.raises(PermissionDenied):
            actions.post_payment_run(by=universe.users[role], network=universe.n1, month=MAY)
        with pytest.raises(PermissionDenied):
            _agree(universe, by=universe.users[role], valid_from=MAY)
    assert not PaymentRun.objects.exists() and not Journal.objects.exists()


def test_bad_schedules_are_refused_and_nothing_is_written(universe) -> None:  # type: ignore[no-untyped-def]
    _snapshots(universe)
    bad = [
        ({"nominated_payee": universe.p3}, "cannot be the nominated payee"),
        ({"valid_from": dt.date(2024, 4, 2)}, "first of a month"),
        ({"rules": {"core": "employer"}}, "only ARRS money"),
        ({"rules": {"core": "fixed"}, "fixed": {}}, "fixed amount"),
        ({"rules": {"nope": "equal"}}, "Unknown payment stream"),
        ({"fixed": {"capacity-access": {universe.p3.pk: D("1")}}}, "member practices only"),
        ({"payment_day": 31}, "between 1 and 28"),
    ]
    for overrides, message in bad:
        with pytest.raises(ValidationError, match=message):
            _agree(universe, **overrides)
    assert not FinanceSchedule.objects.exists()


def test_fixed_amounts_above_the_money_received_block_the_month(universe) -> None:  # type: ignore[no-untyped-def]
    _snapshots(universe)
    _agree(universe, fixed={"capacity-access": {universe.p1.pk: D("999999")}})
    with pytest.raises(ValidationError, match="more than the money received"):
        actions.post_payment_run(by=None, network=universe.n1, month=APRIL)
    assert not Journal.objects.exists()


def test_no_schedule_no_payments(universe) -> None:  # type: ignore[no-untyped-def]
    _snapshots(universe)
    result = network_distribution(universe.n1, Y2024)
    assert any("No finance schedule" in w for w in result.warnings)
    with pytest.raises(ValidationError, match="No finance schedule"):
        actions.post_payment_run(by=None, network=universe.n1, month=APRIL)


def test_a_new_version_applies_from_its_month(universe) -> None:  # type: ignore[no-untyped-def]
    _snapshots(universe)
    _agree(universe)
    _agree(universe, valid_from=dt.date(2024, 10, 1), nominated_payee=universe.north, rules={})
    result = network_distribution(universe.n1, Y2024)
    september, october = result.months[5], result.months[6]
    assert september.paid_out > 0
    assert october.paid_out == 0 and october.retained == october.received
    assert result.year_total(universe.p1.pk) == sum(
        (m.paid_to(universe.p1.pk) for m in result.months), D("0")
    )


def test_cli_pays_a_month_once_and_says_why_not_again(universe, capsys) -> None:  # type: ignore[no-untyped-def]
    from openpcn.cli.main import main

    _snapshots(universe)
    _agree(universe)
    assert main(["finance", "pay", "--network", "UN001", "--month", "2024-04", "--dry-run"]) == 0
    assert not PaymentRun.objects.exists()
    assert main(["finance", "pay", "--network", "UN001", "--month", "2024-04"]) == 0
    out = capsys.readouterr().out
    # P1's April: Core 7,290 + Enhanced Access 19,824.50 + care homes 200 + fixed 5,000
    assert "P1 Surgery" in out and "£32,314.50" in out
    run = PaymentRun.objects.get()
    assert f"journal {run.journal_id}" in out
    assert main(["finance", "pay", "--network", "UN001", "--month", "2024-04"]) == 1
    assert "already been posted" in capsys.readouterr().err
    assert main(["finance", "pay", "--network", "NOPE", "--month", "2024-04"]) == 1
    assert main(["finance", "entitlements", "--network", "UN001", "--year", "2024"]) == 0
    assert "£383,700.00" in capsys.readouterr().out  # Enhanced Access, £7.674 × 50,000
