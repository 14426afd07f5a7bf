"""Load test: N concurrent claimers on M sessions through the JSON API, against PostgreSQL.

Run by hand (not in CI; a small version runs in CI as tests/integration/bank/test_concurrency.py):

    .venv/bin/python benchmarks/bank/claim_load.py --claimers 200 --sessions 50 --blind
    .venv/bin/python benchmarks/bank/claim_load.py --claimers 200 --sessions 50 [--ramp S --think S]

It creates a scratch database (`openpcn_claim_bench`) on the local PostgreSQL, loads staff, tokens
and sessions, starts `openpcn serve` (production settings) on loopback, and releases the claimers
together, each on its own keep-alive connection from one asyncio loop. With --blind each claimer
claims every session in its own order until it wins (every request a claim: the claim path's worst
case); without it each behaves as the app does: read the offers, claim one, re-read after a refusal.
It then checks exactly M winners, no one booked twice at once, no error other than "already filled"
(or "already booked at that time"), and reports p50/p95/max latency of claims and of offers reads,
and of the claims by when they were sent (the first half-second is the burst).
"""

from __future__ import annotations

import argparse
import asyncio
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
import time
import urllib.request
from pathlib import Path
from typing import Any

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


class Connection:
    """One claimer's keep-alive HTTP/1.1 connection: asyncio, so the client's own CPU stays small."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, Any]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        data = json.dumps(body).encode() if body is not None else b""
        head = (
            f"{method} /api/v1{path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\n\r\n"
        )
        self.writer.write(head.encode() + data)
        status_line = await self.reader.readline()
        if not status_line:  # the server closed an idle connection: reconnect and resend
            self.writer = None
            return await self.request(method, path, body)
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            payload = b""
            while size := int((await self.reader.readline()).strip(), 16):
                payload += await self.reader.readexactly(size)
                await self.reader.readline()
            await self.reader.readline()
        else:
            payload = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.writer.close()
            self.writer = None
        return int(status_line.split()[1]), json.loads(payload or b"null")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def run_claimers(args: argparse.Namespace, data: dict[str, list]) -> dict[str, list]:
    """Release every claimer at once; return the claim and offers-read timings and outcomes."""
    timings: dict[str, list] = {"claims": [], "offers": []}
    start = asyncio.Event()
    ready: list[int] = []

    async def claimer(n: int) -> None:
        connection = Connection(args.port, data["tokens"][n])
        rng = random.Random(n)
        blind = list(data["sessions"])
        rng.shuffle(blind)
        # Warm up as a running server is: connections open, every server thread has read the database.
        await connection.request("GET", "/bookings")
        ready.append(n)
        await start.wait()
        # People open the app over the first seconds after the offer goes out (0 = all at once).
        await asyncio.sleep(rng.uniform(0, args.ramp))
        try:
            while True:
                if args.blind:
                    if not blind:
                        return
                    session_id = blind.pop()
                else:
                    # As the app does: read what is still open, claim one, and re-read after a refusal.
                    began = time.perf_counter()
                    status, offers = await connection.request("GET", "/offers")
                    timings["offers"].append(time.perf_counter() - began)
                    if status != 200 or not offers:
                        return
                    session_id = rng.choice(offers)["id"]
                    # The moment a person takes to read the list and tap Claim (0 = a script).
                    await asyncio.sleep(rng.uniform(0, args.think))
                began = time.perf_counter()
                status, payload = await connection.request(
                    "POST",
                    f"/offers/{session_id}/claim",
                    {"idempotency_key": f"load-{n}-{session_id}"},
                )
                timings["claims"].append((status, payload, time.perf_counter() - began, began))
                if status == 201:
                    return  # one session each is enough for the test's purpose
        finally:
            connection.close()

    tasks = [asyncio.create_task(claimer(n)) for n in range(args.claimers)]
    while len(ready) < args.claimers:  # every claimer is waiting at the start line
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    start.set()
    await asyncio.gather(*tasks)
    return timings


def percentiles(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    if not ordered:
        return "none"
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (
        f"p50 {1000 * statistics.median(ordered):.0f} ms, p95 {1000 * p95:.0f} ms, "
        f"max {1000 * ordered[-1]:.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claimers", type=int, default=200)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--port", type=int, default=18765)
    # 6 x 4 did best on two cores (docs/benchmarks/bank-claims.md): threads wait on locks and the
    # database, but more of them only queue for the interpreter lock.
    parser.add_argument("--processes", type=int, default=6, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument(
        "--ramp",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="claimers start at random moments over this many seconds (0: all at once)",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="each claimer takes up to this long (uniformly) between reading offers and claiming",
    )
    parser.add_argument(
        "--blind",
        action="store_true",
        help="worst case: each claimer tries every session in its own order, never re-reading offers",
    )
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
    command += ["--threads", str(args.threads)]
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
        started = time.perf_counter()
        timings = asyncio.run(run_claimers(args, data))
        wall = time.perf_counter() - started
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    from openpcn.bank.models import Booking

    results = timings["claims"]
    codes: dict[str, int] = {}
    for status, payload, *_ in results:
        code = "booked" if status == 201 else (payload or {}).get("code", str(status))
        codes[code] = codes.get(code, 0) + 1
    winners = list(Booking.objects.values_list("staff_id", "starts_at"))
    per_session = Booking.objects.values_list("cover_request_id", flat=True)
    mode = (
        "blind retries"
        if args.blind
        else f"re-reading offers after a refusal, thinking up to {args.think:g} s"
    ) + (f", starting over {args.ramp:g} s" if args.ramp else ", all starting at once")
    print(
        f"claimers {args.claimers}, sessions {args.sessions}, {mode}, gunicorn "
        f"{args.processes}x{args.threads}; claims sent {len(results)}, offers reads "
        f"{len(timings['offers'])}, wall {wall:.1f} s"
    )
    print(f"outcomes {codes}")
    print(
        f"winners {len(winners)}; sessions with exactly one booking "
        f"{len(set(per_session))}; duplicate person-times {len(winners) - len(set(winners))}"
    )
    print(f"claim latency {percentiles([r[2] for r in results])}")
    first = min(r[3] for r in results)
    for lo, hi in ((0, 0.5), (0.5, 1), (1, 2), (2, 4), (4, None)):
        window = [r[2] for r in results if lo <= r[3] - first and (hi is None or r[3] - first < hi)]
        sent = f"{lo}-{hi} s" if hi is not None else f"after {lo} s"
        print(f"  sent {sent}: {len(window)} claims, {percentiles(window)}")
    print(f"offers latency {percentiles(timings['offers'])}")
    ok = len(winners) == args.sessions and set(codes) <= {
        "booked",
        "already_filled",
        "double_booked",
    }
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
