"""Finance officers posting the same PCN's month at once: exactly one payment run and one journal
land, the others are told it is already posted. PostgreSQL only: the guarantee is its row lock
and the partial unique index."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from openpcn.finance import actions
from openpcn.finance.models import PaymentRun
from openpcn.ledger import queries
from openpcn.ledger.models import Journal
from tests.integration.finance.test_finance_distribution import _agree, _snapshots

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_racing_payment_runs_post_a_month_once(universe) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL; run with DATABASE_URL")
    _snapshots(universe)
    _agree(universe)
    officer = universe.users["finance_officer"]
    outcomes: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def post() -> None:
        barrier.wait()
        try:
            actions.post_payment_run(by=officer, network=universe.n1, month=dt.date(2024, 4, 1))
            result = "posted"
        except ValidationError as error:
            result = "already" if "already been posted" in str(error) else str(error)
        except BaseException as error:  # surfaced by the assertion below
            with lock:
                failures.append(error)
            return
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=post) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert sorted(outcomes) == ["already"] * (THREADS - 1) + ["posted"]
    assert PaymentRun.objects.count() == 1 and Journal.objects.count() == 1
    assert queries.trial_balance().difference == 0
