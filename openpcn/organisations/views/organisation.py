"""One organisation's page: its place in the tree, sites, population, people and history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import get_organisation_or_404, has_permission
from openpcn.organisations import queries
from openpcn.organisations.models import OrganisationKind, PopulationSnapshot


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_organisation_or_404(request.user, Permission.ORGANISATION_VIEW, pk=pk)
    user = request.user
    context: dict[str, object] = {
        "organisation": organisation,
        "sites": organisation.sites.filter(is_active=True),
        "can_see_people": has_permission(user, Permission.PEOPLE_VIEW, organisation=organisation),
        "can_see_population": has_permission(
            user, Permission.POPULATION_VIEW, organisation=organisation
        ),
    }
    if organisation.kind == OrganisationKind.PRACTICE:
        network = queries.current_network(organisation)
        context.update(
            network=network,
            history=queries.network_history(organisation),
            snapshots=PopulationSnapshot.objects.filter(practice=organisation).prefetch_related(
                "bands"
            )[:12],
            can_move=network is not None
            and has_permission(user, Permission.NETWORK_MEMBERSHIP_MANAGE, organisation=network),
            people=queries.people_in([organisation.pk]),
        )
    elif organisation.kind == OrganisationKind.NETWORK:
        practices = queries.practices_of(organisation)
        sizes = queries.latest_snapshots([p.pk for p in practices])
        context.update(
            practices=[(p, sizes.get(p.pk)) for p in practices],
            total=sum(s.registered for s in sizes.values()),
            clinical_director=queries.clinical_director(organisation),
            people=queries.people_in([organisation.pk]),
        )
    else:
        context.update(people=queries.people_in([organisation.pk]))
    return render(request, "organisations/detail.jinja", context)
