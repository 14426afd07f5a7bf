"""Reading an Open Referral UK feed: JSON checked against the ORUK 3.0 schemas, then loaded.

A feed is one ORUK object (a service, organization, service_at_location, taxonomy or taxonomy
term, as the API returns them), a page of them (`contents`), a JSON array of them, or a bundle
`{"organizations": [...], "services": [...], "service_at_locations": [...], "taxonomies": [...],
"taxonomy_terms": [...]}`. Every problem is named by file and JSON path
(`feed.json: $.services[0].schedules[1].opens_at: ...`). `load` writes inside the caller's
transaction and raises FeedError before returning if anything was wrong, so a bad feed leaves the
directory as it was.

Rows are matched by their UUID: an id already in the directory is updated. A nested list that is
present replaces that row's list (rows left out are removed); a list that is absent is left alone.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from openpcn.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    OrganizationIdentifier,
    Phone,
    Provider,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
KINDS = ("taxonomy", "taxonomy_term", "organization", "service", "service_at_location")
BUNDLE_KEYS = {
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
    "organizations": "organization",
    "services": "service",
    "service_at_locations": "service_at_location",
}
REVIEW_AFTER = dt.timedelta(days=365)


class FeedError(Exception):
    """The feed was not imported; `problems` name the file and JSON path of each fault."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:3]) + (" …" if len(problems) > 3 else ""))
        self.problems = problems


@cache
def validator(kind: str) -> Draft202012Validator:
    """The ORUK schema for one kind of object (copied unchanged from the standard, see README)."""
    name = f"{kind}.json"
    schema = json.loads((SCHEMA_DIR / name).read_text())
    term = json.loads((SCHEMA_DIR / "taxonomy_term.json").read_text())
    # taxonomy.json refers to its terms as "taxonomy_term.json".
    registry = Registry().with_resource(
        "taxonomy_term.json", Resource.from_contents(term, default_specification=DRAFT202012)
    )
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def json_path(parts: Any) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


@dataclass
class Item:
    kind: str
    data: dict[str, Any]
    path: str


@dataclass
class Feed:
    name: str
    items: list[Item] = field(default_factory=list)


def kind_of(obj: dict[str, Any]) -> str | None:
    """Which ORUK object this is, from the fields only it has."""
    if "status" in obj:
        return "service"
    if "service" in obj or "location" in obj or "service_id" in obj or "location_id" in obj:
        return "service_at_location"
    if "taxonomy_terms" in obj or "version" in obj:
        return "taxonomy"
    if {"term", "parent_id", "taxonomy", "taxonomy_id", "term_uri"} & obj.keys():
        return "taxonomy_term"
    if {"services", "organization_identifiers", "website", "logo", "parent_organization_id"} & (
        obj.keys()
    ) or {"id", "name", "description"} == set(obj):
        return "organization"
    return None


