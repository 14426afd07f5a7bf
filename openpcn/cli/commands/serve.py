"""`openpcn serve` and `openpcn worker`: the web app and the background task worker.

`serve` also starts a worker beside the web app when the task queue is the embedded database one,
so planning works with no other service running.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from typing import Any

from openpcn.cli.django_setup import setup_django


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("serve", help="serve the web app (and run a task worker)")
    add_serve_arguments(parser)
    parser.set_defaults(handler=handle)
    worker = subparsers.add_parser("worker", help="run the background task worker")
    worker.set_defaults(handler=handle_worker)


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument(
        "--no-worker", action="store_true", help="do not start a task worker beside the web app"
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=0,
        metavar="N",
        help="serve with gunicorn, N processes (production); default: Django's server",
    )
    parser.add_argument(
        "--threads", type=int, default=8, metavar="T", help="threads per gunicorn process"
    )


def start_worker() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "openpcn.cli.main", "worker"])


def run_worker() -> int:
    from django.conf import settings
    from django.core.management import call_command

    from openpcn.rostering.actions import requeue_stale_plans

    # Plans a previous worker was running when it died are queued again, so no job is lost.
    requeue_stale_plans()
    if settings.TASK_QUEUE == "redis":
        call_command("rqworker", "default")
    else:
        call_command("db_worker", "--queue-name", "default", "--no-reload")
    return 0


def serve(
    host: str, port: int, *, worker: bool = True, processes: int = 0, threads: int = 8
) -> int:
    from django.conf import settings
    from django.core.management import call_command

    process = start_worker() if worker and settings.TASK_QUEUE == "database" else None
    try:
        if processes:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "openpcn.config.wsgi",
                    "--bind",
                    f"{host}:{port}",
                    "--workers",
                    str(processes),
                    "--threads",
                    str(threads),
                    # API clients (the mobile app, the load test) reuse their connection.
                    "--keep-alive",
                    "5",
                    "--backlog",
                    "2048",
                ],
                check=True,
            )
        else:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
    return 0


def handle(args: argparse.Namespace) -> int:
    setup_django()
    return serve(
        args.host,
        args.port,
        worker=not args.no_worker,
        processes=args.processes,
        threads=args.threads,
    )


def handle_worker(args: argparse.Namespace) -> int:
    setup_django()
    return run_worker()
