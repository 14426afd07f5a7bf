from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import organisations_for
from openpcn.organisations import queries
from openpcn.organisations.models import OrganisationKind


@login_required
def board(request: HttpRequest) -> HttpResponse:
    visible = organisations_for(request.user, Permission.BOARD_VIEW)
    alliances = [o for o in visible if o.kind == OrganisationKind.ALLIANCE]
    if not alliances:
        raise Http404("No board to show")
    boards = [(alliance, list(queries.board_of(alliance))) for alliance in alliances]
    return render(request, "organisations/board.jinja", {"boards": boards})
