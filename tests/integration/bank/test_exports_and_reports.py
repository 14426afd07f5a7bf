"""Payment exports (CSV, XLSX) and the monthly report, on a small set that can be checked by hand.

November 2026, with "now" frozen at Monday 23 November 09:00 UTC (GMT, so local time is UTC):
- A: P1, Fri 20 Nov 09:00–13:00, £400, posted 18 Nov 09:00, claimed 90 min later, approved in full:
  £400.00 for 4.00 hours.
- B: P2, Thu 19 Nov 09:00–13:00, £300, posted 17 Nov 09:00, claimed 170 min later, approved for
  09:00–12:00: 3 of 4 hours, £225.00.
- C: P1, Sat 21 Nov, nobody claimed: unfilled (P1 Surgery, GP).
- D: P1, Thu 26 Nov, open: still open.
- E: P1, Wed 25 Nov, cancelled before anyone claimed it.
- F: P1, Wed 2 Dec, and G: P1, Fri 30 Oct, approved (£320): other months.
So November: 5 posted, 1 cancelled, 2 filled, fill rate 2 of 4 = 50%, median time to fill
(90 + 170) / 2 = 130 min = 2 h 10 min, 1 unfilled, cost £625.00 (P1 £400.00, P2 £225.00).
"""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from openpcn.bank import actions, exports, queries, reports
from openpcn.organisations import actions as registry
from tests.integration.bank.conftest import NOW
from tests.universe import START

DAY = dt.timedelta(days=1)


def _claim(world, key, cover, at):
    return actions.claim_cover(
        by=world.claimers[key][1],
        request_id=cover.pk,
        idempotency_key=f"claim-key-{cover.pk}",
        now=at,
    ).booking


@pytest.fixture
def november(bank_world, post):
    w = bank_world
    w.p2_surgery = registry.add_site(by=None, organisation=w.p2, name="P2 Surgery", kind="main")
    posted_a = NOW - 5 * DAY
    a = post(days=-3, rate="400.00", posted=posted_a)
    booking = _claim(w, "own", a, posted_a + dt.timedelta(minutes=90))
    actions.approve_timesheet(by=None, booking=booking, now=a.ends_at + DAY)

    posted_b = NOW - 6 * DAY
    b = actions.post_cover_request(
        by=None,
        practice=w.p2,
        site=w.p2_surgery,
        starts_at=NOW - 4 * DAY,
        ends_at=NOW - 4 * DAY + dt.timedelta(hours=4),
        skill=w.gp,
        rate=Decimal("300.00"),
        now=posted_b,
    )
    booking = _claim(w, "pcn", b, posted_b + dt.timedelta(minutes=170))
    actions.approve_timesheet(
        by=None,
        booking=booking,
        started_at=b.starts_at,
        ended_at=b.starts_at + dt.timedelta(hours=3),
        now=b.ends_at + DAY,
    )

    post(days=-2, posted=NOW - 4 * DAY)  # C: unfilled
    post(days=3)  # D: still open
    e = post(days=2)
    actions.cancel_cover_request(by=None, request=e, reason="Partner back early", now=NOW)
    post(days=9)  # F: December

    posted_g = NOW - 26 * DAY
    g = post(days=-24, rate="320.00", posted=posted_g)
    booking = _claim(w, "own", g, posted_g + dt.timedelta(hours=1))
    actions.approve_timesheet(by=None, booking=booking, now=g.ends_at + DAY)
    return w


MONTH = dt.date(2026, 11, 1)


def test_month_report_figures(november):
    report = reports.month_report({november.p1.pk, november.p2.pk}, MONTH)
    assert (report.posted, report.cancelled, report.filled) == (5, 1, 2)
    assert (report.unfilled, report.still_open) == (1, 1)
    assert report.fill_rate == 0.5 and report.fill_rate_text == "50%"
    assert report.median_minutes_to_fill == 130
    assert report.median_time_to_fill_text == "2 h 10 min"
    assert report.cost == Decimal("625.00")
    assert [(b.label, b.text, b.percent) for b in report.unfilled_by_practice] == [
        ("P1 Surgery", "1", 100)
    ]
    assert [(b.label, b.text) for b in report.unfilled_by_role] == [("GP", "1")]
    assert [(b.label, b.text, b.percent) for b in report.cost_by_practice] == [
        ("P1 Surgery", "£400.00", 100),
        ("P2 Surgery", "£225.00", 56),
    ]
    october = reports.month_report({november.p1.pk, november.p2.pk}, dt.date(2026, 10, 1))
    assert (october.posted, october.filled, october.cost) == (1, 1, Decimal("320.00"))


def test_report_page_shows_the_figures_in_words(client, november):
    client.force_login(november.users["pcn_manager"])
    page = client.get(reverse("bank:report"), {"month": "2026-11"}).content.decode()
    assert "Bank report, November 2026" in page
    for text in ("50%", "2 h 10 min", "£625.00", "£400.00", "£225.00", "50% (2 of 4)"):
        assert text in page, text
    assert 'aria-hidden="true"' in page  # the bars; their values are in the text beside them
    # A practice manager's report covers their own practice only.
    client.force_login(november.users["practice_manager"])
    page = client.get(reverse("bank:report"), {"month": "2026-11"}).content.decode()
    assert "£400.00" in page and "£225.00" not in page and "33%" in page  # 1 of 3 at P1


