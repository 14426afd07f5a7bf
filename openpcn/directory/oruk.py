"""Directory rows as Open Referral UK JSON objects, exactly as the ORUK 3.0 schemas describe them.

Empty fields are left out (the schemas type them as strings or numbers, never null), and a nested
object does not repeat its parent's id, as in the standard's own examples. A contact's phones are
published as HSDS 3.0's `phones` (ORUK keeps the `phone` table; extra properties are allowed).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet

from openpcn.directory.models import (
    Attribute,
    Location,
    Provider,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

VERSION = "3.0"
PROFILE = "https://github.com/OpenReferralUK/uk-profile"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def fields(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    """The named fields that have a value, in ORUK's JSON form."""
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name)
        if value is None or value == "":
            continue
        out[name] = _value(value)
    return out


TERM_FIELDS = (
    "id",
    "name",
    "description",
    "parent_id",
    "taxonomy",
    "taxonomy_id",
    "term_uri",
    "term",
)
TAXONOMY_FIELDS = ("id", "name", "description", "uri", "version")
ORGANIZATION_FIELDS = (
    "id",
    "name",
    "description",
    "email",
    "website",
    "logo",
    "uri",
    "parent_organization_id",
)
IDENTIFIER_FIELDS = ("id", "identifier_scheme", "identifier_type", "identifier")
SERVICE_FIELDS = (
    "id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "fees",
    "accreditations",
    "minimum_age",
    "maximum_age",
    "assured_date",
    "assurer_email",
    "alert",
    "last_modified",
)
LOCATION_FIELDS = (
    "id",
    "location_type",
    "name",
    "description",
    "latitude",
    "longitude",
    "external_identifier",
    "external_identifier_type",
)
ADDRESS_FIELDS = (
    "id",
    "attention",
    "address_1",
    "city",
    "region",
    "state_province",
    "postal_code",
    "country",
    "address_type",
)
ACCESSIBILITY_FIELDS = ("id", "description", "details", "url", "accessibility")
SCHEDULE_FIELDS = (
    "id",
    "valid_from",
    "valid_to",
    "dtstart",
    "freq",
    "interval",
    "byday",
    "bymonthday",
    "description",
    "opens_at",
    "closes_at",
    "schedule_link",
    "attending_type",
    "notes",
)
SERVICE_AREA_FIELDS = ("id", "name", "extent", "extent_type", "uri", "service_area")
LANGUAGE_FIELDS = ("id", "phone_id")
FUNDING_FIELDS = ("id", "source")
COST_FIELDS = ("id", "valid_from", "valid_to", "option", "amount", "amount_description")
CONTACT_FIELDS = ("id", "name", "title")
PHONE_FIELDS = ("id", "number", "description")


def meta() -> dict[str, str]:
    return {"version": VERSION, "profile": PROFILE, "openapi_url": OPENAPI_URL}


def taxonomy_term(term: TaxonomyTerm) -> dict[str, Any]:
    return fields(term, TERM_FIELDS)


def taxonomy(item: Taxonomy, *, terms: Iterable[TaxonomyTerm] = ()) -> dict[str, Any]:
    out = fields(item, TAXONOMY_FIELDS)
    listed = [fields(term, TERM_FIELDS[:5] + TERM_FIELDS[6:]) for term in terms]
    if listed:
        out["taxonomy_terms"] = listed  # nested in their taxonomy, terms omit its id
    return out


class Attributes:
    """Every attribute of the rows being written, read in one query and grouped by link_id."""

    def __init__(self, link_ids: Iterable[Any]) -> None:
        self.by_link: dict[Any, list[Attribute]] = {}
        for attribute in Attribute.objects.filter(link_id__in=list(link_ids)).select_related(
            "taxonomy_term"
        ):
            self.by_link.setdefault(attribute.link_id, []).append(attribute)

    def add_to(self, out: dict[str, Any], link_id: Any) -> dict[str, Any]:
        found = self.by_link.get(link_id)
        if found:
            out["attributes"] = [
                {
                    **fields(a, ("id", "link_type")),
                    "taxonomy_term": taxonomy_term(a.taxonomy_term),
                }
                for a in found
            ]
        return out


def organization(provider: Provider, attributes: Attributes | None = None) -> dict[str, Any]:
    """The organization's one-to-one fields, plus its identifiers and attributes when given."""
    out = fields(provider, ORGANIZATION_FIELDS)
    if attributes is None:
        return out
    identifiers = [
        attributes.add_to(fields(i, IDENTIFIER_FIELDS), i.id)
        for i in provider.organization_identifiers.all()
    ]
    if identifiers:
        out["organization_identifiers"] = identifiers
    return attributes.add_to(out, provider.id)