def read(name: str, content: bytes | str) -> Feed:
    """Parse and check a feed against the ORUK schemas; FeedError lists every problem found."""
    try:
        data = json.loads(content)
    except UnicodeDecodeError as error:
        raise FeedError([f"{name}: the file is not UTF-8 text ({error.reason})"]) from error
    except json.JSONDecodeError as error:
        raise FeedError(
            [f"{name}: not valid JSON at line {error.lineno} column {error.colno}: {error.msg}"]
        ) from error
    problems: list[str] = []
    candidates: list[tuple[dict[str, Any] | Any, str, str | None]] = []
    if isinstance(data, list):
        candidates = [(obj, f"$[{i}]", None) for i, obj in enumerate(data)]
    elif isinstance(data, dict) and "contents" in data and "id" not in data:
        contents = data["contents"]
        if not isinstance(contents, list):
            raise FeedError([f"{name}: $.contents: a page's contents must be a list"])
        candidates = [(obj, f"$.contents[{i}]", None) for i, obj in enumerate(contents)]
    elif isinstance(data, dict) and "id" not in data and BUNDLE_KEYS.keys() & data.keys():
        for key, kind in BUNDLE_KEYS.items():
            listed = data.get(key, [])
            if not isinstance(listed, list):
                problems.append(f"{name}: $.{key}: must be a list")
                continue
            candidates += [(obj, f"$.{key}[{i}]", kind) for i, obj in enumerate(listed)]
    else:
        candidates = [(data, "$", None)]
    feed = Feed(name)
    for obj, path, given in candidates:
        if not isinstance(obj, dict):
            problems.append(f"{name}: {path}: expected an ORUK object, found {type(obj).__name__}")
            continue
        found = given or kind_of(obj)
        if found is None:
            problems.append(
                f"{name}: {path}: not an ORUK service, organization, service_at_location, "
                "taxonomy or taxonomy_term (a service has a status; an organization its website, "
                "services or identifiers)"
            )
            continue
        for fault in sorted(validator(found).iter_errors(obj), key=lambda e: list(e.path)):
            where = path + json_path(fault.absolute_path)[1:]
            problems.append(f"{name}: {where}: {fault.message} (ORUK {found} schema)")
        feed.items.append(Item(found, obj, path))
    if not feed.items and not problems:
        problems.append(f"{name}: the feed holds no ORUK objects")
    if problems:
        raise FeedError(problems)
    return feed


@dataclass
class Loaded:
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def summary(self) -> str:
        order = [
            ("service", "service"),
            ("organization", "organisation"),
            ("location", "location"),
            ("taxonomy", "taxonomy"),
            ("taxonomy_term", "taxonomy term"),
        ]
        parts = []
        for key, label in order:
            n = self.counts[key]
            if n:
                plural = "taxonomies" if label == "taxonomy" else f"{label}s"
                parts.append(f"{n} {label if n == 1 else plural}")
        return ", ".join(parts) or "nothing"


