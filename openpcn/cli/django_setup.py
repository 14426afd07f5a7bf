"""Start Django for the commands that need the platform (the engines' commands do not)."""

from __future__ import annotations

import os


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpcn.config.settings")
    import django

    django.setup()
