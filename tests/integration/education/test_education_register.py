"""The register, training records, feedback, the CPD certificate and log, and the report."""

import csv
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from openpcn.core.models import AuditEvent
from openpcn.education import actions, queries
from openpcn.education.models import Event, Feedback
from openpcn.workforce.models import TrainingRecord
from tests.files import pdf_text

pytestmark = pytest.mark.django_db


def _happened(event, days_ago=2):
    starts = timezone.now() - dt.timedelta(days=days_ago)
    Event.objects.filter(pk=event.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
    )
    event.refresh_from_db()
    return event


@pytest.fixture
def held(staffed):
    """N1's event with the nurse and the pharmacist booked, now held."""
    staffed.nurse_booking = actions.book(by=None, event=staffed.event, staff=staffed.nurse)
    staffed.pharm_booking = actions.book(by=None, event=staffed.event, staff=staffed.pharmacist)
    _happened(staffed.event)
    return staffed


def test_the_register_marks_attendance_and_adds_training_records(held):
    director = held.users["clinical_director"]
    actions.take_register(by=director, event=held.event, attended=[held.nurse_booking.pk])
    held.nurse_booking.refresh_from_db()
    held.pharm_booking.refresh_from_db()
    assert held.nurse_booking.attended is True and held.pharm_booking.attended is False
    record = TrainingRecord.objects.get(staff=held.nurse)
    assert record.course == "Asthma reviews in primary care (2.50 CPD hours)"
    assert record.completed_on == timezone.localtime(held.event.starts_at).date()
    assert not TrainingRecord.objects.filter(staff=held.pharmacist).exists()
    taken = AuditEvent.objects.get(action="take_event_register")
    assert taken.actor == director and taken.after["attended"] == [held.nurse_booking.pk]
    assert AuditEvent.objects.filter(action="record_event_training", actor=director).count() == 1
    # Corrected: the nurse was absent after all, the pharmacist came.
    actions.take_register(by=director, event=held.event, attended=[held.pharm_booking.pk])
    assert not TrainingRecord.objects.filter(staff=held.nurse).exists()
    assert TrainingRecord.objects.filter(staff=held.pharmacist).count() == 1
    assert AuditEvent.objects.filter(action="withdraw_event_training").count() == 1


def test_the_register_needs_the_permission_and_a_started_event(held, make_event):
    with pytest.raises(PermissionDenied):
        actions.take_register(by=held.users["clinician"], event=held.event, attended=[])
    with pytest.raises(PermissionDenied):
        actions.take_register(by=held.users["south_admin"], event=held.event, attended=[])
    future = make_event(held.n1)
    with pytest.raises(ValidationError, match="once the event has started"):
        actions.take_register(by=held.users["pcn_manager"], event=future, attended=[])


def test_only_attendees_give_feedback_once(held):
    actions.take_register(by=None, event=held.event, attended=[held.nurse_booking.pk])
    held.nurse_booking.refresh_from_db()
    held.pharm_booking.refresh_from_db()
    nurse = held.users["clinician"]
    with pytest.raises(PermissionDenied):
        actions.give_feedback(
            by=held.users["pcn_manager"], booking=held.nurse_booking, overall=5, relevance=5
        )
    given = actions.give_feedback(
        by=nurse, booking=held.nurse_booking, overall=4, relevance=5, comments="Useful"
    )
    assert given.overall == 4
    assert AuditEvent.objects.filter(action="give_event_feedback", actor=nurse).exists()
    with pytest.raises(ValidationError, match="already"):
        actions.give_feedback(by=nurse, booking=held.nurse_booking, overall=3, relevance=3)
    nurse.person = held.pharmacist.person
    with pytest.raises(ValidationError, match="attended"):
        actions.give_feedback(by=nurse, booking=held.pharm_booking, overall=3, relevance=3)


