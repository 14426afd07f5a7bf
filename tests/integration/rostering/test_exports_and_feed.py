"""CSV and XLSX exports of a plan, the print view, and the RFC 5545 calendar feed."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from openpcn.rostering import actions
from openpcn.rostering.exports import HEADER
from openpcn.rostering.planning import run_plan
from openpcn.rostering.sessions import times_for
from tests.integration.rostering.test_plan_views import WEEK, planned

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def manager(client, rota_world):
    client.force_login(rota_world.users["pcn_manager"])
    return client


def _expected_rows(plan):
    rows = []
    for a in plan.assignments.select_related("site", "staff__person", "skill", "network"):
        times = times_for(a.date.weekday(), a.session)
        rows.append(
            [
                a.date.isoformat(),
                a.date.strftime("%A"),
                {"am": "AM", "pm": "PM", "evening": "Evening"}[a.session],
                f"{times.start // 60:02d}:{times.start % 60:02d}",
                f"{times.end // 60:02d}:{times.end % 60:02d}",
                a.site.name,
                a.staff.person.full_name,
                a.skill.name if a.skill else "",
                a.network.name if a.network else "",
                "yes" if a.locked else "no",
            ]
        )
    return sorted(rows)


def test_csv_export_has_one_row_per_assignment(manager, rota_world):
    plan = planned(rota_world)
    actions.set_assignment(
        by=None,
        plan=plan,
        staff=rota_world.staff[0],
        site=rota_world.hub,
        date=WEEK + dt.timedelta(days=5),
        session="am",
        skill=rota_world.gp,
        network=rota_world.n1,
    )
    response = manager.get(reverse("rostering:export_csv", args=[plan.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="rota-n1-pcn-{WEEK.isoformat()}.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == HEADER
    assert sorted(rows[1:]) == _expected_rows(plan)
    assert len(rows) - 1 == plan.assignments.count() == 6
    saturday = [r for r in rows if r[1] == "Saturday"]
    assert saturday == [
        [
            (WEEK + dt.timedelta(days=5)).isoformat(),
            "Saturday",
            "AM",
            "09:00",
            "13:00",
            "N1 Hub",
            "Ada Gp",
            "GP",
            "N1 PCN",
            "yes",
        ]
    ]
    # In order: by date, then session.
    assert [r[0] for r in rows[1:]] == sorted(r[0] for r in rows[1:])


def test_xlsx_export_matches_the_csv(manager, rota_world):
    plan = planned(rota_world)
    response = manager.get(reverse("rostering:export_xlsx", args=[plan.pk]))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == HEADER
    rows = [
        [v.date().isoformat() if isinstance(v, dt.datetime) else (v or "") for v in row]
        for row in values[1:]
    ]
    assert sorted(rows) == _expected_rows(plan)
    assert isinstance(values[1][0], dt.datetime)  # a real date cell, not text


def test_print_view_is_a_plain_page_of_the_week(manager, rota_world):
    plan = planned(rota_world)
    response = manager.get(
        reverse("rostering:grid_print", args=[plan.pk]),
        {"site": rota_world.surgery.pk, "week": WEEK.isoformat()},
    )
    page = response.content.decode()
    assert "<caption>Sessions at P1 Surgery</caption>" in page
    assert 'class="nhsuk-header' not in page  # no navigation: a printable page
    for a in plan.assignments.all():
        assert a.staff.person.full_name in page
    other = manager.get(reverse("rostering:grid_print", args=[plan.pk]), {"site": "999999"})
    assert other.status_code == 404


def _published_with_feed(rota_world):
    plan = planned(rota_world, publish=True)
    ada = rota_world.staff[0]
    feed = actions.create_feed(by=None, staff=ada)
    return plan, ada, feed


def test_calendar_feed_is_rfc5545_with_one_event_per_published_session(client, rota_world):
    plan, ada, feed = _published_with_feed(rota_world)
    # A planned but unpublished rota of the next week is not in the feed.
    draft = actions.create_plan(
        by=None,
        scope=rota_world.n1,
        first_day=WEEK + dt.timedelta(days=7),
        weeks=1,
        time_limit_seconds=5,
        enqueue=False,
    )
    run_plan(draft.pk)
    assert draft.assignments.filter(staff=ada).exists()

    response = client.get(reverse("rostering:feed", args=[feed.token]))  # no sign-in
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    events = calendar.walk("VEVENT")
    mine = plan.assignments.filter(staff=ada).select_related("site")
    assert len(events) == mine.count() > 0
    by_start = {e.decoded("DTSTART"): e for e in events}
    for a in mine:
        times = times_for(a.date.weekday(), a.session)
        start = dt.datetime.combine(a.date, dt.time(times.start // 60, times.start % 60), LONDON)
        event = by_start[start]
        assert event.decoded("DTSTART").tzinfo is not None
        assert event.decoded("DTEND") - event.decoded("DTSTART") == dt.timedelta(
            minutes=times.minutes
        )
        assert str(event["SUMMARY"]) == "AM session at P1 Surgery"
        assert str(event["LOCATION"]).startswith("P1 Surgery")
        assert str(event["UID"]) == f"rota-{ada.pk}-{a.date:%Y%m%d}-am@openpcn"
        assert event.get("DTSTAMP") is not None
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_calendar_feed_uids_survive_a_repair(client, rota_world):
    """A repaired, re-published rota updates the same events rather than duplicating them."""
    plan, ada, feed = _published_with_feed(rota_world)
    first = {
        str(e["UID"])
        for e in icalendar.Calendar.from_ical(
            client.get(reverse("rostering:feed", args=[feed.token])).content
        ).walk("VEVENT")
    }
    repair = actions.repair_published(by=None, plan=plan, time_limit_seconds=5)
    run_plan(repair.pk)
    repair.refresh_from_db()
    actions.publish_plan(by=None, plan=repair)
    after = icalendar.Calendar.from_ical(
        client.get(reverse("rostering:feed", args=[feed.token])).content
    ).walk("VEVENT")
    expected = {
        f"rota-{ada.pk}-{a.date:%Y%m%d}-{a.session}@openpcn"
        for a in repair.assignments.filter(staff=ada)
    }
    assert {str(e["UID"]) for e in after} == expected
    assert first and expected  # both rotas put Ada on sessions


def test_revoked_or_unknown_feed_is_404(client, rota_world):
    _, _, feed = _published_with_feed(rota_world)
    actions.revoke_feed(by=None, feed=feed)
    assert client.get(reverse("rostering:feed", args=[feed.token])).status_code == 404
    assert client.get(reverse("rostering:feed", args=["not-a-token"])).status_code == 404
