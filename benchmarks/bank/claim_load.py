"""Load test: N concurrent claimers on M sessions through the JSON API, against PostgreSQL.

Run by hand (not in CI; a small version runs in CI as tests/integration/bank/test_concurrency.py):

    .venv/bin/python benchmarks/bank/claim_load.py --claimers 200 --sessions 50

It creates a scratch database (`openpcn_claim_bench`) on the local PostgreSQL, loads staff, tokens
and sessions, starts `openpcn serve` on loopback, fires the claims from threads, then checks: exactly
M winners, no one booked twice at once, no error other than "already filled" (or "already booked at
that time"), and reports p50/p95/max claim latency.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = "openpcn_claim_bench"
LOAD_PASSWORD = "load-test-password-2026"  # noqa: S105 - scratch accounts in a scratch database


def prepare(claimers: int, sessions: int, database_url: str) -> dict[str, list]:
    import psycopg

    with psycopg.connect(
        ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True
    ) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpcn.config.settings")
    import django

    django.setup()
    from decimal import Decimal

    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from openpcn.accounts import actions as accounts
    from openpcn.bank import actions as bank
    from openpcn.organisations import actions as registry
    from openpcn.workforce import actions as workforce
    from openpcn.workforce.models import JobRole, Skill

    call_command("migrate", verbosity=0)
    start = dt.date(2026, 1, 1)
    alliance = registry.create_alliance(by=None, name="Load Test Alliance")
    practice = registry.create_practice(
        by=None, alliance=alliance, name="Load Surgery", ods_code="LOAD01"
    )
    site = registry.add_site(by=None, organisation=practice, name="Load Surgery", kind="main")
    gp = Skill.objects.get(code="gp")
    role = JobRole.objects.get(code="salaried-gp")
    first = dt.datetime(2031, 1, 6, 9, 0, tzinfo=dt.UTC)
    session_ids = [
        bank.post_cover_request(
            by=None,
            practice=practice,
            site=site,
            starts_at=first + dt.timedelta(days=i),
            ends_at=first + dt.timedelta(days=i, hours=4),
            skill=gp,
            rate=Decimal("300"),
        ).pk
        for i in range(sessions)
    ]
    tokens = []
    for n in range(claimers):
        person = registry.add_person(
            by=None, organisation=practice, given_name=f"Gp{n}", family_name="Load"
        )
        staff = workforce.add_staff_member(by=None, person=person, home_practice=practice)
        workforce.add_contract(
            by=None,
            staff=staff,
            employer=practice,
            job_role=role,
            hours_per_week=Decimal("20"),
            start_date=start,
            annual_salary=Decimal("40000"),
        )
        user = accounts.create_user(
            by=None, username=f"load{n}", password=LOAD_PASSWORD, person=person
        )
        accounts.grant_membership(
            by=None, user=user, organisation=practice, role="clinician", start_date=start
        )
        tokens.append(bank.create_api_token(by=user, name="load")[1])
    return {"sessions": session_ids, "tokens": tokens}


def claim(base: str, token: str, session_id: int, key: str) -> tuple[int, str, float]:
    body = json.dumps({"idempotency_key": key}).encode()
    request = urllib.request.Request(  # noqa: S310 - plain http on loopback
        f"{base}/api/v1/offers/{session_id}/claim",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            status, payload = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read().decode()
    return status, payload, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claimers", type=int, default=200)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--processes", type=int, default=3, help="gunicorn processes")
    args = parser.parse_args()
    database_url = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
    data = prepare(args.claimers, args.sessions, database_url)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        # As deployed: production settings (persistent database connections), plain http on loopback.
        "OPENPCN_ENV": "production",
        "SECRET_KEY": "claim-load-benchmark-scratch-key-" + "x" * 32,
        "SECURE_SSL_REDIRECT": "0",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
        "AXES_ENABLED": "0",
    }
    server_log = open(Path(tempfile.gettempdir()) / "openpcn-claim-bench-server.log", "w")  # noqa: SIM115
    command = [sys.executable, "-m", "openpcn.cli.main", "serve", "--no-worker"]
    command += ["--port", str(args.port), "--processes", str(args.processes)]
    server = subprocess.Popen(
        command,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # so the server and its gunicorn processes stop together
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        results: list[tuple[int, str, float]] = []
        lock = threading.Lock()
        barrier = threading.Barrier(args.claimers)

        def claimer(n: int) -> None:
            order = list(data["sessions"])
            random.Random(n).shuffle(order)
            barrier.wait()
            for session_id in order:
                status, payload, seconds = claim(
                    base, data["tokens"][n], session_id, f"load-{n}-{session_id}"
                )
                with lock:
                    results.append((status, payload, seconds))
                if status == 201:
                    return  # one session each is enough for the test's purpose

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.claimers) as pool:
            list(pool.map(claimer, range(args.claimers)))
        wall = time.perf_counter() - started
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    from openpcn.bank.models import Booking

    latencies = sorted(r[2] for r in results)
    codes: dict[str, int] = {}
    for status, payload, _ in results:
        code = "booked" if status == 201 else json.loads(payload).get("code", str(status))
        codes[code] = codes.get(code, 0) + 1
    winners = list(Booking.objects.values_list("staff_id", "starts_at"))
    per_session = Booking.objects.values_list("cover_request_id", flat=True)
    print(
        f"claimers {args.claimers}, sessions {args.sessions}, claims sent {len(results)}, "
        f"wall {wall:.1f} s"
    )
    print(f"outcomes {codes}")
    print(
        f"winners {len(winners)}; sessions with exactly one booking "
        f"{len(set(per_session))}; duplicate person-times {len(winners) - len(set(winners))}"
    )
    print(
        f"latency p50 {1000 * statistics.median(latencies):.0f} ms, "
        f"p95 {1000 * latencies[int(0.95 * (len(latencies) - 1))]:.0f} ms, "
        f"max {1000 * latencies[-1]:.0f} ms"
    )
    ok = len(winners) == args.sessions and set(codes) <= {
        "booked",
        "already_filled",
        "double_booked",
    }
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
