"""Writes to the directory: importing feeds, editing and reviewing entries, loading postcodes.

Every write needs DIRECTORY_MANAGE through a role held in the entry's alliance or one of its
places, PCNs or practices (`by=None` is the command line), and records an audit event.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.core import audit
from openpcn.directory import feeds
from openpcn.directory.geo import normalise_postcode
from openpcn.directory.models import (
    Attribute,
    FeedImport,
    ImportStatus,
    LinkEntity,
    Postcode,
    Schedule,
    Service,
    ServiceStatus,
    TaxonomyTerm,
)
from openpcn.organisations.models import Organisation, OrganisationKind

MAX_FEED_BYTES = 20 * 1024 * 1024


def _snapshot(obj: Any) -> dict[str, Any]:
    return audit.snapshot(obj) or {}


def may_manage(user: Any, alliance: Organisation) -> bool:
    """True when one of the user's roles grants DIRECTORY_MANAGE anywhere in the alliance."""
    covered = covered_organisation_ids(user, Permission.DIRECTORY_MANAGE)
    if alliance.pk in covered:
        return True
    return Organisation.objects.filter(pk__in=covered, alliance=alliance).exists()


def require_manage(by: Any, alliance: Organisation) -> None:
    if by is None:
        return
    if not may_manage(by, alliance):
        raise PermissionDenied(f"{by} may not manage the directory of {alliance}")


def _alliance(alliance: Organisation) -> Organisation:
    if alliance.kind != OrganisationKind.ALLIANCE:
        raise ValidationError("A directory belongs to an alliance")
    return alliance


def import_feed(
    *, by: Any, alliance: Organisation, name: str, content: bytes | str
) -> feeds.Loaded:
    """Check a whole ORUK feed and load it, or load nothing: FeedError names every problem."""
    require_manage(by, _alliance(alliance))
    feed = feeds.read(name, content)
    try:
        with transaction.atomic():
            loaded = feeds.load(feed, alliance=alliance, today=timezone.localdate())
            audit.record(
                by=by,
                action="import_directory_feed",
                object_type="directory.Feed",
                object_label=name,
                organisation=alliance,
                after={"file": name, **dict(loaded.counts)},
            )
    except DatabaseError as error:
        raise feeds.FeedError([f"{name}: could not be saved ({error})"]) from error
    return loaded


@transaction.atomic
def upload_feed(
    *, by: Any, alliance: Organisation, name: str, content: bytes, enqueue: bool = True
) -> FeedImport:
    """Keep an uploaded feed and queue its import (a worker checks and loads it)."""
    require_manage(by, _alliance(alliance))
    if not content:
        raise ValidationError(f"{name}: the file is empty")
    if len(content) > MAX_FEED_BYTES:
        raise ValidationError(f"{name}: over the {MAX_FEED_BYTES // 1_048_576} MB limit")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValidationError(f"{name}: not UTF-8 JSON text") from error
    upload = FeedImport.objects.create(
        alliance=alliance, file_name=name[:255], content=text, uploaded_by=by
    )
    audit.record(
        by=by,
        action="upload_directory_feed",
        obj=upload,
        organisation=alliance,
        after={"file": name, "bytes": len(content)},
    )
    if enqueue:
        transaction.on_commit(lambda: _enqueue(upload.pk))
    return upload


def _enqueue(upload_id: int) -> None:
    from openpcn.directory.tasks import import_uploaded_feed

    import_uploaded_feed.enqueue(upload_id)


def run_upload(upload_id: int) -> FeedImport:
    """The worker's half of an upload: import it as the person who uploaded it."""
    upload = FeedImport.objects.select_related("alliance", "uploaded_by").get(pk=upload_id)
    if upload.status != ImportStatus.QUEUED:
        return upload
    try:
        loaded = import_feed(
            by=upload.uploaded_by,
            alliance=upload.alliance,
            name=upload.file_name,
            content=upload.content,
        )
    except feeds.FeedError as error:
        upload.status = ImportStatus.FAILED
        upload.errors = error.problems[:200]
        upload.summary = f"{len(error.problems)} problem{'s' if len(error.problems) != 1 else ''}"
    except PermissionDenied:
        upload.status = ImportStatus.FAILED
        upload.errors = ["The person who uploaded the feed may no longer manage the directory"]
    else:
        upload.status = ImportStatus.DONE
        upload.summary = f"Imported {loaded.summary}"
    upload.save(update_fields=["status", "errors", "summary"])
    return upload


