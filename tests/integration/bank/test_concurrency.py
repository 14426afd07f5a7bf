"""Many staff claiming the same sessions at once: exactly one winner each, nobody booked twice.

The guarantees are PostgreSQL's (row locks, a unique key and an exclusion constraint), so this test
runs on PostgreSQL; the full-size version is benchmarks/bank/claim_load.py.
"""

import datetime as dt
import random
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from openpcn.accounts import actions as accounts
from openpcn.bank import actions
from openpcn.bank.models import Booking, CoverRequest
from openpcn.organisations import actions as registry
from openpcn.workforce import actions as workforce
from openpcn.workforce.models import JobRole, Skill
from tests.integration.bank.conftest import claim_by_token
from tests.universe import PASSWORD, START

CLAIMERS = 24
SESSIONS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_have_one_winner_per_session_and_no_double_booking(universe):
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency guarantees are enforced by PostgreSQL; run with DATABASE_URL")
    gp = Skill.objects.get(code="gp")
    site = registry.add_site(by=None, organisation=universe.p1, name="P1 Surgery", kind="main")
    starts = dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC)
    # All sessions at the same time: each person can win at most one of them.
    requests = [
        actions.post_cover_request(
            by=None,
            practice=universe.p1,
            site=site,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=4),
            skill=gp,
            rate=Decimal("300"),
        )
        for _ in range(SESSIONS)
    ]
    users = []
    for n in range(CLAIMERS):
        person = registry.add_person(
            by=None, organisation=universe.p1, given_name=f"Gp{n}", family_name="Claimer"
        )
        staff = workforce.add_staff_member(by=None, person=person, home_practice=universe.p1)
        workforce.add_contract(
            by=None,
            staff=staff,
            employer=universe.p1,
            job_role=JobRole.objects.get(code="salaried-gp"),
            hours_per_week=Decimal("20"),
            start_date=START,
            annual_salary=Decimal("40000"),
        )
        user = accounts.create_user(
            by=None, username=f"claimer{n}", password=PASSWORD, person=person
        )
        accounts.grant_membership(
            by=None, user=user, organisation=universe.p1, role="clinician", start_date=START
        )
        users.append(user)

    outcomes: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(CLAIMERS)

    def claimer(user, seed):
        order = [r.pk for r in requests]
        random.Random(seed).shuffle(order)
        barrier.wait()
        try:
            for request_id in order:
                try:
                    actions.claim_cover(
                        by=user,
                        request_id=request_id,
                        idempotency_key=f"{user.username}-{request_id}",
                    )
                    with lock:
                        outcomes.append("booked")
                except actions.ClaimRefused as refusal:
                    with lock:
                        outcomes.append(refusal.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claimer, args=(u, n)) for n, u in enumerate(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert outcomes.count("booked") == SESSIONS
    assert set(outcomes) <= {"booked", actions.ALREADY_FILLED, "double_booked"}
    assert Booking.objects.count() == SESSIONS
    assert all(r.bookings.count() == 1 for r in CoverRequest.objects.all())
    winners = list(Booking.objects.values_list("staff_id", flat=True))
    assert len(winners) == len(set(winners))  # nobody holds two overlapping sessions


@pytest.mark.django_db(transaction=True)
def test_api_claim_waits_for_a_claim_in_flight_then_gets_the_fast_answer(bank_world, post):
    """In a burst the others wait for the first claim's row lock in bank.middleware, not the API."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; run with DATABASE_URL")
    request = post()
    _, first = bank_world.claimers["own"]
    _, second = bank_world.claimers["pcn"]
    _, token = actions.create_api_token(by=second, name="test")
    holding = threading.Event()

    def claim_in_flight():
        try:
            # The winning claim's transaction stays open (and its row lock held) a moment.
            with transaction.atomic():
                actions.claim_cover(by=first, request_id=request.pk, idempotency_key="first-claim")
                holding.set()
                time.sleep(0.3)
        finally:
            connections.close_all()

    thread = threading.Thread(target=claim_in_flight)
    thread.start()
    assert holding.wait(10)
    with CaptureQueriesContext(connection) as queries:
        response = claim_by_token(token, request.pk, "second-claim")
    thread.join()
    assert response.status_code == 409
    assert response.json() == {"code": "already_filled", "detail": actions.FILLED_MESSAGE}
    # Looked open, waited for the lock, read again: the API and the action were never reached.
    run = [q["sql"][:80] for q in queries.captured_queries if not q["sql"].startswith("PREPARE")]
    assert len(run) == 3, run
    assert Booking.objects.get().staff == bank_world.claimers["own"][0]
