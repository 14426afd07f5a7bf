"""Pure pieces of education: the calendar file, appraisal years, report rows, the certificate."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from icalendar import Calendar

from openpcn.education.calendar import invitation, uid
from openpcn.education.certificate import certificate_pdf
from openpcn.education.models import Booking, Event
from openpcn.education.queries import Row, appraisal_year_start
from openpcn.organisations.models import Organisation, Person
from openpcn.workforce.models import StaffMember
from tests.files import pdf_text

LONDON = ZoneInfo("Europe/London")


def _event() -> Event:
    starts = dt.datetime(2027, 3, 28, 13, 30, tzinfo=LONDON)  # the day the clocks go forward
    return Event(
        pk=7,
        organisation=Organisation(name="Brookside PCN", kind="network"),
        kind="plt",
        title="PLT: frailty",
        learning_outcomes="Use the frailty scale\n\nRefer well\n",
        speakers="Dr Marsh",
        online_link="https://meet.example.org/plt",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        cpd_hours=Decimal("2.50"),
        capacity=10,
    )


def test_the_invitation_holds_the_event_in_london_time():
    [item] = Calendar.from_ical(invitation(_event())).walk("VEVENT")
    assert str(item["uid"]) == uid(_event()) == "education-event-7@openpcn"
    assert item.decoded("dtstart") == dt.datetime(2027, 3, 28, 13, 30, tzinfo=LONDON)
    assert item["dtstart"].params["TZID"] == "Europe/London"
    assert str(item["location"]) == "https://meet.example.org/plt"
    assert "Refer well" in str(item["description"])


def test_a_cancelled_invitation_says_so():
    calendar = Calendar.from_ical(invitation(_event(), cancelled=True))
    assert str(calendar["method"]) == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["status"]) == "CANCELLED"


def test_outcomes_are_its_non_empty_lines():
    assert _event().outcomes == ["Use the frailty scale", "Refer well"]
    assert _event().where == "Online"


def test_appraisal_years_run_april_to_march():
    assert appraisal_year_start(dt.date(2026, 4, 1)) == dt.date(2026, 4, 1)
    assert appraisal_year_start(dt.date(2026, 3, 31)) == dt.date(2025, 4, 1)


def test_report_rows_give_rates_and_means_or_a_dash():
    row = Row("Practice nurse", booked=4, attended=3, ratings=[4, 5], relevance=[3])
    assert (row.rate, row.mean_overall, row.mean_relevance, row.responses) == (
        "75%",
        "4.5",
        "3.0",
        2,
    )
    assert (Row("Nobody").rate, Row("Nobody").mean_overall) == ("—", "—")


def test_the_certificate_names_the_attendee_and_the_hours():
    person = Person(given_name="Nia", family_name="Nurse")
    booking = Booking(pk=12, event=_event(), staff=StaffMember(person=person), attended=True)
    booking.event_id = 7
    text = pdf_text(certificate_pdf(booking))
    assert b"Nia Nurse" in text and b"PLT: frailty" in text
    assert b"28 March 2027" in text and b"CPD hours: 2.5" in text
    assert b"CPD-00007-000012" in text
