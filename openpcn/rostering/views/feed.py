"""The private calendar feed: no sign-in, the token in the address is the secret."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from openpcn.rostering import calendar, queries


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = queries.feed_by_token(token)
    if feed is None:
        raise Http404("No such calendar")
    response = HttpResponse(calendar.feed(feed.staff), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rota.ics"'
    # The address is a secret: keep it out of shared caches.
    response["Cache-Control"] = "private, max-age=900"
    return response
