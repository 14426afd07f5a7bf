"""Extracts and refreshes: uploading a GP extract, its provenance, and recomputing indicators.

Alliance roles that see the figures (ANALYTICS_VIEW) see the extracts and refreshes of their
alliance; ANALYTICS_RUN holders upload and refresh. Validating and refreshing run as background
tasks: the pages poll a progress fragment with htmx until the task has finished. Uploaded files
stream to disk (Django's TemporaryFileUploadHandler above FILE_UPLOAD_MAX_MEMORY_SIZE) and are
copied into the private data directory by `actions.upload_extract`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids, has_permission
from openpcn.organisations.models import Organisation, OrganisationKind
from openpcn.population import actions
from openpcn.population.engine import schema
from openpcn.population.forms import ExtractForm, RefreshForm
from openpcn.population.models import IndicatorRefresh, JobStatus, PopulationExtract

EXTRACTS_SHOWN = 20


def _expected_files() -> list[tuple[str, str]]:
    """Each file the upload page asks for, with its columns (optional ones marked)."""
    return [
        (
            table.name,
            ", ".join(c.name + ("" if c.required else " (optional)") for c in table.columns),
        )
        for table in (*schema.EXTRACT_TABLES, schema.DEPRIVATION)
    ]


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _alliances(user: object, permission: Permission) -> list[Organisation]:
    ids = covered_organisation_ids(user, permission)  # type: ignore[arg-type]
    return list(Organisation.objects.filter(kind=OrganisationKind.ALLIANCE, pk__in=ids))


def _visible_alliance_ids(user: object) -> set[int]:
    """Alliances whose extracts the user may see: figures viewers and runners at the alliance."""
    return {
        a.pk
        for permission in (Permission.ANALYTICS_VIEW, Permission.ANALYTICS_RUN)
        for a in _alliances(user, permission)
    }


def _can_run(user: object, alliance: Organisation) -> bool:
    return has_permission(user, Permission.ANALYTICS_RUN, organisation=alliance)  # type: ignore[arg-type]


def get_extract_or_404(user: object, pk: int) -> PopulationExtract:
    extract = (
        PopulationExtract.objects.select_related("alliance", "uploaded_by").filter(pk=pk).first()
    )
    if extract is None or extract.alliance_id not in _visible_alliance_ids(user):
        raise Http404("No such extract")
    return extract


def get_refresh_or_404(user: object, pk: int) -> IndicatorRefresh:
    refresh = (
        IndicatorRefresh.objects.select_related("alliance", "extract", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if refresh is None or refresh.alliance_id not in _visible_alliance_ids(user):
        raise Http404("No such refresh")
    return refresh


@login_required
def extract_list(request: HttpRequest) -> HttpResponse:
    alliance_ids = _visible_alliance_ids(request.user)
    if not alliance_ids:
        raise Http404("No extracts to show")
    extracts = list(
        PopulationExtract.objects.filter(alliance_id__in=alliance_ids).select_related(
            "alliance", "uploaded_by"
        )[:EXTRACTS_SHOWN]
    )
    refreshes: dict[int, list[IndicatorRefresh]] = {e.pk: [] for e in extracts}
    for refresh in IndicatorRefresh.objects.filter(extract__in=extracts).select_related(
        "requested_by"
    ):
        refreshes[refresh.extract_id].append(refresh)
    runnable = {a.pk for a in _alliances(request.user, Permission.ANALYTICS_RUN)}
    return render(
        request,
        "population/extracts.jinja",
        {
            "extracts": extracts,
            "refreshes": refreshes,
            "runnable": runnable,
            "several_alliances": len(alliance_ids) > 1,
            "JobStatus": JobStatus,
        },
    )


@login_required
def extract_new(request: HttpRequest) -> HttpResponse:
    alliances = _alliances(request.user, Permission.ANALYTICS_RUN)
    if not alliances:
        raise Http404("You cannot upload extracts")
    form = ExtractForm(request.POST or None, request.FILES or None, alliances=alliances)
    if request.method == "POST" and form.is_valid():
        uploads = request.FILES.getlist("files")
        try:
            extract = actions.upload_extract(
                by=request.user,
                alliance=form.cleaned_data["alliance"],
                file_format=form.cleaned_data["file_format"],
                files=[(f.name or "", f) for f in uploads],
            )
        except ValidationError as error:
            form.add_error("files", error_text(error))
        except PermissionDenied as error:
            raise Http404("You cannot upload extracts here") from error
        else:
            messages.success(
                request,
                "The files are uploaded. Every row is being checked: this page shows the progress.",
            )
            return redirect("population:extract", extract.pk)
    return render(
        request,
        "population/extract_new.jinja",
        {"form": form, "several_alliances": len(alliances) > 1, "tables": _expected_files()},
    )


@login_required
def extract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    extract = get_extract_or_404(request.user, pk)
    return render(
        request,
        "population/extract_detail.jinja",
        {
            "extract": extract,
            "refreshes": IndicatorRefresh.objects.filter(extract=extract).select_related(
                "requested_by"
            ),
            "can_run": _can_run(request.user, extract.alliance),
            "polling": extract.is_running,
            "JobStatus": JobStatus,
        },
    )


def _progress_response(
    request: HttpRequest, template: str, context: dict[str, object]
) -> HttpResponse:
    job = context["job"]
    response = render(request, template, {**context, "polling": True})
    if not job.is_running and getattr(request, "htmx", False):  # type: ignore[attr-defined]
        # Finished: reload the whole page so the result (or the problem) appears.
        response["HX-Refresh"] = "true"
    return response


@login_required
def extract_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment that the extract page polls while the files are being checked."""
    extract = get_extract_or_404(request.user, pk)
    return _progress_response(
        request, "population/_extract_progress.jinja", {"extract": extract, "job": extract}
    )


