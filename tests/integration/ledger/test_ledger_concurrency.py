"""Several finance officers posting at once, balanced and unbalanced journals on shared accounts.

Every balanced journal lands, every unbalanced one is refused, and the trial balance is zero. The
guarantees under real concurrency are PostgreSQL's (its transactions and the balance trigger), so
this runs on PostgreSQL only.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from openpcn.ledger import actions, queries
from openpcn.ledger.models import Journal, Posting

THREADS = 8
JOURNALS_EACH = 15


@pytest.mark.django_db(transaction=True)
def test_concurrent_postings_all_land_and_the_trial_balance_is_zero(chart):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL; run with DATABASE_URL")
    officer = chart.universe.users["finance_officer"]
    north = [a for (org, _), a in chart.accounts.items() if org != "s1"]
    by_org: dict[int, list] = {}
    for account in north:
        by_org.setdefault(account.organisation_id, []).append(account)

    expected_journals = 0
    expected_postings = 0
    plans: list[list[tuple[bool, list]]] = []
    for seed in range(THREADS):
        rng = random.Random(seed)
        plan = []
        for _ in range(JOURNALS_EACH):
            accounts = by_org[rng.choice(sorted(by_org))]
            pence = rng.randint(1, 10_000_000)
            lines = [
                (rng.choice(accounts), Decimal(pence) / 100),
                (rng.choice(accounts), -Decimal(pence) / 100),
            ]
            balanced = rng.random() < 0.75
            if not balanced:
                lines.append((rng.choice(accounts), Decimal(rng.randint(1, 999)) / 100))
            else:
                expected_journals += 1
                expected_postings += len(lines)
            plan.append((balanced, lines))
        plans.append(plan)

    outcomes: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def poster(plan):
        barrier.wait()
        try:
            for balanced, lines in plan:
                try:
                    actions.post_journal(
                        by=officer, date=dt.date(2026, 6, 1), description="concurrent", lines=lines
                    )
                    result = "posted" if balanced else "WRONGLY POSTED"
                except ValidationError:
                    result = "refused" if not balanced else "WRONGLY REFUSED"
                with lock:
                    outcomes.append(result)
        except BaseException as error:  # surfaced by the assertion below
            with lock:
                failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=poster, args=(plan,)) for plan in plans]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
    assert set(outcomes) <= {"posted", "refused"}
    assert outcomes.count("posted") == expected_journals
    assert Journal.objects.count() == expected_journals
    assert Posting.objects.count() == expected_postings
    tb = queries.trial_balance()
    assert tb.difference == 0
    for org_id in by_org:
        assert queries.trial_balance([org_id]).difference == 0


@pytest.mark.django_db(transaction=True)
def test_racing_reversals_reverse_once(chart):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL; run with DATABASE_URL")
    officer = chart.universe.users["finance_officer"]
    journal = actions.post_journal(
        by=officer,
        date=dt.date(2026, 6, 1),
        description="to reverse",
        lines=[(chart[("n1", "1000")], Decimal("10")), (chart[("n1", "4000")], Decimal("-10"))],
    )
    outcomes: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(6)

    def reverser():
        barrier.wait()
        try:
            actions.reverse_journal(by=officer, journal=journal)
            result = "reversed"
        except ValidationError:
            result = "refused"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=reverser) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused"] * 5 + ["reversed"]
    assert Journal.objects.filter(reverses=journal).count() == 1
    assert queries.trial_balance().difference == 0
