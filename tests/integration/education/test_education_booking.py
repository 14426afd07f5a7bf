"""Booking, the waitlist and its automatic promotion, scope and permission, audit, and emails."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from openpcn.core.models import AuditEvent
from openpcn.education import actions
from openpcn.education.models import BookingStatus, Event
from openpcn.workforce.models import JobRole

pytestmark = pytest.mark.django_db


def test_booking_confirms_a_place_and_emails_an_ics_invitation(
    staffed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = actions.book(by=staffed.users["clinician"], event=staffed.event)
    assert booking.status == BookingStatus.BOOKED
    staffed.event.refresh_from_db()
    assert staffed.event.places_taken == 1
    [message] = mail.outbox
    assert message.to == ["nia.nurse@example.nhs.uk"]
    assert "Place confirmed" in message.subject
    [(name, content, mimetype)] = message.attachments
    assert name == "event.ics" and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    [item] = calendar.walk("VEVENT")
    assert str(item["summary"]) == "Asthma reviews in primary care"
    assert item.decoded("dtstart") == timezone.localtime(staffed.event.starts_at)
    assert str(item["location"]) == "Hub meeting room"
    assert calendar.walk("VTIMEZONE"), "the Europe/London zone is defined in the file"


def test_a_full_event_waitlists_and_a_cancellation_promotes_the_next_in_line(
    staffed, make_staff, make_event, django_capture_on_commit_callbacks
):
    event = make_event(staffed.n1, capacity=1)
    other = make_staff(
        staffed,
        given="Sam",
        family="Second",
        home=staffed.p1,
        employer=staffed.p1,
        role="salaried-gp",
    )
    first = actions.book(by=None, event=event, staff=staffed.nurse)
    waiting = actions.book(by=None, event=event, staff=staffed.pharmacist)
    last = actions.book(by=None, event=event, staff=other)
    assert (first.status, waiting.status, last.status) == ("booked", "waitlisted", "waitlisted")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = actions.cancel(by=staffed.users["clinician"], booking=first)
    assert promoted is not None and promoted.pk == waiting.pk
    waiting.refresh_from_db()
    last.refresh_from_db()
    assert waiting.status == BookingStatus.BOOKED and last.status == BookingStatus.WAITLISTED
    event.refresh_from_db()
    assert event.places_taken == 1
    left, message = sorted(mail.outbox, key=lambda m: m.to[0])
    assert left.to == ["nia.nurse@example.nhs.uk"] and "cancelled" in left.subject
    assert str(Calendar.from_ical(left.attachments[0][1])["method"]) == "CANCEL"
    assert message.to == ["pat.pharm@example.nhs.uk"]
    assert "moved up from the waitlist" in message.body
    assert message.attachments[0][0] == "event.ics"
    assert AuditEvent.objects.filter(action="promote_from_waitlist", object_id=str(waiting.pk))


def test_the_database_refuses_more_bookings_than_places(staffed):
    event = staffed.event
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(places_taken=event.capacity + 1)


def test_booking_twice_returns_the_same_booking(staffed):
    one = actions.book(by=staffed.users["clinician"], event=staffed.event)
    two = actions.book(by=staffed.users["clinician"], event=staffed.event)
    assert one.pk == two.pk
    assert staffed.event.bookings.count() == 1


def test_only_the_audience_books(staffed, make_event):
    for_pharmacists = make_event(
        staffed.n1, audience_roles=[JobRole.objects.get(code="clinical-pharmacist")]
    )
    with pytest.raises(PermissionDenied):
        actions.book(by=staffed.users["clinician"], event=for_pharmacists)
    assert actions.book(by=None, event=for_pharmacists, staff=staffed.pharmacist).status == "booked"
    for_n2 = make_event(staffed.north, audience_networks=[staffed.n2])
    with pytest.raises(PermissionDenied):
        actions.book(by=staffed.users["clinician"], event=for_n2)
    south = make_event(staffed.s1)
    with pytest.raises(PermissionDenied):
        actions.book(by=staffed.users["clinician"], event=south)


def test_without_a_staff_record_nobody_books(staffed):
    with pytest.raises(PermissionDenied, match="staff record"):
        actions.book(by=staffed.users["pcn_manager"], event=staffed.event)


def test_only_managers_create_events_and_only_where_they_manage(staffed, make_event):
    with pytest.raises(PermissionDenied):
        make_event(staffed.n1, by=staffed.users["clinician"])
    with pytest.raises(PermissionDenied):
        make_event(staffed.n2, by=staffed.users["clinical_director"])
    event = make_event(staffed.n1, by=staffed.users["clinical_director"])
    created = AuditEvent.objects.get(action="create_event", object_id=str(event.pk))
    assert created.actor == staffed.users["clinical_director"]
    assert created.organisation_id == staffed.n1.pk


def test_bad_details_are_refused_naming_the_field(staffed, make_event):
    with pytest.raises(ValidationError) as error:
        make_event(staffed.n1, cpd_hours=__import__("decimal").Decimal("5"))
    assert "cpd_hours" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_event(staffed.n1, venue="", online_link="")
    assert "venue" in error.value.message_dict


def test_a_started_event_cannot_be_booked_or_cancelled(staffed, make_event):
    event = make_event(staffed.n1)
    booking = actions.book(by=staffed.users["clinician"], event=event)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(hours=1),
    )
    event.refresh_from_db()
    with pytest.raises(ValidationError, match="already started"):
        actions.cancel(by=staffed.users["clinician"], booking=booking)
    with pytest.raises(ValidationError, match="already started"):
        actions.book(by=None, event=event, staff=staffed.pharmacist)


def test_more_places_fill_from_the_waitlist(staffed, make_event):
    event = make_event(staffed.n1, capacity=1)
    actions.book(by=None, event=event, staff=staffed.nurse)
    waiting = actions.book(by=None, event=event, staff=staffed.pharmacist)
    with pytest.raises(ValidationError):
        actions.change_capacity(by=staffed.users["pcn_manager"], event=event, capacity=0)
    actions.change_capacity(by=staffed.users["pcn_manager"], event=event, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.BOOKED


def test_reminders_go_once_to_those_booked_with_the_ics(
    staffed, make_event, django_capture_on_commit_callbacks
):
    soon = make_event(staffed.n1, days=1)
    later = make_event(staffed.n1, days=5)
    actions.book(by=None, event=soon, staff=staffed.nurse)
    actions.book(by=None, event=later, staff=staffed.nurse)
    mail.outbox.clear()
    assert actions.send_reminders(timezone.now()) == 1
    [message] = mail.outbox
    assert message.subject.startswith("Reminder: ")
    assert message.attachments[0][0] == "event.ics"
    assert actions.send_reminders(timezone.now()) == 0


def test_the_reminder_task_and_command_send_reminders(staffed, make_event, capsys, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from openpcn.cli.main import main
    from openpcn.education.tasks import send_event_reminders

    soon = make_event(staffed.n1, days=1)
    actions.book(by=None, event=soon, staff=staffed.nurse)
    actions.book(by=None, event=soon, staff=staffed.pharmacist)
    mail.outbox.clear()
    assert main(["education", "remind", "--dry-run"]) == 0
    assert "Would send 2 reminders" in capsys.readouterr().out
    assert not mail.outbox
    result = send_event_reminders.enqueue(timezone.now().isoformat())
    assert result.return_value == 2
    assert len(mail.outbox) == 2


def test_pages_book_and_cancel(staffed, verified_client):
    client = verified_client("clinician")
    page = client.get(reverse("education:event", args=[staffed.event.pk]))
    assert b"Book a place" in page.content
    response = client.post(reverse("education:book", args=[staffed.event.pk]))
    assert response.status_code == 302
    booking = staffed.event.bookings.get()
    assert booking.staff == staffed.nurse
    assert AuditEvent.objects.filter(action="book_event", actor=staffed.users["clinician"])
    client.post(reverse("education:cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_events_outside_scope_are_not_found(staffed, make_event, verified_client):
    south = make_event(staffed.s1)
    client = verified_client("clinician")
    assert client.get(reverse("education:event", args=[south.pk])).status_code == 404
    assert client.post(reverse("education:book", args=[south.pk])).status_code == 404
    manager = verified_client("practice_manager")
    # A practice manager of P1 does not run N1's event (and has no staff record to book it).
    assert manager.get(reverse("education:register", args=[staffed.event.pk])).status_code == 404
    booking = actions.book(by=None, event=staffed.event, staff=staffed.pharmacist)
    assert client.post(reverse("education:cancel", args=[booking.pk])).status_code == 404
    assert client.get(reverse("education:certificate", args=[booking.pk])).status_code == 404


def test_the_create_page_needs_the_permission(staffed, verified_client):
    assert verified_client("clinician").get(reverse("education:event_new")).status_code == 403
    assert verified_client("clinician").get(reverse("education:report")).status_code == 403


def test_a_manager_creates_an_event_from_the_form(staffed, verified_client):
    client = verified_client("pcn_manager")
    day = timezone.localdate() + dt.timedelta(days=14)
    response = client.post(
        reverse("education:event_new"),
        {
            "organisation": staffed.n1.pk,
            "kind": "course",
            "title": "Spirometry update",
            "learning_outcomes": "Perform spirometry\nInterpret results",
            "venue": "N1 hub",
            "date": day.isoformat(),
            "start_time": "13:30",
            "end_time": "17:00",
            "cpd_hours": "3",
            "capacity": "12",
            "audience_roles": [JobRole.objects.get(code="practice-nurse").pk],
        },
    )
    event = Event.objects.get(title="Spirometry update")
    assert response.status_code == 302
    assert timezone.localtime(event.starts_at).hour == 13
    assert list(event.audience_roles.values_list("code", flat=True)) == ["practice-nurse"]
    bad = client.post(
        reverse("education:event_new"),
        {
            "organisation": staffed.n1.pk,
            "kind": "course",
            "title": "Too long",
            "learning_outcomes": "One",
            "venue": "N1 hub",
            "date": day.isoformat(),
            "start_time": "13:30",
            "end_time": "14:00",
            "cpd_hours": "3",
            "capacity": "12",
        },
    )
    assert bad.status_code == 200
    assert b"CPD hours cannot be more than the event lasts" in bad.content
    assert not Event.objects.filter(title="Too long").exists()


def test_resources_shows_the_cards_to_staff_and_organisers(staffed, verified_client):
    staff_page = verified_client("clinician").get(reverse("core:resources")).content.decode()
    assert "Education events" in staff_page and "My CPD log" in staff_page
    manager_page = verified_client("pcn_manager").get(reverse("core:resources")).content.decode()
    assert "Education events" in manager_page and "My CPD log" not in manager_page
    analyst_page = verified_client("alliance_analyst").get(reverse("core:resources")).content
    assert b"Education events" not in analyst_page
    assert verified_client("alliance_analyst").get(reverse("education:events")).status_code == 404


def test_an_organiser_cancels_a_booking_and_it_is_audited(staffed):
    booking = actions.book(by=None, event=staffed.event, staff=staffed.pharmacist)
    with pytest.raises(PermissionDenied):
        actions.cancel(by=staffed.users["clinician"], booking=booking)
    actions.cancel(by=staffed.users["pcn_manager"], booking=booking)
    cancelled = AuditEvent.objects.get(action="cancel_event_booking", object_id=str(booking.pk))
    assert cancelled.actor == staffed.users["pcn_manager"]
    assert cancelled.before["status"] == "booked" and cancelled.after["status"] == "cancelled"
    staffed.event.refresh_from_db()
    assert staffed.event.places_taken == 0
    again = actions.book(by=None, event=staffed.event, staff=staffed.pharmacist)
    assert again.pk != booking.pk and again.status == BookingStatus.BOOKED


def test_a_waiting_person_sees_their_place_in_the_queue(staffed, make_event, verified_client):
    event = make_event(staffed.n1, capacity=1)
    actions.book(by=None, event=event, staff=staffed.pharmacist)
    client = verified_client("clinician")
    client.post(reverse("education:book", args=[event.pk]))
    page = client.get(reverse("education:event", args=[event.pk])).content.decode()
    assert "You are number 1 on the waitlist" in page
    assert "Leave the waitlist" in page


def test_creating_an_event_queues_its_reminders_for_the_day_before(
    staffed, make_event, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from openpcn.education.tasks import remind_event

    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(staffed.n1, days=4)
    queued = DBTaskResult.objects.get(task_path__endswith="remind_event")
    assert queued.run_after == event.starts_at - dt.timedelta(hours=24)
    assert queued.args_kwargs["args"] == [event.pk]
    actions.book(by=None, event=event, staff=staffed.nurse, email=False)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() + dt.timedelta(hours=20),
        ends_at=timezone.now() + dt.timedelta(hours=22),
    )
    assert remind_event.call(event.pk) == 1
    assert mail.outbox[-1].subject == f"Reminder: {event.title}"
