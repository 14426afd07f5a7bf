"""The bank's front page: the parts of the bank the signed-in user may use."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from openpcn.bank import queries
from openpcn.bank.views import render_bank


@login_required
def index(request: HttpRequest) -> HttpResponse:
    links = queries.bank_links(request.user)
    if not any(links.values()):
        raise Http404("You have no part in the staff bank")
    return render_bank(request, "bank/index.jinja", {"links": links})