def test_the_certificate_names_person_event_date_and_hours_and_the_log_shows_it(
    held, verified_client
):
    actions.take_register(
        by=held.users["pcn_manager"], event=held.event, attended=[held.nurse_booking.pk]
    )
    client = verified_client("clinician")
    log = client.get(reverse("education:cpd_log"))
    assert log.status_code == 200
    body = log.content.decode()
    assert "Asthma reviews in primary care" in body
    assert "2.50 CPD hours" in body
    link = reverse("education:certificate", args=[held.nurse_booking.pk])
    assert link in body
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    day = timezone.localtime(held.event.starts_at)
    assert b"Nia Nurse" in text
    assert b"Asthma reviews in primary care" in text
    assert f"{day:%d %B %Y}".encode() in text
    assert b"CPD hours: 2.5" in text
    assert b"Use the asthma control test" in text
    # The pharmacist did not attend: no certificate, and not someone else's.
    other = reverse("education:certificate", args=[held.pharm_booking.pk])
    assert client.get(other).status_code == 404
    assert verified_client("pcn_manager").get(link).status_code == 200


def test_the_cpd_log_adds_hours_by_appraisal_year(held, make_event):
    actions.take_register(by=None, event=held.event, attended=[held.nurse_booking.pk])
    second = make_event(held.n1, cpd_hours=__import__("decimal").Decimal("1"))
    booking = actions.book(by=None, event=second, staff=held.nurse)
    _happened(second, days_ago=1)
    actions.take_register(by=None, event=second, attended=[booking.pk])
    [year] = queries.cpd_log(held.nurse)
    assert str(year.hours) == "3.50"
    assert [b.event.title for b in year.entries] == [second.title, held.event.title]
    assert queries.appraisal_year_start(dt.date(2027, 3, 31)) == dt.date(2026, 4, 1)


def test_the_register_and_feedback_pages(held, verified_client):
    manager = verified_client("pcn_manager")
    url = reverse("education:register", args=[held.event.pk])
    page = manager.get(url)
    assert b"Nia Nurse" in page.content and b"Pat Pharm" in page.content
    manager.post(url, {"attended": [held.nurse_booking.pk, held.pharm_booking.pk]})
    assert TrainingRecord.objects.filter(staff__in=[held.nurse, held.pharmacist]).count() == 2
    nurse = verified_client("clinician")
    feedback_url = reverse("education:feedback", args=[held.nurse_booking.pk])
    assert feedback_url.encode() in nurse.get(reverse("education:cpd_log")).content
    nurse.post(feedback_url, {"overall": "5", "relevance": "4", "comments": "Clear and practical"})
    assert Feedback.objects.get().relevance == 4
    assert verified_client("practice_manager").get(feedback_url).status_code == 404


def test_the_report_by_event_role_and_practice(held, verified_client):
    actions.take_register(by=None, event=held.event, attended=[held.nurse_booking.pk])
    held.nurse_booking.refresh_from_db()
    actions.give_feedback(
        by=held.users["clinician"],
        booking=held.nurse_booking,
        overall=4,
        relevance=2,
        comments="More cases please",
    )
    report = queries.report(queries.managed_events(held.users["pcn_manager"]))
    [event_row] = report.by_event
    assert (event_row.booked, event_row.attended, event_row.rate) == (2, 1, "50%")
    assert event_row.mean_overall == "4.0"
    roles = {r.label: (r.booked, r.attended) for r in report.by_role}
    assert roles == {"Practice nurse": (1, 1), "Clinical pharmacist": (1, 0)}
    practices = {r.label: r.attended for r in report.by_practice}
    assert practices == {"P1 Surgery": 1, "P2 Surgery": 0}
    page = verified_client("pcn_manager").get(reverse("education:report"))
    assert b"More cases please" in page.content and b"50%" in page.content
    # South's admin runs none of North's events.
    assert queries.report(queries.managed_events(held.users["south_admin"])).by_event == []


def test_the_report_exports_as_csv(held, verified_client):
    actions.take_register(by=None, event=held.event, attended=[held.nurse_booking.pk])
    response = verified_client("pcn_manager").get(reverse("education:report_export"))
    rows = list(csv.reader(response.content.decode().splitlines()))
    assert rows[0][:4] == ["group", "name", "booked", "attended"]
    assert ["job role", "Practice nurse", "1", "1", "100%"] in [r[:5] for r in rows]
    assert ["practice", "P2 Surgery", "1", "0", "0%"] in [r[:5] for r in rows]
    assert verified_client("clinician").get(reverse("education:report_export")).status_code == 403
