"""Population dashboards: the indicator catalogue, an organisation's overview, one indicator in
depth (comparison, funnel plot, SPC, deciles, deprivation and ethnicity), and Core20PLUS5."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from openpcn.accounts.permissions import Permission
from openpcn.organisations.models import Organisation
from openpcn.population import access, dashboards, queries
from openpcn.population.engine.indicators import INDICATORS


def _worklist_practices(request: HttpRequest) -> list[Organisation]:
    ids = access.practices_staffed(request.user, Permission.WORKLIST_VIEW)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    organisations = queries.viewable_organisations(request.user)
    worklists = _worklist_practices(request)
    if not organisations and not worklists:
        raise Http404("No population dashboards to show")
    return render(
        request,
        "population/catalogue.jinja",
        {
            "indicators": INDICATORS,
            "organisations": organisations,
            "worklists": worklists,
            "targets": queries.TARGETS,
            "can_run": access.may_run_analytics(request.user),
            "can_share": access.may_manage_sharing(request.user),
        },
    )


def _context(request: HttpRequest, org: int) -> tuple[queries.View | None, Organisation, bool]:
    """The organisation's view (None before a refresh or when it is not shared with this viewer)."""
    view = queries.view_for(request.user, org)
    not_shared = view is not None and not view.shared_with_viewer
    if not_shared:
        view = None
    organisation = (
        view.organisation if view is not None else Organisation.objects.get(pk=org).as_kind()
    )
    return view, organisation, not_shared


@login_required
def organisation(request: HttpRequest, org: int) -> HttpResponse:
    view, organisation_, not_shared = _context(request, org)
    return render(
        request,
        "population/organisation.jinja",
        {
            "organisation": organisation_,
            "view": view,
            "not_shared": not_shared,
            "summaries": dashboards.overview(view) if view is not None else [],
            "worklist": organisation_.pk in {p.pk for p in _worklist_practices(request)},
        },
    )


@login_required
def indicator(request: HttpRequest, org: int, indicator: str) -> HttpResponse:
    chosen = queries.get_indicator_or_404(indicator)
    view, organisation_, not_shared = _context(request, org)
    return render(
        request,
        "population/indicator.jinja",
        {
            "organisation": organisation_,
            "view": view,
            "not_shared": not_shared,
            "page": dashboards.indicator_page(view, chosen) if view is not None else None,
            "indicator": chosen,
        },
    )


@login_required
def core20plus5(request: HttpRequest, org: int) -> HttpResponse:
    view, organisation_, not_shared = _context(request, org)
    return render(
        request,
        "population/core20plus5.jinja",
        {
            "organisation": organisation_,
            "view": view,
            "not_shared": not_shared,
            "summary": dashboards.core20plus5(view) if view is not None else None,
        },
    )
