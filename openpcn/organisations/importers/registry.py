"""Bulk writes the importers share: upserting organisations by ODS code, in batches.

Only importers call this, inside their one transaction; it reads every existing row it needs once
into a dict keyed by ODS code, then creates and updates in batches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone

from openpcn.organisations.importers.base import ImportFileError, ImportResult
from openpcn.organisations.models import Organisation, OrganisationKind

BATCH_SIZE = 500
# Well under SQLite's limit on query parameters, and keeps PostgreSQL queries small.
LOOKUP_CHUNK = 2000

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def update_rows(
    model: type[models.Model], rows: Sequence[models.Model], fields: Sequence[str]
) -> None:
    """Write `fields` of already-saved rows, one UPDATE per row sent as a single batch.

    Django's bulk_update builds a CASE expression per field per row in Python, which takes
    seconds for a national file; executemany with plain parameters takes a fraction of that.
    """
    if not rows:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    # Table and column names come from the model, never from the file.
    table, key = quote(meta.db_table), quote(meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
    params = [
        [column.get_db_prep_save(getattr(row, column.attname), connection) for column in columns]
        + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        for batch in chunks(params, BATCH_SIZE):
            cursor.executemany(sql, batch)


@dataclass
class OrganisationRecord:
    """An organisation as a file describes it, and where in the file it was described."""

    kind: Any  # an OrganisationKind
    ods_code: str
    line: int
    column: str
    # Set on create and kept up to date on every import.
    fields: dict[str, Any]
    # Set only when the organisation is first created (e.g. a placeholder name).
    create_only: dict[str, Any] = field(default_factory=dict)
    sheet: str | None = None


def organisations_by_code(codes: Iterable[str]) -> dict[str, Organisation]:
    wanted = sorted(set(codes))
    found: dict[str, Organisation] = {}
    for chunk in chunks(wanted):
        for organisation in Organisation.objects.filter(ods_code__in=chunk):
            assert organisation.ods_code is not None
            found[organisation.ods_code] = organisation
    return found


def sync_organisations(
    records: Sequence[OrganisationRecord], *, file: str, what: str, result: ImportResult
) -> dict[str, Organisation]:
    """Create or update organisations by ODS code; return every one of them by code.

    Only fields whose value differs are written, so re-importing a file changes nothing.
    """
    existing = organisations_by_code(r.ods_code for r in records)
    now = timezone.now()
    to_create: list[Organisation] = []
    to_update: list[Organisation] = []
    changed_fields: set[str] = set()
    for record in records:
        organisation = existing.get(record.ods_code)
        if organisation is None:
            to_create.append(
                Organisation(
                    kind=record.kind,
                    ods_code=record.ods_code,
                    **{**record.create_only, **record.fields},
                )
            )
            continue
        if organisation.kind != record.kind:
            raise ImportFileError(
                file,
                record.line,
                record.column,
                f"{record.ods_code} is already in the registry as a "
                f"{OrganisationKind(organisation.kind).label}, "
                f"not a {OrganisationKind(record.kind).label}",
                sheet=record.sheet,
            )
        changed = [
            name for name, value in record.fields.items() if getattr(organisation, name) != value
        ]
        if changed:
            for name in changed:
                setattr(organisation, name, record.fields[name])
            organisation.updated_at = now
            changed_fields.update(changed)
            to_update.append(organisation)
    Organisation.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    update_rows(Organisation, to_update, sorted(changed_fields | {"updated_at"}))
    result.count(what, "created", len(to_create))
    result.count(what, "updated", len(to_update))
    result.count(what, "unchanged", len(records) - len(to_create) - len(to_update))
    # Read the created rows back: their ids are needed for memberships and snapshots.
    if to_create:
        existing.update(organisations_by_code(o.ods_code for o in to_create if o.ods_code))
    return existing
