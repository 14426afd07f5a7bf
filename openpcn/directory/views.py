"""Directory pages: search by need, term, text and distance; a printable list for a patient; an
entry's details; and, for DIRECTORY_MANAGE, editing, reviewing and importing ORUK feeds."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpcn.directory import actions, describe, oruk, queries
from openpcn.directory.forms import (
    ReviewedForm,
    ScheduleForm,
    SearchForm,
    ServiceForm,
    UploadForm,
)
from openpcn.directory.geo import postcode_point
from openpcn.directory.models import FeedImport, Service, TaxonomyTerm
from openpcn.organisations.models import Organisation

PRINT_LIMIT = 30


def _alliances_or_404(request: HttpRequest) -> list[Organisation]:
    alliances = queries.alliances_for(request.user)
    if not alliances:
        raise Http404("You have no role in an alliance")
    return alliances


def _run_search(request: HttpRequest) -> dict[str, Any]:
    _alliances_or_404(request)
    sites = list(queries.sites_for(request.user))
    form = SearchForm(
        request.GET or None,
        needs=queries.needs(),
        terms=TaxonomyTerm.objects.filter(parent_id__isnull=False).order_by("name"),
        sites=sites,
    )
    services = queries.services_for(request.user).exclude(status="defunct")
    matches: list[queries.Match] = []
    origin = ""
    searched = form.is_bound and form.is_valid()
    if searched:
        data = form.cleaned_data
        terms = []
        if data["need"]:
            terms = list(queries.with_descendants([uuid.UUID(data["need"])]))
        found = queries.filter_services(services, text=data["q"], term_ids=terms)
        if data["term"]:
            found = queries.filter_services(found, term_ids=[uuid.UUID(data["term"])])
        if data["age"] is not None:
            found = queries.eligible_at_age(found, data["age"])
        point = None
        if data["postcode"]:
            origin = data["postcode"]
            point = postcode_point(origin)
            if point is None:
                form.add_error("postcode", "That postcode is not in the directory's postcode table")
        elif data["site"]:
            site = next((s for s in sites if str(s.pk) == data["site"]), None)
            if site is not None:
                point = (float(site.latitude), float(site.longitude))
                origin = site.name
        within = float(data["within"]) * 1609.344 if data.get("within") and point else None
        if not form.errors:
            matches = queries.nearest(found, point, within)
    picks = set(request.GET.getlist("pick"))
    return {
        "form": form,
        "searched": searched and not form.errors,
        "matches": matches,
        "terms": queries.terms_of([m.service for m in matches]),
        "origin": origin,
        "picks": picks,
        "today": timezone.localdate(),
        "query": request.GET.urlencode(),
        "when": describe.schedule,
        "cost": describe.cost,
        "address": describe.address,
    }


@login_required
def search(request: HttpRequest) -> HttpResponse:
    context = _run_search(request)
    context["can_manage"] = any(
        actions.may_manage(request.user, a) for a in queries.alliances_for(request.user)
    )
    return render(request, "directory/search.jinja", context)


@login_required
def printable(request: HttpRequest) -> HttpResponse:
    """The list a link worker hands to a patient: names, what, where, when and how to contact."""
    context = _run_search(request)
    matches = context["matches"]
    if context["picks"]:
        matches = [m for m in matches if str(m.service.id) in context["picks"]]
    documents = {m.service.id: oruk.service_document(m.service) for m in matches[:PRINT_LIMIT]}
    context.update(matches=matches[:PRINT_LIMIT], documents=documents)
    return render(request, "directory/print.jinja", context)


@login_required
def service_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    service = queries.service_or_404(request.user, pk)
    return render(
        request,
        "directory/service.jinja",
        {
            "service": service,
            "document": oruk.service_document(service),
            "can_manage": actions.may_manage(request.user, service.provider.alliance),
            "today": timezone.localdate(),
            "reviewed_form": ReviewedForm(
                initial={"next_review": timezone.localdate() + dt.timedelta(days=365)}
            ),
            "schedule_form": ScheduleForm(),
            "when": describe.schedule,
            "cost": describe.cost,
            "address": describe.address,
        },
    )


def _manageable(request: HttpRequest, pk: uuid.UUID) -> Service:
    service = queries.service_or_404(request.user, pk)
    if not actions.may_manage(request.user, service.provider.alliance):
        raise PermissionDenied("You may not edit the directory")
    return service


@login_required
def service_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    service = _manageable(request, pk)
    all_terms = list(TaxonomyTerm.objects.order_by("name"))
    chosen = {str(t.id) for t in queries.terms_of([service]).get(service.id, [])}
    if request.method == "POST":
        form = ServiceForm(request.POST)
        chosen = set(request.POST.getlist("terms"))
        if form.is_valid():
            try:
                actions.update_service(
                    by=request.user,
                    service=service,
                    terms=[t for t in all_terms if str(t.id) in chosen],
                    **form.cleaned_data,
                )
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(request, f"Saved {service.name}")
                return redirect("directory:service", service.pk)
    else:
        form = ServiceForm(initial={name: getattr(service, name) for name in actions.EDITABLE})
    return render(
        request,
        "directory/edit.jinja",
        {"service": service, "form": form, "all_terms": all_terms, "chosen": chosen},
    )


@login_required
@require_POST
def service_reviewed(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    service = _manageable(request, pk)
    form = ReviewedForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the next review date")
        return redirect("directory:service", service.pk)
    try:
        actions.mark_reviewed(
            by=request.user, service=service, next_review=form.cleaned_data["next_review"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Recorded that {service.name} was reviewed today")
    return redirect("directory:service", service.pk)


@login_required
@require_POST
def schedule_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    service = _manageable(request, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the days and enter opening and closing times")
        return redirect("directory:service", service.pk)
    data = form.cleaned_data
    try:
        actions.add_schedule(
            by=request.user,
            service=service,
            byday=",".join(data["days"]),
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            description=data["description"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Added the opening time")
    return redirect("directory:service", service.pk)


def _managed_alliances(request: HttpRequest) -> list[Organisation]:
    alliances = [a for a in _alliances_or_404(request) if actions.may_manage(request.user, a)]
    if not alliances:
        raise PermissionDenied("You may not manage the directory")
    return alliances


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    alliances = _managed_alliances(request)
    today = timezone.localdate()
    services = list(
        Service.objects.filter(provider__alliance__in=alliances)
        .select_related("provider")
        .order_by("review_date", "name")
    )
    return render(
        request,
        "directory/manage.jinja",
        {
            "services": services,
            "overdue": [s for s in services if s.review_overdue(today)],
            "today": today,
            "form": UploadForm(),
            "alliances": alliances,
            "uploads": FeedImport.objects.filter(alliance__in=alliances)[:10],
        },
    )


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    alliances = _managed_alliances(request)
    chosen = request.POST.get("alliance", "")
    alliance = next((a for a in alliances if str(a.pk) == chosen), alliances[0])
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose an ORUK feed (a JSON file) to import")
        return redirect("directory:manage")
    feed = form.cleaned_data["feed"]
    try:
        uploaded = actions.upload_feed(
            by=request.user, alliance=alliance, name=feed.name, content=feed.read()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("directory:manage")
    return redirect("directory:upload_detail", uploaded.pk)


@login_required
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alliances = _managed_alliances(request)
    found = FeedImport.objects.filter(pk=pk, alliance__in=alliances).first()
    if found is None:
        raise Http404("No such import")
    return render(request, "directory/upload.jinja", {"upload": found})
