"""Many staff booking the last places of one event at once: exactly capacity booked, the rest on
the waitlist in order, and one cancellation moves exactly one person up.

The guarantee is PostgreSQL's row lock on the event plus the check constraint on places taken, so
this test runs on PostgreSQL with real threads.
"""

import threading

import pytest
from django.db import connection, connections

from openpcn.accounts import actions as accounts
from openpcn.education import actions
from openpcn.education.models import Booking, BookingStatus, Event
from tests.universe import PASSWORD, START

BOOKERS = 16
PLACES = 5


@pytest.mark.django_db(transaction=True)
def test_more_bookers_than_places_at_once(universe, make_staff, make_event):
    if connection.vendor != "postgresql":
        pytest.skip(
            "the capacity guarantee is enforced by PostgreSQL row locks; run with DATABASE_URL"
        )
    event = make_event(universe.n1, capacity=PLACES)
    users = []
    for n in range(BOOKERS):
        staff = make_staff(
            universe,
            given=f"Booker{n}",
            family="Clinician",
            home=universe.p1,
            employer=universe.p1,
            role="practice-nurse",
        )
        user = accounts.create_user(
            by=None, username=f"booker{n}", password=PASSWORD, person=staff.person
        )
        accounts.grant_membership(
            by=None, user=user, organisation=universe.p1, role="clinician", start_date=START
        )
        users.append(user)

    outcomes: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(BOOKERS)

    def booker(user):
        barrier.wait()
        try:
            booking = actions.book(by=user, event=event)
            with lock:
                outcomes.append(booking.status)
        except BaseException as error:  # noqa: BLE001 - reported below
            with lock:
                failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=booker, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
    assert outcomes.count(BookingStatus.BOOKED) == PLACES
    assert outcomes.count(BookingStatus.WAITLISTED) == BOOKERS - PLACES
    event.refresh_from_db()
    assert event.places_taken == PLACES
    assert Booking.objects.filter(event=event, status=BookingStatus.BOOKED).count() == PLACES

    # Two people cancel at once: each freed place goes to exactly one person, first come first.
    queue = list(
        Booking.objects.filter(event=event, status=BookingStatus.WAITLISTED).order_by(
            "queued_at", "pk"
        )
    )
    leaving = list(Booking.objects.filter(event=event, status=BookingStatus.BOOKED)[:2])
    promoted: list[int] = []
    barrier = threading.Barrier(len(leaving))

    def canceller(booking):
        barrier.wait()
        try:
            moved = actions.cancel(by=None, booking=booking)
            with lock:
                promoted.append(moved.pk if moved else 0)
        except BaseException as error:  # noqa: BLE001 - reported below
            with lock:
                failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=canceller, args=(b,)) for b in leaving]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
    assert sorted(promoted) == sorted(b.pk for b in queue[:2])
    event = Event.objects.get(pk=event.pk)
    assert event.places_taken == PLACES
    assert Booking.objects.filter(event=event, status=BookingStatus.BOOKED).count() == PLACES
    assert (
        Booking.objects.filter(event=event, status=BookingStatus.WAITLISTED).count()
        == BOOKERS - PLACES - 2
    )