class Loader:
    """Writes a checked feed for one alliance's directory (inside the caller's transaction)."""

    def __init__(self, name: str, alliance: Any, today: dt.date) -> None:
        self.name = name
        self.alliance = alliance
        self.today = today
        self.problems: list[str] = []
        self.loaded = Loaded()
        self.seen: set[tuple[str, uuid.UUID]] = set()

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{self.name}: {path}: {message}")

    # Values ---------------------------------------------------------------------------------

    def kwargs(
        self, model: type[models.Model], data: dict[str, Any], names: tuple[str, ...], path: str
    ) -> dict[str, Any]:
        """The named fields of `data` as the model's Python values (problems recorded)."""
        out: dict[str, Any] = {}
        for name in names:
            if name not in data:
                continue
            value = data[name]
            model_field = model._meta.get_field(name)
            here = f"{path}.{name}"
            try:
                out[name] = self._convert(model_field, value)
            except ValueError as error:
                self.problem(here, str(error))
        return out

    def _convert(self, model_field: Any, value: Any) -> Any:
        if value is None:
            if model_field.null:
                return None
            return ""
        if isinstance(model_field, models.DateTimeField):
            try:
                parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(f"{value!r} is not a date and time (ISO 8601)") from None
            return parsed if parsed.tzinfo else timezone.make_aware(parsed, dt.UTC)
        if isinstance(model_field, models.DateField):
            try:
                return dt.date.fromisoformat(str(value))
            except ValueError:
                raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
        if isinstance(model_field, models.TimeField):
            try:
                return dt.time.fromisoformat(str(value).replace("Z", ""))
            except ValueError:
                raise ValueError(f"{value!r} is not a time (HH:MM:SS)") from None
        if isinstance(model_field, models.UUIDField):
            try:
                return uuid.UUID(str(value))
            except ValueError:
                raise ValueError(f"{value!r} is not a UUID") from None
        if isinstance(model_field, models.FloatField):
            return float(value)
        text = str(value)
        if model_field.max_length and len(text) > model_field.max_length:
            raise ValueError(f"longer than {model_field.max_length} characters")
        return text

    # Rows -----------------------------------------------------------------------------------

    def _save(self, model: type[models.Model], row_id: Any, values: dict[str, Any]) -> Any:
        obj, _ = model._default_manager.update_or_create(id=row_id, defaults=values)
        return obj

    def _children(
        self,
        model: type[models.Model],
        parent_field: str,
        parent: Any,
        items: list[dict[str, Any]],
        path: str,
        names: tuple[str, ...],
        after: Callable[[Any, dict[str, Any], str], None] | None = None,
    ) -> None:
        keep = []
        for i, item in enumerate(items):
            here = f"{path}[{i}]"
            values = self.kwargs(model, item, names, here)
            row_id = uuid.UUID(item["id"])
            existing = model._default_manager.filter(id=row_id).first()
            if existing is not None and getattr(existing, f"{parent_field}_id") != parent.pk:
                self.problem(f"{here}.id", f"{row_id} already belongs to another record")
                continue
            row = self._save(model, row_id, {parent_field: parent, "position": i, **values})
            keep.append(row_id)
            if after is not None:
                after(row, item, here)
        model._default_manager.filter(**{parent_field: parent}).exclude(id__in=keep).delete()

    def _owned(self, model: type[models.Model], row_id: uuid.UUID, path: str) -> bool:
        existing = model._default_manager.filter(id=row_id).first()
        if existing is not None and existing.alliance_id != self.alliance.pk:  # type: ignore[attr-defined]
            self.problem(f"{path}.id", f"{row_id} is in another alliance's directory")
            return False
        return True

    def attributes(self, data: dict[str, Any], link_id: uuid.UUID, entity: str, path: str) -> None:
        if "attributes" not in data:
            return
        keep = []
        for i, item in enumerate(data["attributes"]):
            here = f"{path}.attributes[{i}]"
            term = None
            if "taxonomy_term" in item:
                term = self.taxonomy_term(item["taxonomy_term"], f"{here}.taxonomy_term")
            elif "taxonomy_term_id" in item:
                term = TaxonomyTerm.objects.filter(id=item["taxonomy_term_id"]).first()
                if term is None:
                    self.problem(
                        f"{here}.taxonomy_term_id", "no such taxonomy term in the feed or directory"
                    )
            else:
                self.problem(here, "an attribute needs its taxonomy_term or taxonomy_term_id")
            if term is None:
                continue
            row_id = uuid.UUID(item["id"])
            self._save(
                Attribute,
                row_id,
                {
                    "link_id": link_id,
                    "link_entity": entity,
                    "taxonomy_term": term,
                    "link_type": str(item.get("link_type", "")),
                    "position": i,
                },
            )
            keep.append(row_id)
        Attribute.objects.filter(link_id=link_id).exclude(id__in=keep).delete()

    def taxonomy(self, data: dict[str, Any], path: str) -> Taxonomy:
        from openpcn.directory.oruk import TAXONOMY_FIELDS

        row_id = uuid.UUID(data["id"])
        values = self.kwargs(Taxonomy, data, TAXONOMY_FIELDS[1:], path)
        taxonomy = self._save(Taxonomy, row_id, values)
        self._count("taxonomy", row_id)
        for i, term in enumerate(data.get("taxonomy_terms", [])):
            self.taxonomy_term(term, f"{path}.taxonomy_terms[{i}]", taxonomy_id=row_id, position=i)
        return taxonomy

    def taxonomy_term(
        self,
        data: dict[str, Any],
        path: str,
        *,
        taxonomy_id: uuid.UUID | None = None,
        position: int | None = None,
    ) -> TaxonomyTerm:
        from openpcn.directory.oruk import TERM_FIELDS

        row_id = uuid.UUID(data["id"])
        values = self.kwargs(TaxonomyTerm, data, TERM_FIELDS[1:], path)
        if taxonomy_id is not None and "taxonomy_id" not in data:
            values["taxonomy_id"] = taxonomy_id
        if position is not None:
            values["position"] = position
        term = self._save(TaxonomyTerm, row_id, values)
        self._count("taxonomy_term", row_id)
        return term

    def organization(self, data: dict[str, Any], path: str) -> Provider | None:
        from openpcn.directory.oruk import IDENTIFIER_FIELDS, ORGANIZATION_FIELDS

        row_id = uuid.UUID(data["id"])
        if not self._owned(Provider, row_id, path):
            return None
        values = self.kwargs(Provider, data, ORGANIZATION_FIELDS[1:], path)
        provider = self._save(Provider, row_id, {"alliance": self.alliance, **values})
        self._count("organization", row_id)
        self.attributes(data, row_id, "organization", path)
        if "organization_identifiers" in data:
            self._children(
                OrganizationIdentifier,
                "provider",
                provider,
                data["organization_identifiers"],
                f"{path}.organization_identifiers",
                IDENTIFIER_FIELDS[1:],
                after=lambda row, item, here: self.attributes(
                    item, row.id, "organization_identifier", here
                ),
            )
        for i, service in enumerate(data.get("services", [])):
            self.service(service, f"{path}.services[{i}]", provider=provider)
        return provider

    def location(self, data: dict[str, Any], path: str) -> Location | None:
        from openpcn.directory.oruk import ACCESSIBILITY_FIELDS, ADDRESS_FIELDS, LOCATION_FIELDS

        row_id = uuid.UUID(data["id"])
        if not self._owned(Location, row_id, path):
            return None
        values = self.kwargs(Location, data, LOCATION_FIELDS[1:], path)
        place = self._save(Location, row_id, {"alliance": self.alliance, **values})
        self._count("location", row_id)
        self.attributes(data, row_id, "location", path)
        if "addresses" in data:
            self._children(
                Address,
                "location",
                place,
                data["addresses"],
                f"{path}.addresses",
                ADDRESS_FIELDS[1:],
                after=lambda row, item, here: self.attributes(item, row.id, "address", here),
            )
        if "accessibility" in data:
            self._children(
                Accessibility,
                "location",
                place,
                data["accessibility"],
                f"{path}.accessibility",
                ACCESSIBILITY_FIELDS[1:],
                after=lambda row, item, here: self.attributes(item, row.id, "accessibility", here),
            )
        return place

    def service(
        self, data: dict[str, Any], path: str, *, provider: Provider | None = None
    ) -> Service | None:
        from openpcn.directory import oruk

        row_id = uuid.UUID(data["id"])
        existing = Service.objects.filter(id=row_id).select_related("provider").first()
        if existing is not None and existing.provider.alliance_id != self.alliance.pk:
            self.problem(f"{path}.id", f"{row_id} is in another alliance's directory")
            return None
        if "organization" in data:
            provider = self.organization(data["organization"], f"{path}.organization")
        elif "organization_id" in data:
            provider = Provider.objects.filter(
                id=data["organization_id"], alliance=self.alliance
            ).first()
            if provider is None:
                self.problem(
                    f"{path}.organization_id", "no such organization in the feed or directory"
                )
        elif provider is None and existing is not None:
            provider = existing.provider
        elif provider is None:
            self.problem(path, "a new service needs its organization (or organization_id)")
        if provider is None:
            return None
        values = self.kwargs(Service, data, oruk.SERVICE_FIELDS[1:], path)
        values.setdefault("last_modified", timezone.now())
        if existing is None:
            # Due a year after the provider last assured it (or, never assured, a year from now).
            assured = values.get("assured_date")
            values["review_date"] = (assured or self.today) + REVIEW_AFTER
        service = self._save(Service, row_id, {"provider": provider, **values})
        self._count("service", row_id)
        self.attributes(data, row_id, "service", path)
        simple = (
            ("schedules", Schedule, oruk.SCHEDULE_FIELDS),
            ("service_areas", ServiceArea, oruk.SERVICE_AREA_FIELDS),
            ("languages", Language, oruk.LANGUAGE_FIELDS),
            ("funding", Funding, oruk.FUNDING_FIELDS),
            ("cost_options", CostOption, oruk.COST_FIELDS),
        )
        for key, model, names in simple:
            if key in data:
                self._children(model, "service", service, data[key], f"{path}.{key}", names[1:])
        if "contacts" in data:
            self._children(
                Contact,
                "service",
                service,
                data["contacts"],
                f"{path}.contacts",
                oruk.CONTACT_FIELDS[1:],
                after=self._contact_parts,
            )
        if "service_at_locations" in data:
            keep = []
            for i, item in enumerate(data["service_at_locations"]):
                sal = self.service_at_location(
                    item, f"{path}.service_at_locations[{i}]", service=service, position=i
                )
                if sal is not None:
                    keep.append(sal.id)
            service.service_at_locations.exclude(id__in=keep).delete()
        return service

    def _contact_parts(self, contact: Contact, item: dict[str, Any], here: str) -> None:
        from openpcn.directory.oruk import PHONE_FIELDS

        self.attributes(item, contact.id, "contact", here)
        phones = item.get("phones")
        if isinstance(phones, list):
            for i, phone in enumerate(phones):
                if not isinstance(phone, dict) or "id" not in phone or "number" not in phone:
                    self.problem(f"{here}.phones[{i}]", "a phone needs its id and number")
                    return
                try:
                    uuid.UUID(str(phone["id"]))
                except ValueError:
                    self.problem(f"{here}.phones[{i}].id", f"{phone['id']!r} is not a UUID")
                    return
            self._children(Phone, "contact", contact, phones, f"{here}.phones", PHONE_FIELDS[1:])

    def service_at_location(
        self,
        data: dict[str, Any],
        path: str,
        *,
        service: Service | None = None,
        position: int = 0,
    ) -> ServiceAtLocation | None:
        row_id = uuid.UUID(data["id"])
        existing = ServiceAtLocation.objects.filter(id=row_id).first()
        if service is None:
            if "service" in data:
                service = self.service(data["service"], f"{path}.service")
            elif "service_id" in data:
                service = Service.objects.filter(
                    id=data["service_id"], provider__alliance=self.alliance
                ).first()
            elif existing is not None:
                service = existing.service
            if service is None:
                self.problem(path, "needs its service (or a service_id in the feed or directory)")
                return None
        place: Location | None = None
        if "location" in data:
            place = self.location(data["location"], f"{path}.location")
        elif "location_id" in data:
            place = Location.objects.filter(id=data["location_id"], alliance=self.alliance).first()
        elif existing is not None:
            place = existing.location
        if place is None:
            if "location" not in data:
                self.problem(path, "needs its location (or a location_id in the feed or directory)")
            return None
        if existing is not None and existing.service_id != service.pk:
            self.problem(f"{path}.id", f"{row_id} already links another service")
            return None
        return self._save(
            ServiceAtLocation,
            row_id,
            {"service": service, "location": place, "position": position},
        )

    def _count(self, kind: str, row_id: uuid.UUID) -> None:
        if (kind, row_id) not in self.seen:
            self.seen.add((kind, row_id))
            self.loaded.counts[kind] += 1


def load(feed: Feed, *, alliance: Any, today: dt.date) -> Loaded:
    """Write a checked feed into the alliance's directory; FeedError if any row was refused.

    Call inside a transaction: on FeedError the caller's transaction is rolled back.
    """
    loader = Loader(feed.name, alliance, today)
    for kind in KINDS:  # vocabularies first, so attributes find their terms
        for item in feed.items:
            if item.kind == kind:
                getattr(loader, kind)(item.data, item.path)
    if loader.problems:
        raise FeedError(loader.problems)
    return loader.loaded
