"""WSGI entry point for production servers."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpcn.config.settings")
application = get_wsgi_application()
# Import every view now, as each server process starts, not in its first request: a process busy
# importing (about a second) while others accept would start with a short share of the clients.
get_resolver().url_patterns  # noqa: B018 - the property's side effect (the import) is the point
