from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import organisations_for
from openpcn.organisations import queries
from openpcn.organisations.models import Organisation, OrganisationKind


@login_required
def board(request: HttpRequest) -> HttpResponse:
    visible = organisations_for(request.user, Permission.BOARD_VIEW)
    # A PCN or practice role that may see the board sees its own alliance's board.
    alliance_ids = {o.pk if o.kind == OrganisationKind.ALLIANCE else o.alliance_id for o in visible}
    alliances = list(Organisation.objects.filter(pk__in=alliance_ids - {None}).order_by("name"))
    if not alliances:
        raise Http404("No board to show")
    boards = [(alliance, list(queries.board_of(alliance))) for alliance in alliances]
    return render(request, "organisations/board.jinja", {"boards": boards})
