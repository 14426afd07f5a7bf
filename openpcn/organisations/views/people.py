from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.organisations.models import RoleTitle
from openpcn.organisations.queries import people_in


@login_required
def people(request: HttpRequest) -> HttpResponse:
    scope = covered_organisation_ids(request.user, Permission.PEOPLE_VIEW)
    if not scope:
        raise Http404("No people to show")
    title = request.GET.get("role", "")
    holdings = people_in(scope)
    if title:
        holdings = holdings.filter(title=title)
    return render(
        request,
        "organisations/people.jinja",
        {
            "holdings": holdings,
            "titles": RoleTitle.choices,
            "selected": title,
            "count": holdings.count(),
        },
    )
