"""Take the README screenshot: the organisation tree as the alliance admin sees it.

    .venv/bin/python -m tests.functional.screenshot [OUTPUT]

Builds the demo alliance in a throwaway SQLite database, serves it on a free local port, signs in
as `admin` through the sign-in and two-factor pages, and saves /organisations/ in a 1280×900
Chromium window to OUTPUT (default docs/screenshot-organisations.png). Not a test.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO_ROOT / "docs" / "screenshot-organisations.png"
VIEWPORT = {"width": 1280, "height": 900}


def main(output: Path = DEFAULT_OUTPUT) -> None:
    with tempfile.TemporaryDirectory(prefix="openpcn-screenshot-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/demo.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpcn.config.settings")
        # Playwright's sync API keeps an event loop in this thread; the ORM is used between steps.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

        import django

        django.setup()

        from django.contrib.staticfiles.handlers import StaticFilesHandler
        from django.core.management import call_command
        from django.db import connections
        from django.test.testcases import LiveServerThread
        from playwright.sync_api import sync_playwright

        from openpcn.demo.load import load_demo
        from tests.functional.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in

        call_command("migrate", verbosity=0)
        load_demo()
        server = LiveServerThread("127.0.0.1", static_handler=StaticFilesHandler, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
                context = browser.new_context(
                    base_url=f"http://{server.host}:{server.port}", viewport=VIEWPORT
                )
                page = context.new_page()
                sign_in(page, "admin")
                page.goto("/organisations/")
                page.get_by_role("heading", level=1, name="Organisations").wait_for()
                output.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(output))
                context.close()
                browser.close()
        finally:
            server.terminate()
            connections.close_all()
    print(f"Saved {output}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT)
