"""Reads for the directory: whose directory a user sees, and searching it (by need, taxonomy
term, text and distance). The same filters serve the pages and the published ORUK API."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from openpcn.accounts.scope import active_memberships
from openpcn.directory.geo import haversine_m
from openpcn.directory.models import (
    Attribute,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from openpcn.organisations.models import Organisation, OrganisationKind, Site


def alliances_for(user: Any) -> list[Organisation]:
    """The alliances the user has an active role in (themselves or through a member body)."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = set()
    for membership in active_memberships(user):
        organisation = membership.organisation
        ids.add(
            organisation.pk
            if organisation.kind == OrganisationKind.ALLIANCE
            else organisation.alliance_id
        )
    return list(Organisation.objects.filter(pk__in=ids - {None}, kind=OrganisationKind.ALLIANCE))


def services_for(user: Any) -> QuerySet[Service]:
    alliances = alliances_for(user)
    return Service.objects.filter(provider__alliance__in=alliances).select_related(
        "provider", "provider__alliance"
    )


def service_or_404(user: Any, service_id: uuid.UUID) -> Service:
    service = services_for(user).filter(pk=service_id).first()
    if service is None:
        raise Http404("No such service in your directory")
    return service


def sites_for(user: Any) -> QuerySet[Site]:
    """Practice and hub sites of the user's alliances that have coordinates."""
    alliances = alliances_for(user)
    return (
        Site.objects.filter(is_active=True, latitude__isnull=False, longitude__isnull=False)
        .filter(Q(organisation__alliance__in=alliances) | Q(organisation__in=alliances))
        .select_related("organisation")
        .order_by("name")
    )


def needs() -> list[TaxonomyTerm]:
    """Top-level terms: the needs a link worker searches by (their children are narrower terms)."""
    return list(TaxonomyTerm.objects.filter(parent_id__isnull=True).order_by("name"))


def with_descendants(term_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    found = set(term_ids)
    frontier = set(found)
    while frontier:
        children = set(
            TaxonomyTerm.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
        )
        frontier = children - found
        found |= children
    return found


DAYS = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}


def filter_services(
    services: QuerySet[Service],
    *,
    text: str = "",
    term_ids: Iterable[uuid.UUID] = (),
    taxonomy_id: uuid.UUID | None = None,
    minimum_age: float | None = None,
    maximum_age: float | None = None,
    day: str = "",
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
) -> QuerySet[Service]:
    """Services matching every filter given (ORUK's /services parameters)."""
    for word in text.split():
        tagged = Attribute.objects.filter(taxonomy_term__name__icontains=word).values("link_id")
        services = services.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(provider__name__icontains=word)
            | Q(id__in=tagged)
        )
    terms = list(term_ids)
    if terms:
        services = services.filter(
            id__in=Attribute.objects.filter(taxonomy_term_id__in=terms).values("link_id")
        )
    if taxonomy_id is not None:
        services = services.filter(
            id__in=Attribute.objects.filter(taxonomy_term__taxonomy_id=taxonomy_id).values(
                "link_id"
            )
        )
    if minimum_age is not None:
        services = services.filter(minimum_age__gte=minimum_age)
    if maximum_age is not None:
        services = services.filter(maximum_age__lte=maximum_age)
    schedules = Schedule.objects.all()
    scheduled = False
    if day:
        code = DAYS.get(day.strip().lower(), day.strip().upper()[:2])
        schedules = schedules.filter(byday__icontains=code)
        scheduled = True
    if start_time is not None:
        schedules = schedules.filter(opens_at__gte=start_time)
        scheduled = True
    if end_time is not None:
        schedules = schedules.filter(closes_at__lte=end_time)
        scheduled = True
    if scheduled:
        services = services.filter(
            Q(id__in=schedules.values("service_id"))
            | Q(service_at_locations__in=schedules.values("service_at_location_id"))
        ).distinct()
    return services


def eligible_at_age(services: QuerySet[Service], age: float) -> QuerySet[Service]:
    """Services whose ORUK age limits (where given) include this age."""
    return services.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=age)).filter(
        Q(maximum_age__isnull=True) | Q(maximum_age__gte=age)
    )


@dataclass(frozen=True)
class Match:
    service: Service
    where: ServiceAtLocation | None
    distance_m: float | None

    @property
    def distance_miles(self) -> float | None:
        return None if self.distance_m is None else self.distance_m / 1609.344


def nearest(
    services: QuerySet[Service], point: tuple[float, float] | None, within_m: float | None
) -> list[Match]:
    """Each service once, at its nearest location to `point` (within `within_m`), nearest first.

    With no point, every service by name (at its first location). Services given only online
    or by telephone (no located place) follow the located ones, as distance does not limit them.
    """
    links = ServiceAtLocation.objects.filter(service__in=services).select_related("location")
    by_service: dict[uuid.UUID, list[ServiceAtLocation]] = {}
    for link in links:
        by_service.setdefault(link.service_id, []).append(link)
    matches: list[Match] = []
    remote: list[Match] = []
    for service in services.order_by("name"):
        places = by_service.get(service.id, [])
        if point is None:
            matches.append(Match(service, places[0] if places else None, None))
            continue
        measured = [
            (haversine_m(point[0], point[1], p.location.latitude, p.location.longitude), p)
            for p in places
            if p.location.latitude is not None and p.location.longitude is not None
        ]
        if not measured:
            virtual = [p for p in places if p.location.location_type == "virtual"]
            if virtual:
                remote.append(Match(service, virtual[0], None))
            continue
        distance, place = min(measured, key=lambda pair: pair[0])
        if within_m is None or distance <= within_m:
            matches.append(Match(service, place, distance))
    if point is not None:
        matches.sort(key=lambda m: (m.distance_m, m.service.name))
    return matches + remote


def terms_of(services: Iterable[Service]) -> dict[uuid.UUID, list[TaxonomyTerm]]:
    ids = [s.id for s in services]
    out: dict[uuid.UUID, list[TaxonomyTerm]] = {}
    for attribute in Attribute.objects.filter(link_id__in=ids).select_related("taxonomy_term"):
        out.setdefault(attribute.link_id, []).append(attribute.taxonomy_term)
    return out