EDITABLE = (
    "name",
    "description",
    "status",
    "url",
    "email",
    "fees",
    "minimum_age",
    "maximum_age",
    "alert",
    "review_date",
)


@transaction.atomic
def update_service(
    *, by: Any, service: Service, terms: Iterable[TaxonomyTerm] | None = None, **changes: Any
) -> Service:
    """Edit a service's details (and, when given, its taxonomy terms); last_modified is now."""
    alliance = service.provider.alliance
    require_manage(by, alliance)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"Not editable here: {', '.join(sorted(unknown))}")
    if "name" in changes and not str(changes["name"]).strip():
        raise ValidationError("A service needs a name")
    if "status" in changes and changes["status"] not in ServiceStatus.values:
        raise ValidationError(f"Unknown status {changes['status']!r}")
    low = changes.get("minimum_age", service.minimum_age)
    high = changes.get("maximum_age", service.maximum_age)
    if low is not None and high is not None and low > high:
        raise ValidationError("The minimum age is above the maximum age")
    if "review_date" in changes and changes["review_date"] is None:
        raise ValidationError("Every entry needs a review date")
    before = _snapshot(service)
    before_terms = _term_names(service)
    for key, value in changes.items():
        setattr(service, key, value.strip() if isinstance(value, str) else value)
    service.last_modified = timezone.now()
    service.save()
    if terms is not None:
        _set_terms(service, list(terms))
    audit.record(
        by=by,
        action="update_directory_service",
        obj=service,
        organisation=alliance,
        before={**before, "terms": before_terms},
        after={**_snapshot(service), "terms": _term_names(service)},
    )
    return service


def _term_names(service: Service) -> list[str]:
    return sorted(
        Attribute.objects.filter(link_id=service.id).values_list("taxonomy_term__name", flat=True)
    )


def _set_terms(service: Service, terms: list[TaxonomyTerm]) -> None:
    existing = {a.taxonomy_term_id: a for a in Attribute.objects.filter(link_id=service.id)}
    wanted = {term.pk for term in terms}
    Attribute.objects.filter(link_id=service.id).exclude(taxonomy_term_id__in=wanted).delete()
    for position, term in enumerate(terms):
        if term.pk not in existing:
            Attribute.objects.create(
                link_id=service.id,
                link_entity=LinkEntity.SERVICE,
                taxonomy_term=term,
                position=position,
            )


@transaction.atomic
def mark_reviewed(*, by: Any, service: Service, next_review: dt.date) -> Service:
    """The entry was checked with its provider today: ORUK's assured_date and assurer_email."""
    alliance = service.provider.alliance
    require_manage(by, alliance)
    today = timezone.localdate()
    if next_review <= today:
        raise ValidationError("The next review must be after today")
    before = _snapshot(service)
    service.assured_date = today
    service.assurer_email = getattr(by, "email", "") or service.assurer_email
    service.review_date = next_review
    service.last_modified = timezone.now()
    service.save()
    audit.record(
        by=by,
        action="review_directory_service",
        obj=service,
        organisation=alliance,
        before=before,
        after=_snapshot(service),
    )
    return service


