"""Load benchmark: the population dashboards under 20 concurrent users, on PostgreSQL, with Locust.

Run by hand (not in CI; needs the bench extra: `.venv/bin/pip install -e '.[bench]'`):

    .venv/bin/python benchmarks/population/dashboard_load.py              # full demo, 60 s
    .venv/bin/python benchmarks/population/dashboard_load.py --patients 20000 --months 6 \
        --duration 20                                                   # a quick check

Steps:
1. Drop and create a scratch database (`openpcn_dashboard_bench`) on the local PostgreSQL
   (127.0.0.1:5432, user postgres, trust auth), migrate, and load the demo (`load_demo`) with
   its population (`load_demo(population_patients=…)`, i.e. `openpcn.demo.population`: agreements, the
   synthetic extract for every patient on the demo's lists — 390,000 — imported through the
   platform, and a 24-month indicator refresh). `--reuse-database` skips all this when a previous
   run left the database in place (e.g. to re-measure after a change to the dashboards).
2. Start `openpcn serve --processes P` (gunicorn, P processes of 8 threads, DEBUG off) on
   127.0.0.1:18766, with production settings by default (persistent database connections; the
   client plays the TLS proxy with X-Forwarded-Proto), or `--settings development`; the dashboard
   cache is per process unless `--cache-url redis://…` shares one.
3. Run Locust headless from `dashboard_locustfile.py` in a subprocess (its library API): U users
   (default 20) sign in through the real sign-in form as demo logins and browse the dashboards their
   role may see, with a think time (default 1-3 s, uniform; `--think 0` for none, a closed loop);
   a warm-up (default 30 s: spawning, sign-ins, first requests) is not recorded, then every
   request is timed for `--duration` seconds (default 60).
4. Stop the server, print a summary per page type (p50, p95, p99, max, requests/s, errors), the
   overall p95, the load average, the server's and the machine's CPU time during the run, the
   commit and the machine, and write it as JSON (`--out`).
5. Time each page type in-process (Django test client, same database, DEBUG off; SQL count and
   time), then profile the slowest page under load and HYP_REG for the alliance, with the
   dashboard cache warm and cold: SQL by statement shape, cProfile's costs grouped by package and
   by the page's own steps (`--no-profile` to skip, `--profile-only` for this alone).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import io
import json
import os
import platform
import pstats
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_NAME = "openpcn_dashboard_bench"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
LOCUSTFILE = Path(__file__).with_name("dashboard_locustfile.py")
LOGINS = ("board", "analyst", "clinical.director", "pcn.manager", "practice.manager")
KIND_LABELS = {"alliance": "alliance", "network": "PCN", "practice": "practice"}
SIGN_IN_PAGES = ("sign-in (form)", "sign-in (post)")


def log(message: str) -> None:
    print(f"[{dt.datetime.now(dt.UTC):%H:%M:%S}] {message}", flush=True)


def setup_django(data_dir: Path) -> None:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["OPENPCN_DATA_DIR"] = str(data_dir)
    os.environ["DEBUG"] = "0"  # as in the server: no query log, no template debug
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpcn.config.settings")
    import django

    django.setup()


def create_database() -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def database_exists() -> bool:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)).fetchone()
    return row is not None


def prepare(patients: int | None, months: int) -> dict[str, float]:
    """Migrate, load the demo and its population; returns seconds per stage."""
    from django.core.management import call_command

    from openpcn.demo import load as demo_load

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seconds["migrate"] = time.perf_counter() - started

    started = time.perf_counter()
    last = {"stage": ""}

    def progress(stage: str, _step: int) -> None:
        if stage != last["stage"]:
            last["stage"] = stage
            log(f"  demo: {stage}")

    import inspect

    options: dict[str, Any] = {"progress": progress}
    if "population_patients" in inspect.signature(demo_load.load_demo).parameters:
        # The demo's own path (as `openpcn demo`): None = every patient on the demo's lists.
        options |= {"population_patients": patients, "population_months": months}
    demo_load.load_demo(**options)
    seconds["demo and population"] = time.perf_counter() - started

    from openpcn.population.models import IndicatorRefresh, JobStatus

    if not IndicatorRefresh.objects.filter(status=JobStatus.DONE).exists():
        from openpcn.demo.population import build_population
        from openpcn.organisations.models import Alliance

        alliance = Alliance.objects.get(is_synthetic=True)
        started = time.perf_counter()
        result = build_population(alliance, patients=patients, months=months, progress=progress)
        seconds["population"] = time.perf_counter() - started
        log(f"  population: {result.patients:,} patients, stages {result.seconds}")
    return seconds


def plan() -> dict[str, Any]:
    """Which organisations each demo login may see, and the indicators to browse."""
    from openpcn.accounts.models import User
    from openpcn.accounts.permissions import Permission
    from openpcn.accounts.scope import covered_organisation_ids
    from openpcn.organisations.models import Organisation
    from openpcn.population.engine.indicators import INDICATORS
    from openpcn.population.models import IndicatorRefresh, JobStatus

    refresh = IndicatorRefresh.objects.filter(status=JobStatus.DONE).latest("finished_at")
    scopes: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for username in LOGINS:
        user = User.objects.get(username=username)
        ids = covered_organisation_ids(user, Permission.ANALYTICS_VIEW)
        scope: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for org in Organisation.objects.filter(pk__in=ids).order_by("name"):
            if org.kind in KIND_LABELS:
                label = KIND_LABELS[org.kind]
                scope[label].append({"pk": org.pk, "kind": label, "name": org.name})
        scopes[username] = dict(scope)
    return {
        "scopes": scopes,
        "other_indicators": [i.id for i in INDICATORS if i.id != "HYP_REG"],
        "refresh": {
            "id": refresh.pk,
            "as_of": refresh.as_of.isoformat(),
            "months": refresh.months,
        },
    }


def code_version() -> str:
    """The commit measured, and whether the application's files differ from it."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--", "openpcn", "templates"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    changed = [line[3:] for line in changed if line.strip()]
    return head + (f" with uncommitted changes to {', '.join(changed)}" if changed else "")


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GB"
    import psycopg

    with psycopg.connect(ADMIN_URL) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "memory": memory,
        "python": platform.python_version(),
        "postgresql": row[0] if row else "",
    }


