from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openpcn.organisations.queries import organisation_tree


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    roots = organisation_tree(request.user)
    return render(
        request,
        "organisations/tree.jinja",
        {"roots": roots, "practice_count": sum(r.practice_count for r in roots)},
    )
