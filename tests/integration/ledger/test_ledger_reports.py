"""Reports on a small ledger checked by hand, their XLSX exports, and the pages with their scope.

April 2026 in N1 PCN: Core PCN funding £10,000.00 received, ARRS reimbursement £3,000.00 received,
ARRS salaries £2,500.00 paid, £1,200.00 paid to P1 (which P1 books as income). In May the ARRS
receipt is reversed. South's S1 has £700.00 of core funding, which North never sees.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from openpcn.ledger import actions, exports, queries

D = Decimal
APRIL = dt.date(2026, 4, 15)


@pytest.fixture
def books(chart):
    def post(description, date=APRIL, **lines):
        return actions.post_journal(
            by=None,
            date=date,
            description=description,
            lines=[(chart[tuple(k.split("_"))], D(v)) for k, v in lines.items()],
        )

    post("Core PCN funding, April", n1_1000="10000", n1_4000="-10000")
    arrs = post("ARRS claim, April", n1_1000="3000", n1_4100="-3000")
    post("ARRS salaries, April", n1_5100="2500", n1_1000="-2500")
    post(
        "Distribution to P1",
        n1_5200="1200",
        n1_1000="-1200",
        p1_1000="1200",
        p1_4000="-1200",
    )
    actions.reverse_journal(by=None, journal=arrs, date=dt.date(2026, 5, 3))
    post("S1 core funding", s1_1000="700", s1_4000="-700")
    return chart


def _row(tb, org, code):
    return next(r for r in tb.rows if r.account.organisation.name == org and r.account.code == code)


def test_trial_balance_by_hand(books):
    u = books.universe
    tb = queries.trial_balance([u.n1.pk, u.p1.pk, u.n2.pk])
    bank = _row(tb, "N1 PCN", "1000")
    assert (bank.debits, bank.credits, bank.balance) == (D("13000"), D("6700"), D("6300"))
    arrs = _row(tb, "N1 PCN", "4100")
    assert (arrs.debits, arrs.credits, arrs.balance) == (D("3000"), D("3000"), D("0"))
    assert tb.total_debits == tb.total_credits == D("20900")
    assert tb.difference == 0
    assert tb.total_debit_balances == tb.total_credit_balances == D("11200")
    # Up to April only, before the reversal.
    april = queries.trial_balance([u.n1.pk], on=dt.date(2026, 4, 30))
    assert _row(april, "N1 PCN", "4100").balance == D("-3000")
    assert april.difference == 0


def test_balances_and_income_and_expenditure_by_hand(books):
    u = books.universe
    balances = {
        (b.organisation.name, b.fund, b.kind): b.balance for b in queries.balances([u.n1.pk])
    }
    assert balances[("N1 PCN", "core", "asset")] == D("6300")
    assert balances[("N1 PCN", "arrs", "expense")] == D("2500")
    april = {
        (r.organisation.name, r.fund): (r.income, r.expenditure, r.surplus)
        for r in queries.income_and_expenditure(
            [u.n1.pk, u.p1.pk], dt.date(2026, 4, 1), dt.date(2026, 4, 30)
        )
    }
    assert april == {
        ("N1 PCN", "arrs"): (D("3000"), D("2500"), D("500")),
        ("N1 PCN", "core"): (D("10000"), D("1200"), D("8800")),
        ("P1 Surgery", "core"): (D("1200"), D("0"), D("1200")),
    }
    year = {
        (r.organisation.name, r.fund): r.income
        for r in queries.income_and_expenditure(
            [u.n1.pk], dt.date(2026, 4, 1), dt.date(2027, 3, 31)
        )
    }
    assert year[("N1 PCN", "arrs")] == D("0")  # the reversal took it back


def test_statement_and_its_xlsx(books):
    u = books.universe
    st = queries.statement(u.n1, dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert st.opening == D("-3000") + D("2500") - D("10000") + D("1200")
    assert [(line.description[:11], line.amount) for line in st.lines] == [
        ("Reversal of", D("3000"))
    ]
    assert st.closing == st.opening + D("3000")
    book = load_workbook(io.BytesIO(exports.statement_xlsx(st)))
    sheet = book["Statement"]
    assert [c.value for c in sheet[1]] == [*exports.STATEMENT_HEADER, "Running"]
    assert sheet.cell(row=3, column=6).value == 3000


def test_trial_balance_xlsx_totals(books):
    tb = queries.trial_balance([books.universe.n1.pk])
    sheet = load_workbook(io.BytesIO(exports.trial_balance_xlsx(tb)))["Trial balance"]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[0] == "Total"
    assert last[5] == last[6]  # debits equal credits
    assert last[7] == last[8]


# --- pages ------------------------------------------------------------------------------------


def test_finance_officer_sees_north_trial_balance_not_south(books, verified_client):
    client = verified_client("finance_officer")
    page = client.get(reverse("ledger:trial_balance"), {"to": "2026-05-31"}).content.decode()
    assert "Trial balance" in page
    assert "N1 PCN" in page and "P1 Surgery" in page
    assert "S1 PCN" not in page
    assert "£20,900.00" in page  # total debits
    assert "Distribution to P1" in page  # recent journals
    assert "S1 core funding" not in page
    south = books.universe.s1.pk
    assert client.get(reverse("ledger:trial_balance"), {"organisation": south}).status_code == 404
    assert client.get(reverse("ledger:statement", args=[south])).status_code == 404
    xlsx = client.get(reverse("ledger:trial_balance_xlsx"), {"to": "2026-05-31"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == exports.XLSX
    names = {c.value for c in load_workbook(io.BytesIO(xlsx.content)).active["A"]}
    assert "S1 PCN" not in names and "N1 PCN (UN001)" in names


def test_practice_manager_sees_own_statement_only(books, client):
    u = books.universe
    client.force_login(u.users["practice_manager"])  # held in P1
    url = reverse("ledger:statement", args=[u.p1.pk])
    page = client.get(url, {"from": "2026-04-01", "to": "2026-04-30"}).content.decode()
    assert "Statement, P1 Surgery" in page
    assert "Distribution to P1" in page and "£1,200.00" in page
    xlsx = client.get(
        reverse("ledger:statement_xlsx", args=[u.p1.pk]), {"from": "2026-04-01", "to": "2026-04-30"}
    )
    assert xlsx.status_code == 200
    for other in (u.p2, u.n1, u.q1):
        assert client.get(reverse("ledger:statement", args=[other.pk])).status_code == 404
        assert client.get(reverse("ledger:statement_xlsx", args=[other.pk])).status_code == 404
    # No FINANCE_VIEW: no trial balance; the ledger's front page sends them to their statement.
    front = client.get(reverse("ledger:trial_balance"))
    assert front.status_code == 302 and front["Location"] == url
    assert client.get(reverse("ledger:trial_balance_xlsx")).status_code == 404


@pytest.mark.parametrize("role", ["clinician", "alliance_analyst"])
def test_others_in_the_practice_see_no_statement(books, client, role):
    client.force_login(books.universe.users[role])
    assert client.get(reverse("ledger:statement", args=[books.universe.p1.pk])).status_code == 404
    assert client.get(reverse("ledger:trial_balance")).status_code == 404


def test_clinical_director_sees_the_pcn_and_its_practices(books, client):
    u = books.universe
    client.force_login(u.users["clinical_director"])  # FINANCE_VIEW held in N1
    page = client.get(reverse("ledger:trial_balance"), {"to": "2026-05-31"}).content.decode()
    assert "N1 PCN" in page and "P1 Surgery" in page and "N2 PCN" not in page
    assert client.get(reverse("ledger:statement", args=[u.p1.pk])).status_code == 200
    assert client.get(reverse("ledger:statement", args=[u.n2.pk])).status_code == 404


def test_recent_journals_leave_out_journals_touching_other_organisations(books):
    u = books.universe
    n1_only = [j.description for j in queries.recent_journals([u.n1.pk])]
    assert "Distribution to P1" not in n1_only  # it touches P1 too
    assert n1_only[0].startswith("Reversal of")  # newest first
    assert "Distribution to P1" in [
        j.description for j in queries.recent_journals([u.n1.pk, u.p1.pk])
    ]


def test_sums_are_exact_to_the_penny_even_where_floating_point_is_not(chart):
    # 0.1 + 0.2 and amounts near the largest postable are where SQLite's REAL sums go wrong.
    for amount in ("0.10", "0.20", "999999999999.99", "123456789.07", "0.01"):
        actions.post_journal(
            by=None,
            date=APRIL,
            description=f"£{amount}",
            lines=[(chart[("n1", "1000")], D(amount)), (chart[("n1", "4000")], -D(amount))],
        )
    tb = queries.trial_balance()
    assert tb.difference == D("0")
    assert _row(tb, "N1 PCN", "1000").debits == D("1000123456789.37")
    assert {b.balance for b in queries.balances([chart.universe.n1.pk])} == {
        D("1000123456789.37"),
        D("-1000123456789.37"),
    }