def start_server(
    port: int, processes: int, data_dir: Path, mode: str, cache_url: str
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "OPENPCN_DATA_DIR": str(data_dir),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
    }
    if cache_url:
        env["CACHE_URL"] = cache_url  # one dashboard cache shared by the server's processes
    if mode == "production":
        # A deployment's settings: persistent database connections (60 s), secure cookies, HSTS;
        # TLS is "terminated" by the client's X-Forwarded-Proto header (no redirect to https).
        env |= {
            "OPENPCN_ENV": "production",
            "SECRET_KEY": "dashboard-benchmark-scratch-key-not-a-secret-0123456789",
            "SECURE_SSL_REDIRECT": "0",
            "OPENPCN_DEMO_BANNER": "1",
        }
    server_log = open(Path(tempfile.gettempdir()) / "openpcn-dashboard-bench-server.log", "w")  # noqa: SIM115
    command = [sys.executable, "-m", "openpcn.cli.main", "serve", "--no-worker"]
    command += ["--port", str(port), "--processes", str(processes)]
    server = subprocess.Popen(
        command, env=env, stdout=server_log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{base}/accounts/sign-in/", timeout=2)  # noqa: S310 - loopback
            return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(
                    f"the server stopped (exit {server.returncode}); see its log"
                ) from None
            time.sleep(0.2)
    stop_server(server)
    raise RuntimeError("the server did not answer within 30 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of unsorted values."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n q / 100), at least 1
    return ordered[int(rank) - 1]


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    duration = result["duration_seconds"]
    by_page: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    messages: dict[str, int] = defaultdict(int)
    for name, ms, error in result["records"]:
        by_page[name].append(ms)
        if error:
            errors[name] += 1
            messages[error] += 1

    def row(values: list[float], name: str) -> dict[str, Any]:
        return {
            "page": name,
            "requests": len(values),
            "per_second": len(values) / duration,
            "p50": percentile(values, 50),
            "p95": percentile(values, 95),
            "p99": percentile(values, 99),
            "max": max(values),
            "mean": statistics.fmean(values),
            "errors": errors.get(name, 0),
        }

    for _name, _, error in result["warmup_records"]:
        if error:
            messages[f"warm-up: {error}"] += 1
    pages = [row(by_page[name], name) for name in sorted(by_page) if name not in SIGN_IN_PAGES]
    dashboard = [ms for name, ms, _ in result["records"] if name not in SIGN_IN_PAGES]
    errors["all dashboard pages"] = sum(errors.values())
    sign_in = [ms for name, ms, _ in result["warmup_records"] if name == "sign-in (post)"]
    return {
        "pages": pages,
        "overall": row(dashboard, "all dashboard pages") if dashboard else None,
        "errors": errors["all dashboard pages"],
        "error_messages": dict(messages),
        "sign_in_post": row(sign_in, "sign-in (post), warm-up") if sign_in else None,
    }


def print_summary(report: dict[str, Any]) -> None:
    run, summary = report["run"], report["summary"]
    print()
    print(
        f"{run['users']} users, think time {run['think']} s, {run['duration_seconds']:.0f} s "
        f"recorded after a {run['warmup_seconds']:.0f} s warm-up; server: {report['processes']} "
        f"gunicorn processes x 8 threads, {report['settings']} settings, dashboard cache "
        f"{report.get('cache', 'per-process memory')}"
    )
    print("| page | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    rows = [*summary["pages"], summary["overall"]]
    for r in rows:
        if r is None:
            continue
        print(
            f"| {r['page']} | {r['requests']} | {r['per_second']:.1f} | {r['p50']:.0f} | "
            f"{r['p95']:.0f} | {r['p99']:.0f} | {r['max']:.0f} | {r['errors']} |"
        )
    if summary["sign_in_post"]:
        s = summary["sign_in_post"]
        print(f"sign-in POST during warm-up: {s['requests']}, p50 {s['p50']:.0f} ms")
    overall = summary["overall"]
    if overall:
        verdict = "met" if overall["p95"] < 300 and summary["errors"] == 0 else "NOT met"
        print(
            f"overall p95 {overall['p95']:.0f} ms, {overall['per_second']:.1f} requests/s, "
            f"{summary['errors']} errors: target p95 < 300 ms {verdict}"
        )
    cpu = run.get("cpu_seconds", {})
    if cpu and overall:
        count = overall["requests"]
        duration = run["duration_seconds"]
        print(
            f"CPU during the run: the server (gunicorn) {cpu['server']:.1f} core-s = "
            f"{1000 * cpu['server'] / count:.0f} ms a request; the whole machine busy "
            f"{cpu['machine_busy']:.1f} of {duration * (os.cpu_count() or 1):.0f} core-s "
            f"(everything else, PostgreSQL, Locust and other users' jobs: "
            f"{cpu['machine_busy'] - cpu['server']:.1f})"
        )
    if summary["error_messages"]:
        print(f"errors: {summary['error_messages']}")
    samples = run["load_average_1min_samples"]
    print(
        f"load average at start {run['load_average_start']}, at end {run['load_average_end']}; "
        f"1-min samples during the run {min(samples):.1f}-{max(samples):.1f}"
    )
    print(f"code: {report['code']}")
    m = report["machine"]
    print(
        f"machine: nproc {m['nproc']}, {m['cpu']}, {m['memory']}, Python {m['python']}, "
        f"PostgreSQL {m['postgresql']}"
    )


# Profile ------------------------------------------------------------------------------------------


def profile_pages(
    plan_: dict[str, Any], summary: dict[str, Any], out: Path, mode: str
) -> dict[str, Any]:
    """Each page type once in-process (SQL count and time); cProfile the slowest one."""
    from django.db import connection
    from django.test import Client

    if mode == "production":
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = 60  # persistent, as production settings

    from openpcn.accounts.models import User

    def url(page: str, org: dict[str, Any]) -> str:
        base = f"/population/organisations/{org['pk']}/"
        if page.startswith("overview"):
            return base
        if page.startswith("HYP_REG"):
            return f"{base}indicators/HYP_REG/"
        if page.startswith("other indicator"):
            return f"{base}indicators/{plan_['other_indicators'][0]}/"
        return f"{base}core20plus5/"

    targets: list[tuple[str, str, str]] = [("catalogue", "board", "/population/")]
    for username, kind in (("board", "alliance"), ("clinical.director", "PCN")):
        org = plan_["scopes"][username][kind][0]
        for page in ("overview", "HYP_REG", "other indicator", "Core20PLUS5"):
            targets.append((f"{page} ({kind})", username, url(page, org)))
    practice = plan_["scopes"]["practice.manager"]["practice"][0]
    for page in ("overview", "HYP_REG", "other indicator", "Core20PLUS5"):
        targets.append((f"{page} (practice)", "practice.manager", url(page, practice)))

    clients: dict[str, Client] = {}
    sql = {"count": 0, "seconds": 0.0}

    def timer(execute: Any, query: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            sql["count"] += 1
            sql["seconds"] += time.perf_counter() - started

    measured = []
    for name, username, path in targets:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        client = clients[username]
        client.get(path)  # first request: imports, caches
        runs = []
        for _ in range(3):
            sql.update(count=0, seconds=0.0)
            with connection.execute_wrapper(timer):
                started = time.perf_counter()
                response = client.get(path)
                wall = time.perf_counter() - started
            assert response.status_code == 200, (path, response.status_code)
            runs.append((wall, sql["count"], sql["seconds"], len(response.content)))
        wall, count, seconds, size = sorted(runs)[1]  # the median run
        measured.append(
            {
                "page": name,
                "user": username,
                "path": path,
                "ms": wall * 1000,
                "queries": count,
                "sql_ms": seconds * 1000,
                "kb": size / 1024,
            }
        )
    print()
    print("In-process, one request (median of 3), no concurrency:")
    print("| page | as | ms | SQL queries | SQL ms | HTML KB |")
    print("|---|---|---:|---:|---:|---:|")
    for m in measured:
        print(
            f"| {m['page']} | {m['user']} | {m['ms']:.0f} | {m['queries']} | "
            f"{m['sql_ms']:.0f} | {m['kb']:.0f} |"
        )

    # The slowest page under load (by p95; in-process time breaks ties) and the alliance's
    # hypertension page are profiled.
    under_load = {p["page"]: p["p95"] for p in summary.get("pages", [])}
    slowest = max(measured, key=lambda m: (under_load.get(m["page"], 0), m["ms"]))
    chosen = [slowest] + [m for m in measured if m["page"] == "HYP_REG (alliance)" and m != slowest]
    text = io.StringIO()
    profiles = [profile_one(m, clients[m["user"]], text) for m in chosen]
    out.write_text(text.getvalue())
    print(f"Top functions (cumulative, then self time) written to {out}")
    return {"in_process": measured, "profiles": profiles}


INTERESTING = (
    "views/dashboards.py:indicator",
    "views/dashboards.py:organisation",
    "views/dashboards.py:catalogue",
    "views/dashboards.py:core20plus5",
    "population/dashboards.py:indicator_page",
    "population/dashboards.py:overview",
    "population/dashboards.py:core20plus5",
    "population/charts.py:funnel_plot",
    "population/charts.py:spc_chart",
    "population/charts.py:deciles_chart",
    "population/charts.py:breakdown_chart",
    "population/charts.py:_finish",
    "population/queries.py:view_for",
    "population/queries.py:series",
    "population/dashboards.py:_breakdown",
    "population/dashboards.py:_cache_key",
    "population/queries.py:visible_practices",
    "population/queries.py:covered",
    "jinja2/environment.py:render",
    "core/context.py:navigation",
    "bank/queries.py:bank_links",
    "accounts/scope.py:covered_organisation_ids",
    "accounts/scope.py:has_permission",
    "accounts/scope.py:active_memberships",
)
REQUESTS_PROFILED = 5


def profile_one(page: dict[str, Any], client: Any, text: io.StringIO) -> dict[str, Any]:
    """Profile a few requests of one page with the dashboard cache warm (the page was just
    computed) and cold (cache cleared before each request, as for the first viewer after a refresh
    in each server process): wall time, SQL statements grouped by shape, cProfile."""
    return {
        **page,
        "warm": profile_pass(page, client, text, cold=False),
        "cold": profile_pass(page, client, text, cold=True),
    }


def profile_pass(
    page: dict[str, Any], client: Any, text: io.StringIO, cold: bool
) -> dict[str, Any]:
    import re

    from django.core.cache import cache
    from django.db import connection

    n = REQUESTS_PROFILED
    shapes: dict[str, list[float]] = defaultdict(list)

    def timer(execute: Any, query: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            shape = re.sub(r"\s+", " ", re.sub(r"%s(, %s)*", "…", query))
            shapes[shape[:150]].append(time.perf_counter() - started)

    client.get(page["path"])
    walls = []
    with connection.execute_wrapper(timer):
        for _ in range(n):
            if cold:
                cache.clear()
            started = time.perf_counter()
            client.get(page["path"])
            walls.append(time.perf_counter() - started)
    queries = sorted(shapes.items(), key=lambda kv: -sum(kv[1]))
    profiler = cProfile.Profile()
    for _ in range(n):
        if cold:
            cache.clear()
        profiler.enable()
        client.get(page["path"])
        profiler.disable()
    stats = pstats.Stats(profiler, stream=text)
    total = stats.total_tt  # type: ignore[attr-defined]
    packages: dict[str, float] = defaultdict(float)
    steps: dict[str, float] = {}
    for (filename, _, function), (_, _, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        packages[package_of(filename)] += own
        key = f"{Path(filename).parent.name}/{Path(filename).name}:{function}"
        if key in INTERESTING:
            steps[key] = steps.get(key, 0.0) + cumulative
    label = "cache cold (cleared before each request)" if cold else "cache warm"
    sql_count = sum(len(v) for v in shapes.values()) / n
    sql_ms = 1000 * sum(sum(v) for v in shapes.values()) / n
    print()
    print(f"Profile: {page['page']} as {page['user']} ({page['path']}), {label}")
    print(
        f"  {n} requests without the profiler: median {1000 * statistics.median(walls):.0f} ms; "
        f"SQL {sql_count:.0f} statements, {sql_ms:.0f} ms a request. The costliest shapes:"
    )
    for shape, times in queries[:6]:
        print(f"    {len(times) / n:4.1f}x {1000 * sum(times) / n:6.1f} ms  {shape}")
    print(
        f"  Under cProfile: {1000 * total / n:.0f} ms a request (with the profiler's overhead). "
        "Self time by package:"
    )
    top = sorted(packages.items(), key=lambda kv: -kv[1])[:12]
    for name, seconds in top:
        print(f"    {name:<40} {1000 * seconds / n:7.1f} ms  {100 * seconds / total:5.1f}%")
    print("  Cumulative time of the page's steps (a request, under cProfile):")
    for key in INTERESTING:
        if key in steps:
            print(f"    {key:<45} {1000 * steps[key] / n:7.1f} ms")
    text.write(f"\n==== {page['page']} as {page['user']} ({page['path']}), {label} ====\n")
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)
    return {
        "median_ms": 1000 * statistics.median(walls),
        "sql_statements": sql_count,
        "sql_ms": sql_ms,
        "profiled_ms_per_request": 1000 * total / n,
        "sql": [
            {"shape": shape, "per_request": len(t) / n, "ms_per_request": 1000 * sum(t) / n}
            for shape, t in queries[:12]
        ],
        "packages_ms": {name: 1000 * seconds / n for name, seconds in top},
        "steps_ms": {k: 1000 * v / n for k, v in steps.items()},
    }


def package_of(filename: str) -> str:
    if "site-packages/" in filename:
        rest = filename.split("site-packages/", 1)[1]
        parts = rest.split("/")
        return "/".join(parts[:3]) if parts[0] in ("django",) else parts[0]
    if "/templates/" in filename:
        return "templates (compiled Jinja)"
    if "/openpcn/" in filename:
        rest = filename.split("/openpcn/", 1)[1]
        return "openpcn/" + "/".join(rest.split("/")[:-1] or [rest])
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins (C: json, re, …)"
    return "stdlib: " + Path(filename).stem


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=None, help="default: the demo's lists")
    parser.add_argument("--months", type=int, default=24, help="refresh's monthly history")
    parser.add_argument("--reuse-database", action="store_true", help="skip preparation")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60, help="seconds recorded")
    parser.add_argument("--warmup", type=float, default=30, help="seconds not recorded")
    parser.add_argument(
        "--think", default="1-3", help="think time between pages, seconds: 'MIN-MAX' or 0"
    )
    parser.add_argument("--port", type=int, default=18766)
    parser.add_argument("--processes", type=int, default=3, help="gunicorn processes")
    parser.add_argument(
        "--settings",
        choices=["production", "development"],
        default="production",
        help="server settings: production (persistent DB connections, as deployed) or development "
        "(a new DB connection per request, as `openpcn demo` runs)",
    )
    parser.add_argument(
        "--cache-url",
        default="",
        help="a Redis database for the dashboard cache shared by the server's processes (it is "
        "emptied first), e.g. redis://127.0.0.1:6379/15; default: each process's own memory",
    )
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument(
        "--profile-only", action="store_true", help="no load run: profile the pages in-process"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(tempfile.gettempdir()) / "openpcn-dashboard-bench.json",
    )
    args = parser.parse_args()
    think = [float(x) for x in args.think.split("-")] if args.think != "0" else [0.0, 0.0]
    data_dir = Path(tempfile.gettempdir()) / "openpcn-dashboard-bench-data"

    report: dict[str, Any] = {"started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    report["load_average_before_prepare"] = os.getloadavg()
    if args.reuse_database and database_exists():
        setup_django(data_dir)
        log("reusing the database")
    else:
        log(f"creating {DB_NAME}")
        create_database()
        setup_django(data_dir)
        report["prepare_seconds"] = prepare(args.patients, args.months)
        log(f"prepared: {report['prepare_seconds']}")
    plan_ = plan()
    report["plan"] = plan_
    report["machine"] = machine()
    report["processes"] = args.processes
    report["code"] = code_version()
    report["settings"] = args.settings
    report["cache"] = args.cache_url or "per-process memory (LocMemCache)"
    from openpcn.population.models import IndicatorFigure

    report["figures_rows"] = IndicatorFigure.objects.filter(
        refresh_id=plan_["refresh"]["id"]
    ).count()
    log(f"refresh {plan_['refresh']}, {report['figures_rows']:,} figure rows")
    from django.db import connections

    connections.close_all()

    if args.profile_only:
        report["profile"] = profile_pages(
            plan_, {}, args.out.with_suffix(".profile.txt"), args.settings
        )
        args.out.write_text(json.dumps(report, indent=1, default=str))
        return 0
    plan_path = Path(tempfile.gettempdir()) / "openpcn-dashboard-bench-plan.json"
    plan_path.write_text(json.dumps(plan_))
    results_path = Path(tempfile.gettempdir()) / "openpcn-dashboard-bench-locust.json"
    log(f"starting the server on 127.0.0.1:{args.port} ({args.processes} processes)")
    if args.cache_url:
        # Same refresh ids in every scratch database: the shared cache must start empty.
        import redis

        redis.Redis.from_url(args.cache_url).flushdb()
    server = start_server(args.port, args.processes, data_dir, args.settings, args.cache_url)
    try:
        log(
            f"locust: {args.users} users, warm-up {args.warmup:.0f} s, recording {args.duration:.0f} s"
        )
        subprocess.run(
            [
                sys.executable,
                str(LOCUSTFILE),
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--plan",
                str(plan_path),
                "--users",
                str(args.users),
                "--warmup",
                str(args.warmup),
                "--duration",
                str(args.duration),
                "--think-min",
                str(think[0]),
                "--think-max",
                str(think[-1]),
                "--out",
                str(results_path),
                "--server-group",
                str(server.pid),
            ],
            check=True,
            cwd=ROOT,
        )
    finally:
        stop_server(server)
    run = json.loads(results_path.read_text())
    report["run"] = {k: v for k, v in run.items() if k not in ("records", "warmup_records")}
    report["summary"] = summarise(run)
    print_summary(report)
    if not args.no_profile:
        report["profile"] = profile_pages(
            plan_, report["summary"], args.out.with_suffix(".profile.txt"), args.settings
        )
    args.out.write_text(json.dumps(report, indent=1, default=str))
    log(f"report written to {args.out}")
    return 0 if report["summary"]["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
