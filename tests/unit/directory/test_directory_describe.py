"""ORUK schedules and costs in the plain words a patient reads on the printed list."""

from __future__ import annotations

from openpcn.directory.describe import cost, schedule


def test_directory_weekly_schedule_in_words() -> None:
    item = {"freq": "WEEKLY", "byday": "TH,FR", "opens_at": "10:00:00", "closes_at": "18:00:00"}
    assert schedule(item) == "Thursdays and Fridays, 10am to 6pm"


def test_directory_monthly_schedule_in_words() -> None:
    item = {"freq": "MONTHLY", "byday": "1TH", "opens_at": "09:30:00", "closes_at": "12:00:00"}
    assert schedule(item) == "the first Thursday of the month, 9:30am to 12pm"


def test_directory_schedule_without_a_rule_keeps_its_description() -> None:
    assert schedule({"description": "By appointment"}) == "By appointment"


def test_directory_cost_from_cost_options_or_fees() -> None:
    options = [
        {
            "option": "Under 18s and Over 60s",
            "amount": 35,
            "amount_description": "per 1 hour session",
        }
    ]
    assert cost({"cost_options": options}) == "Under 18s and Over 60s: £35 per 1 hour session"
    assert cost({"fees": "Free"}) == "Free"


def test_directory_days_in_a_row_read_as_a_range() -> None:
    item = {
        "freq": "WEEKLY",
        "byday": "MO,TU,WE,TH,FR",
        "opens_at": "09:00:00",
        "closes_at": "17:00:00",
    }
    assert schedule(item) == "Monday to Friday, 9am to 5pm"
    assert schedule({"byday": "MO,WE,FR"}) == "Mondays, Wednesdays and Fridays"
