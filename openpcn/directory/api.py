"""The published Open Referral UK API (read-only, open to all: no sign-in, no key).

Endpoints, parameters and the page envelope follow the ORUK 3.0 OpenAPI file; every response
carries `Access-Control-Allow-Origin: *` as the UK compliance rules require. The whole
installation's directory is published under one base URL, /directory/api/.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse

from openpcn.directory import oruk, queries
from openpcn.directory.geo import haversine_m, postcode_point
from openpcn.directory.models import Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500


class BadParameter(Exception):
    pass


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "*"
    return response


def endpoint(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """An open JSON endpoint: CORS on every answer, a 400 naming a bad parameter, JSON 404s."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            return _cors(HttpResponse(status=204))
        if request.method not in ("GET", "HEAD"):
            return _cors(JsonResponse({"error": "Only GET is served"}, status=405))
        try:
            body = view(request, *args, **kwargs)
        except BadParameter as error:
            return _cors(JsonResponse({"error": str(error)}, status=400))
        if body is None:
            return _cors(JsonResponse({"error": "Not found"}, status=404))
        return _cors(JsonResponse(body, json_dumps_params={"ensure_ascii": False}))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _integer(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a whole number, not {raw!r}") from None
    if value < 1:
        raise BadParameter(f"{name} must be 1 or more")
    return value


def _number(request: HttpRequest, name: str) -> float | None:
    raw = request.GET.get(name, "")
    if raw == "":
        return None
    try:
        return float(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a number, not {raw!r}") from None


def _uuid(request: HttpRequest, name: str) -> uuid.UUID | None:
    raw = request.GET.get(name, "")
    if raw == "":
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a UUID, not {raw!r}") from None


def _time(request: HttpRequest, name: str) -> dt.time | None:
    raw = request.GET.get(name, "")
    if raw == "":
        return None
    try:
        return dt.time.fromisoformat(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a time (HH:MM or HH:MM:SS), not {raw!r}") from None


def page(
    request: HttpRequest, items: list[Any] | QuerySet[Any], write: Callable[[Any], Any]
) -> dict[str, Any]:
    """ORUK's page envelope around one page of `items`."""
    number = _integer(request, "page", 1)
    per_page = min(_integer(request, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    total = len(items) if isinstance(items, list) else items.count()
    pages = math.ceil(total / per_page)
    start = (number - 1) * per_page
    contents = [write(item) for item in items[start : start + per_page]]
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number >= pages,
        "empty": not contents,
        "contents": contents,
    }


def _services(request: HttpRequest) -> QuerySet[Service]:
    term = _uuid(request, "taxonomy_term_id")
    return queries.filter_services(
        Service.objects.select_related("provider").order_by("name", "id"),
        text=request.GET.get("search", ""),
        term_ids=[term] if term else [],
        taxonomy_id=_uuid(request, "taxonomy_id"),
        minimum_age=_number(request, "minimum_age"),
        maximum_age=_number(request, "maximum_age"),
        day=request.GET.get("day", ""),
        start_time=_time(request, "start_time"),
        end_time=_time(request, "end_time"),
    )


@endpoint
def root(request: HttpRequest) -> dict[str, Any]:
    """GET / : this API's HSDS version, profile and OpenAPI file."""
    return oruk.meta()


@endpoint
def services(request: HttpRequest) -> dict[str, Any]:
    return page(request, _services(request), oruk.service_summary)


@endpoint
def service(request: HttpRequest, pk: uuid.UUID) -> dict[str, Any] | None:
    found = Service.objects.filter(pk=pk).first()
    return oruk.service_document(found) if found else None


@endpoint
def service_at_locations(request: HttpRequest) -> dict[str, Any]:
    links = ServiceAtLocation.objects.filter(service__in=_services(request)).select_related(
        "location", "service", "service__provider"
    )
    postcode = request.GET.get("postcode", "")
    proximity = _number(request, "proximity")
    if postcode:
        point = postcode_point(postcode)
        if point is None:
            raise BadParameter(f"postcode {postcode!r} is not in this directory's postcode table")
        # Nearest first; without a proximity, every located service_at_location is listed.
        measured = sorted(
            (
                (haversine_m(point[0], point[1], s.location.latitude, s.location.longitude), s)
                for s in links
                if s.location.latitude is not None and s.location.longitude is not None
            ),
            key=lambda pair: (pair[0], str(pair[1].id)),
        )
        ordered = [s for d, s in measured if proximity is None or d <= proximity]
        return page(request, ordered, oruk.service_at_location_summary)
    if proximity is not None:
        raise BadParameter("proximity needs a postcode")
    return page(
        request, links.order_by("service__name", "position", "id"), oruk.service_at_location_summary
    )


@endpoint
def service_at_location(request: HttpRequest, pk: uuid.UUID) -> dict[str, Any] | None:
    found = ServiceAtLocation.objects.filter(pk=pk).first()
    return oruk.service_at_location_document(found) if found else None


@endpoint
def taxonomies(request: HttpRequest) -> dict[str, Any]:
    return page(request, Taxonomy.objects.order_by("name", "id"), _taxonomy)


def _taxonomy(item: Taxonomy) -> dict[str, Any]:
    return oruk.taxonomy(
        item, terms=TaxonomyTerm.objects.filter(taxonomy_id=item.id).order_by("position", "name")
    )


@endpoint
def taxonomy(request: HttpRequest, pk: uuid.UUID) -> dict[str, Any] | None:
    found = Taxonomy.objects.filter(pk=pk).first()
    return _taxonomy(found) if found else None


@endpoint
def taxonomy_terms(request: HttpRequest) -> dict[str, Any]:
    terms = TaxonomyTerm.objects.order_by("name", "id")
    taxonomy_id = _uuid(request, "taxonomy_id")
    if taxonomy_id is not None:
        terms = terms.filter(taxonomy_id=taxonomy_id)
    return page(request, terms, oruk.taxonomy_term)


@endpoint
def taxonomy_term(request: HttpRequest, pk: uuid.UUID) -> dict[str, Any] | None:
    found = TaxonomyTerm.objects.filter(pk=pk).first()
    return oruk.taxonomy_term(found) if found else None