def test_csv_export_rows_and_totals(client, november):
    client.force_login(november.users["pcn_manager"])
    response = client.get(reverse("bank:payments_csv", args=["2026-11"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="bank-payments-2026-11.csv"' in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == exports.HEADER
    assert lines[1] == [
        "2026-11-19",
        "P2 Surgery",
        "P2 Surgery",
        "Pcn Doctor",
        "GP",
        "09:00",
        "12:00",
        "3.00",
        "300.00",
        "225.00",
    ]
    assert lines[2][:4] == ["2026-11-20", "P1 Surgery", "P1 Surgery", "Own Doctor"]
    assert lines[2][-3:] == ["4.00", "400.00", "400.00"]
    assert lines[3] == []
    assert lines[4:] == [
        ["Total", "Month", "Practice", "Sessions", "Hours", "Amount"],
        ["Total", "2026-11", "P1 Surgery", "1", "4.00", "400.00"],
        ["Total", "2026-11", "P2 Surgery", "1", "3.00", "225.00"],
        ["Total", "2026-11", "All practices", "2", "7.00", "625.00"],
    ]


def test_xlsx_export_has_a_totals_sheet(client, november):
    client.force_login(november.users["pcn_manager"])
    response = client.get(reverse("bank:payments_xlsx", args=["2026-11"]))
    assert 'filename="bank-payments-2026-11.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Sessions", "Totals by practice"]
    sessions = [list(r) for r in book["Sessions"].iter_rows(values_only=True)]
    assert sessions[0] == exports.HEADER and len(sessions) == 3
    assert sessions[1][0] == dt.datetime(2026, 11, 19) and sessions[1][9] == 225
    assert sessions[2][1] == "P1 Surgery" and sessions[2][9] == 400
    totals = [list(r) for r in book["Totals by practice"].iter_rows(values_only=True)]
    assert totals == [
        exports.TOTALS_HEADER,
        ["2026-11", "P1 Surgery", 1, 4, 400],
        ["2026-11", "P2 Surgery", 1, 3, 225],
        ["2026-11", "All practices", 2, 7, 625],
    ]


def test_exports_cover_only_the_users_practices(client, november):
    client.force_login(november.users["practice_manager"])  # P1 only
    text = client.get(reverse("bank:payments_csv", args=["2026-11"])).content.decode()
    assert "P1 Surgery" in text and "P2 Surgery" not in text
    assert "Total,2026-11,All practices,1,4.00,400.00" in text
    page = client.get(reverse("bank:payments"), {"month": "2026-11"}).content.decode()
    assert "Own Doctor" in page and "Pcn Doctor" not in page
    client.force_login(november.claimers["own"][1])  # a clinician: no payments
    assert client.get(reverse("bank:payments_csv", args=["2026-11"])).status_code == 404
    assert client.get(reverse("bank:report")).status_code == 404


def test_other_months_and_an_empty_month(client, november):
    client.force_login(november.users["pcn_manager"])
    text = client.get(reverse("bank:payments_csv", args=["2026-10"])).content.decode()
    assert "2026-10-30" in text and "Total,2026-10,All practices,1,4.00,320.00" in text
    empty = client.get(reverse("bank:payments_csv", args=["2026-12"])).content.decode()
    assert empty.splitlines()[-1] == "Total,2026-12,All practices,0,0,0"
    page = client.get(reverse("bank:payments"), {"month": "2026-12"}).content.decode()
    assert "No approved sessions in December 2026" in page


def test_month_bounds_follow_local_time():
    start, end = queries.month_bounds(dt.date(2026, 7, 15))
    assert start == dt.datetime(2026, 6, 30, 23, 0, tzinfo=dt.UTC)  # BST midnight
    assert end == dt.datetime(2026, 7, 31, 23, 0, tzinfo=dt.UTC)
    assert queries.parse_month("2026-02") == dt.date(2026, 2, 1)
    assert queries.parse_month("rubbish") == dt.date(2026, 11, 1)  # this month (frozen now)


def test_demo_bank_gives_the_reports_and_exports_data(db, client):
    from openpcn.bank.models import BankMember, CoverStatus
    from openpcn.demo.bank import build_bank
    from openpcn.demo.registry import build_registry
    from openpcn.demo.workforce import build_workforce

    demo = build_registry(seed=2026)
    build_workforce(demo, seed=2026)
    build_bank(demo, seed=2026)
    members = queries.bank_members([demo.alliance])
    assert len(members) == 4
    assert [m.member.staff.person.full_name for m in members if m.lapsed] == ["Priya Raman"]
    assert BankMember.objects.count() == 4
    practices = {p.pk for p in demo.practices}
    figures = [reports.month_report(practices, m) for m in reports.recent_months(MONTH, 3)]
    assert sum(r.filled for r in figures) >= 10 and sum(r.cost for r in figures) > 0
    assert any(r.unfilled for r in figures) and any(r.cancelled for r in figures)
    october = list(queries.approved_timesheets(practices, dt.date(2026, 10, 1)))
    assert october and all(t.amount > 0 for t in october)
    from openpcn.bank.models import CoverRequest

    assert CoverRequest.objects.filter(status=CoverStatus.OPEN, starts_at__gt=NOW).count() == 4

    # Every bank page draws with the demo's data, for someone running the alliance's bank.
    from openpcn.accounts import actions as accounts

    lead = accounts.create_user(by=None, username="bank_lead", password="a-long-password-2026")
    accounts.grant_membership(
        by=None, user=lead, organisation=demo.alliance, role="pcn_manager", start_date=START
    )
    client.force_login(lead)
    for path in (
        "/bank/",
        "/bank/requests/",
        "/bank/requests/?show=past",
        "/bank/members/",
        "/bank/payments/?month=2026-10",
        "/bank/reports/?month=2026-10",
        "/bank/payments/2026-10.csv",
        "/bank/payments/2026-10.xlsx",
    ):
        assert client.get(path).status_code == 200, path
    page = client.get("/bank/members/").content.decode()
    assert "Priya Raman" in page and "Lapsed" in page