@transaction.atomic
def add_schedule(
    *,
    by: Any,
    service: Service,
    byday: str,
    opens_at: dt.time,
    closes_at: dt.time,
    description: str = "",
) -> Schedule:
    """A weekly opening time (ORUK schedule: FREQ=WEEKLY on the given days)."""
    alliance = service.provider.alliance
    require_manage(by, alliance)
    days = [d.strip().upper() for d in byday.split(",") if d.strip()]
    if not days or any(d not in DAY_CODES for d in days):
        raise ValidationError("Choose the days (MO, TU, WE, TH, FR, SA, SU)")
    if closes_at <= opens_at:
        raise ValidationError("A service closes after it opens")
    schedule = Schedule.objects.create(
        service=service,
        freq="WEEKLY",
        interval=1,
        byday=",".join(days),
        opens_at=opens_at,
        closes_at=closes_at,
        description=description.strip(),
        position=service.schedules.count(),
    )
    service.last_modified = timezone.now()
    service.save(update_fields=["last_modified"])
    audit.record(
        by=by,
        action="add_directory_schedule",
        obj=schedule,
        organisation=alliance,
        after=_snapshot(schedule),
    )
    return schedule


DAY_CODES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}


@dataclass(frozen=True)
class PostcodesLoaded:
    rows: int

    @property
    def summary(self) -> str:
        return f"Loaded {self.rows} postcode{'s' if self.rows != 1 else ''}"


POSTCODE_COLUMNS = ("pcds", "pcd", "pcd7", "pcd8", "postcode")


def load_postcodes(*, by: Any, name: str, content: str) -> PostcodesLoaded:
    """Postcode centroids from an ONS Postcode Directory-style CSV (pcds/pcd, lat, long).

    Needs DIRECTORY_MANAGE held through an alliance (the table is shared). Every bad row is
    named by line and column; nothing is loaded unless every row is good.
    """
    if (
        by is not None
        and not Organisation.objects.filter(
            Q(pk__in=covered_organisation_ids(by, Permission.DIRECTORY_MANAGE)),
            kind=OrganisationKind.ALLIANCE,
        ).exists()
    ):
        raise PermissionDenied(f"{by} may not load postcodes")
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    header = {h.strip().lower(): h for h in reader.fieldnames or []}
    code_column = next((header[c] for c in POSTCODE_COLUMNS if c in header), None)
    lat_column = header.get("lat") or header.get("latitude")
    long_column = header.get("long") or header.get("longitude")
    missing = [
        label
        for label, column in (
            ("a postcode column (pcds or pcd)", code_column),
            ("lat", lat_column),
            ("long", long_column),
        )
        if column is None
    ]
    if missing:
        raise ValidationError(f"{name}: line 1: no {', '.join(missing)} column")
    problems: list[str] = []
    rows: dict[str, tuple[float, float]] = {}
    for line, row in enumerate(reader, start=2):
        code = normalise_postcode(row.get(code_column) or "")  # type: ignore[arg-type]
        if not code:
            problems.append(f"{name}: line {line}, {code_column}: not a postcode")
            continue
        try:
            lat = float(row.get(lat_column) or "")  # type: ignore[arg-type]
            lon = float(row.get(long_column) or "")  # type: ignore[arg-type]
        except ValueError:
            problems.append(f"{name}: line {line}, {lat_column}/{long_column}: not a number")
            continue
        # ONSPD gives terminated or unlocated postcodes lat 99.999999: skip, as they have no centroid.
        if lat > 90 or lat < -90 or lon > 180 or lon < -180:
            continue
        rows[code] = (lat, lon)
    if problems:
        raise ValidationError(problems[:50])
    with transaction.atomic():
        existing = set(Postcode.objects.filter(pk__in=rows).values_list("pk", flat=True))
        Postcode.objects.bulk_create(
            [
                Postcode(postcode=c, latitude=a, longitude=o)
                for c, (a, o) in rows.items()
                if c not in existing
            ],
            batch_size=2000,
        )
        for code in existing:
            lat, lon = rows[code]
            Postcode.objects.filter(pk=code).update(latitude=lat, longitude=lon)
        audit.record(
            by=by,
            action="load_postcodes",
            object_type="directory.Postcode",
            object_label=name,
            after={"file": name, "rows": len(rows)},
        )
    return PostcodesLoaded(len(rows))
