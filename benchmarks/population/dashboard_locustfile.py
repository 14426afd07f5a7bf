"""Locust users for the population dashboard load benchmark (driven by dashboard_load.py).

Each simulated user signs in through the real sign-in form (GET /accounts/sign-in/ for the CSRF
token, POST username, password and token) as one of the demo logins, then browses only the
dashboards of organisations that role may see:

- board / analyst (alliance roles): the alliance, any PCN and any practice (others' figures
  disclosure-controlled);
- clinical.director / pcn.manager: their PCN and its practices;
- practice.manager: their own practice (unrounded figures).

Pages: the catalogue, an organisation's overview, the hypertension register indicator (HYP_REG),
another indicator chosen at random, and Core20PLUS5. Only the HTML page is fetched (no static
files, no vega rendering: that happens in the browser). Any answer but 200 is an error.

The plan (logins, organisations, indicator ids) is a JSON file written by dashboard_load.py, named
by the DASHBOARD_PLAN environment variable. Two ways to run it:

    # what dashboard_load.py does: headless, library API, raw timings to a JSON file
    .venv/bin/python benchmarks/population/dashboard_locustfile.py --host http://127.0.0.1:18766 \
        --plan plan.json --users 20 --warmup 15 --duration 60 --out results.json

    # or by hand with Locust's own CLI / web UI against a server already running
    DASHBOARD_PLAN=plan.json .venv/bin/locust -f benchmarks/population/dashboard_locustfile.py \
        --host http://127.0.0.1:18766
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import sys
import time
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, constant, events, task
from locust.env import Environment

PASSWORD = "openpcn-demo-2026"  # noqa: S105 - the demo's published password (synthetic data)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# As behind the TLS-terminating proxy of a deployment: with production settings Django trusts this
# header (SECURE_PROXY_SSL_HEADER), so secure cookies and CSRF's referer check apply as in
# production; the client's cookie policy sends secure cookies over plain http on loopback.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


class LoopbackTlsPolicy(DefaultCookiePolicy):
    """Send Secure cookies to the loopback server, which stands behind a (notional) TLS proxy."""

    def return_ok_secure(self, cookie: Any, request: Any) -> bool:
        return True


PLAN: dict[str, Any] = {}


def load_plan(path: str | None) -> None:
    if path:
        PLAN.clear()
        PLAN.update(json.loads(Path(path).read_text()))


load_plan(os.environ.get("DASHBOARD_PLAN"))


class DashboardUser(FastHttpUser):
    """A signed-in viewer; subclasses say which logins they use and which organisations they see."""

    abstract = True
    logins: tuple[str, ...] = ()
    wait_time = between(1, 3)  # replaced from the command line by dashboard_load.py
    _next_login: Any = None

    def on_start(self) -> None:
        cls = type(self)
        if cls._next_login is None:
            cls._next_login = itertools.cycle(cls.logins)
        self.username = next(cls._next_login)
        self.scope = PLAN["scopes"][self.username]
        self.client.cookiejar.set_policy(LoopbackTlsPolicy())
        self.sign_in()

    def sign_in(self) -> None:
        with self.client.get(
            "/accounts/sign-in/", name="sign-in (form)", headers=PROXY_HEADERS, catch_response=True
        ) as response:
            match = CSRF.search(response.text or "")
            if response.status_code != 200 or match is None:
                response.failure(
                    f"sign-in form: {response.status_code}, token found: {bool(match)}"
                )
                return
        with self.client.post(
            "/accounts/sign-in/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": match.group(1),
                "next": "",
            },
            name="sign-in (post)",
            headers={**PROXY_HEADERS, "Referer": f"https://{self.host.split('://', 1)[1]}/"},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in (post) as {self.username}: {response.status_code}")

    def page(self, path: str, name: str) -> None:
        with self.client.get(
            path, name=name, headers=PROXY_HEADERS, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{name} as {self.username}: {response.status_code}")

    def organisation(self, weights: dict[str, int]) -> dict[str, Any]:
        kinds = [k for k in weights if self.scope.get(k)]
        kind = random.choices(kinds, weights=[weights[k] for k in kinds])[0]
        return random.choice(self.scope[kind])

    def org_weights(self) -> dict[str, int]:
        return {"alliance": 1, "PCN": 1, "practice": 1}

    @task(1)
    def catalogue(self) -> None:
        self.page("/population/", "catalogue")

    @task(2)
    def overview(self) -> None:
        org = self.organisation(self.org_weights())
        self.page(f"/population/organisations/{org['pk']}/", f"overview ({org['kind']})")

    @task(4)
    def hypertension(self) -> None:
        org = self.organisation(self.org_weights())
        self.page(
            f"/population/organisations/{org['pk']}/indicators/HYP_REG/",
            f"HYP_REG ({org['kind']})",
        )

    @task(3)
    def other_indicator(self) -> None:
        org = self.organisation(self.org_weights())
        indicator = random.choice(PLAN["other_indicators"])
        self.page(
            f"/population/organisations/{org['pk']}/indicators/{indicator}/",
            f"other indicator ({org['kind']})",
        )

    @task(1)
    def core20plus5(self) -> None:
        org = self.organisation(self.org_weights())
        self.page(
            f"/population/organisations/{org['pk']}/core20plus5/",
            f"Core20PLUS5 ({org['kind']})",
        )


class AllianceViewer(DashboardUser):
    weight = 2
    logins = ("board", "analyst")


class PcnViewer(DashboardUser):
    weight = 2
    logins = ("clinical.director", "pcn.manager")


class PracticeViewer(DashboardUser):
    weight = 1
    logins = ("practice.manager",)


USER_CLASSES: list[type[DashboardUser]] = [AllianceViewer, PcnViewer, PracticeViewer]


def cpu_seconds(server_group: int | None) -> dict[str, float]:
    """CPU time so far (user + system, in core-seconds) of the server's processes (its process
    group), and of the whole machine (busy: everything but idle and I/O wait)."""
    tick = os.sysconf("SC_CLK_TCK")
    totals = {"server": 0.0, "machine_busy": 0.0}
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    jiffies = [int(x) for x in fields[:8]]  # user nice system idle iowait irq softirq steal
    totals["machine_busy"] = (sum(jiffies) - jiffies[3] - jiffies[4]) / tick
    if server_group is None:
        return totals
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parts = stat.rsplit(")", 1)[1].split()
        if int(parts[2]) == server_group:  # process group
            totals["server"] += (int(parts[11]) + int(parts[12])) / tick  # utime, stime
    return totals


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Spawn the users, warm up, record every request for `duration` seconds, stop."""
    import gevent

    load_plan(args.plan)
    for cls in USER_CLASSES:
        cls.wait_time = (
            constant(0) if args.think_max <= 0 else between(args.think_min, args.think_max)
        )
    environment = Environment(user_classes=list(USER_CLASSES), host=args.host, events=events)
    runner = environment.create_local_runner()
    state = {"recording": False}
    records: list[tuple[str, float, str | None]] = []
    warmup: list[tuple[str, float, str | None]] = []

    def on_request(name: str, response_time: float, exception: Exception | None, **_: Any) -> None:
        row = (name, response_time, None if exception is None else str(exception)[:300])
        (records if state["recording"] else warmup).append(row)

    environment.events.request.add_listener(on_request)
    runner.start(args.users, spawn_rate=args.spawn_rate)
    gevent.sleep(args.warmup)
    environment.stats.reset_all()
    load_start = os.getloadavg()
    cpu_start = cpu_seconds(args.server_group)
    state["recording"] = True
    started = time.time()
    load_samples = []
    deadline = started + args.duration
    while time.time() < deadline:
        gevent.sleep(min(5.0, max(0.0, deadline - time.time())))
        load_samples.append(os.getloadavg()[0])
    state["recording"] = False
    wall = time.time() - started
    load_end = os.getloadavg()
    cpu_end = cpu_seconds(args.server_group)
    users = runner.user_count
    runner.quit()
    return {
        "host": args.host,
        "users": users,
        "think": [args.think_min, args.think_max],
        "warmup_seconds": args.warmup,
        "duration_seconds": wall,
        "load_average_start": load_start,
        "load_average_end": load_end,
        "load_average_1min_samples": load_samples,
        "cpu_seconds": {k: cpu_end[k] - cpu_start[k] for k in cpu_end},
        "records": records,
        "warmup_records": warmup,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--plan", required=True)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=15)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--think-min", type=float, default=1.0)
    parser.add_argument("--think-max", type=float, default=3.0)
    parser.add_argument("--out", required=True)
    parser.add_argument("--server-group", type=int, default=None, help="server's process group")
    args = parser.parse_args(argv)
    result = run(args)
    Path(args.out).write_text(json.dumps(result))
    print(
        f"{len(result['records'])} requests recorded in {result['duration_seconds']:.0f} s "
        f"({sum(1 for r in result['records'] if r[2])} errors)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