@login_required
def refresh_new(request: HttpRequest, pk: int) -> HttpResponse:
    extract = get_extract_or_404(request.user, pk)
    if not _can_run(request.user, extract.alliance):
        raise Http404("You cannot refresh indicators")
    if extract.status != JobStatus.DONE:
        messages.error(request, "Only a loaded extract can be used to refresh the indicators.")
        return redirect("population:extract", extract.pk)
    form = RefreshForm(
        request.POST or None, default_as_of=extract.latest_event_date or dt.date.today()
    )
    if request.method == "POST" and form.is_valid():
        try:
            refresh = actions.request_refresh(by=request.user, extract=extract, **form.cleaned_data)
        except ValidationError as error:
            # After the form's own checks, what is left is about the date (e.g. long before the
            # extract): link the error to that field.
            form.add_error("as_of", error_text(error))
        except PermissionDenied as error:
            raise Http404("You cannot refresh indicators") from error
        else:
            messages.success(
                request, "The indicators are being counted again: this page shows the progress."
            )
            return redirect("population:refresh", refresh.pk)
    return render(request, "population/refresh_new.jinja", {"form": form, "extract": extract})


@dataclass(frozen=True)
class PracticeShared:
    code: str
    name: str
    with_pcn: bool
    with_alliance: bool


def shared_practices(refresh: IndicatorRefresh) -> list[PracticeShared]:
    """Each practice in the refresh's extract and whether its data went into wider figures."""
    codes = set(refresh.extract.practice_codes) | set(refresh.shared_with_pcn)
    codes |= set(refresh.shared_with_alliance)
    names = dict(
        Organisation.objects.filter(kind=OrganisationKind.PRACTICE, ods_code__in=codes).values_list(
            "ods_code", "name"
        )
    )
    rows = [
        PracticeShared(
            code,
            names.get(code) or code,
            code in refresh.shared_with_pcn,
            code in refresh.shared_with_alliance,
        )
        for code in codes
    ]
    return sorted(rows, key=lambda r: (r.name, r.code))


@login_required
def refresh_detail(request: HttpRequest, pk: int) -> HttpResponse:
    refresh = get_refresh_or_404(request.user, pk)
    done = refresh.status == JobStatus.DONE
    return render(
        request,
        "population/refresh_detail.jinja",
        {
            "refresh": refresh,
            "practices": shared_practices(refresh) if done else [],
            "figure_count": refresh.figures.count() if done else 0,
            "can_run": _can_run(request.user, refresh.alliance),
            "polling": refresh.is_running,
            "JobStatus": JobStatus,
        },
    )


@login_required
def refresh_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment that the refresh page polls while indicators are counted."""
    refresh = get_refresh_or_404(request.user, pk)
    return _progress_response(
        request, "population/_refresh_progress.jinja", {"refresh": refresh, "job": refresh}
    )