def location(place: Location, attributes: Attributes | None = None) -> dict[str, Any]:
    out = fields(place, LOCATION_FIELDS)
    if attributes is None:
        return out
    addresses = [attributes.add_to(fields(a, ADDRESS_FIELDS), a.id) for a in place.addresses.all()]
    if addresses:
        out["addresses"] = addresses
    access = [
        attributes.add_to(fields(a, ACCESSIBILITY_FIELDS), a.id) for a in place.accessibility.all()
    ]
    if access:
        out["accessibility"] = access
    return attributes.add_to(out, place.id)


def service_summary(service: Service) -> dict[str, Any]:
    """An item of GET /services: one-to-one fields and the organization's."""
    return {**fields(service, SERVICE_FIELDS), "organization": organization(service.provider)}


def _contact(contact: Any, attributes: Attributes) -> dict[str, Any]:
    out = fields(contact, CONTACT_FIELDS)
    phones = [fields(p, PHONE_FIELDS) for p in contact.phones.all()]
    if phones:
        out["phones"] = phones
    return attributes.add_to(out, contact.id)


def service_full(
    service: Service, *, attributes: Attributes, with_locations: bool = True
) -> dict[str, Any]:
    """GET /services/{id}: the service with everything linked to it."""
    out = fields(service, SERVICE_FIELDS)
    lists: list[tuple[str, list[dict[str, Any]]]] = [
        ("schedules", [fields(s, SCHEDULE_FIELDS) for s in service.schedules.all()]),
        ("service_areas", [fields(a, SERVICE_AREA_FIELDS) for a in service.service_areas.all()]),
    ]
    if with_locations:
        lists.append(
            (
                "service_at_locations",
                [
                    {"id": str(sal.id), "location": location(sal.location, attributes)}
                    for sal in service.service_at_locations.all()
                ],
            )
        )
    lists.append(("languages", [fields(x, LANGUAGE_FIELDS) for x in service.languages.all()]))
    for key, items in lists:
        if items:
            out[key] = items
    out["organization"] = organization(service.provider, attributes)
    for key, items in (
        ("funding", [fields(x, FUNDING_FIELDS) for x in service.funding.all()]),
        ("cost_options", [fields(x, COST_FIELDS) for x in service.cost_options.all()]),
        ("contacts", [_contact(x, attributes) for x in service.contacts.all()]),
    ):
        if items:
            out[key] = items
    return attributes.add_to(out, service.id)


def link_ids_of(services: Iterable[Service]) -> list[Any]:
    """Ids of every row under these services that may carry attributes."""
    ids: list[Any] = []
    for service in services:
        ids.append(service.id)
        ids.append(service.provider.id)
        ids.extend(i.id for i in service.provider.organization_identifiers.all())
        ids.extend(c.id for c in service.contacts.all())
        for sal in service.service_at_locations.all():
            ids.append(sal.location.id)
            ids.extend(a.id for a in sal.location.addresses.all())
            ids.extend(a.id for a in sal.location.accessibility.all())
    return ids


def full_services(queryset: QuerySet[Service]) -> QuerySet[Service]:
    """The services with everything `service_full` reads, prefetched."""
    return queryset.select_related("provider").prefetch_related(
        "schedules",
        "service_areas",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                "location__addresses", "location__accessibility"
            ),
        ),
        "languages",
        "provider__organization_identifiers",
        "funding",
        "cost_options",
        "contacts__phones",
    )


def service_document(service: Service) -> dict[str, Any]:
    service = full_services(Service.objects.filter(pk=service.pk)).get()
    return service_full(service, attributes=Attributes(link_ids_of([service])))


def service_at_location_summary(sal: ServiceAtLocation) -> dict[str, Any]:
    """An item of GET /service_at_locations: the link with its location and service."""
    return {
        "id": str(sal.id),
        "location": location(sal.location),
        "service": service_summary(sal.service),
    }


def service_at_location_document(sal: ServiceAtLocation) -> dict[str, Any]:
    """GET /service_at_locations/{id}: the location in full and the service without its links."""
    service = full_services(Service.objects.filter(pk=sal.service_id)).get()
    sal = (
        ServiceAtLocation.objects.select_related("location")
        .prefetch_related("location__addresses", "location__accessibility")
        .get(pk=sal.pk)
    )
    attributes = Attributes(link_ids_of([service]))
    return {
        "id": str(sal.id),
        "location": location(sal.location, attributes),
        "service": service_full(service, attributes=attributes, with_locations=False),
    }
