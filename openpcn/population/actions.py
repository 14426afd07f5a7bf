"""Every write in population health: agreements, uploads and refreshes (checked and audited)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from openpcn.accounts.permissions import Permission
from openpcn.core import audit
from openpcn.core.actions import require_permission
from openpcn.organisations.models import Organisation, OrganisationKind
from openpcn.population import storage
from openpcn.population.models import (
    DataSharingAgreement,
    ExtractFormat,
    IndicatorRefresh,
    JobStatus,
    PopulationExtract,
)

MAX_MONTHS = 36
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


@transaction.atomic
def record_agreement(
    *,
    by: Any,
    practice: Organisation,
    scope: str,
    signed_by_name: str,
    signed_by_role: str,
    signed_on: dt.date,
    document_reference: str = "",
) -> DataSharingAgreement:
    """Record that a practice agreed to share its data with its PCN (or the wider alliance)."""
    require_permission(by, Permission.DATA_SHARING_MANAGE, organisation=practice)
    if practice.kind != OrganisationKind.PRACTICE:
        raise ValidationError("Only a practice signs a data-sharing agreement")
    # Lock the practice's agreements so two people cannot both open one.
    open_agreements = DataSharingAgreement.objects.select_for_update().filter(
        practice=practice, withdrawn_on__isnull=True
    )
    if list(open_agreements):
        raise ValidationError(f"{practice.name} already has an agreement; withdraw it first")
    if signed_on > dt.date.today():
        raise ValidationError("An agreement cannot be signed in the future")
    agreement = DataSharingAgreement.objects.create(
        practice=practice,
        scope=scope,
        signed_by_name=signed_by_name.strip(),
        signed_by_role=signed_by_role.strip(),
        signed_on=signed_on,
        document_reference=document_reference.strip(),
        recorded_by=by,
    )
    audit.record(
        by=by,
        action="record_data_sharing_agreement",
        obj=agreement,
        organisation=practice,
        after=audit.snapshot(agreement),
    )
    return agreement


@transaction.atomic
def withdraw_agreement(
    *, by: Any, agreement: DataSharingAgreement, withdrawn_on: dt.date, reason: str
) -> DataSharingAgreement:
    """End an agreement: the practice's data leaves PCN and alliance figures at the next refresh."""
    require_permission(by, Permission.DATA_SHARING_MANAGE, organisation=agreement.practice)
    agreement = DataSharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.withdrawn_on is not None:
        raise ValidationError("This agreement has already been withdrawn")
    if withdrawn_on < agreement.signed_on:
        raise ValidationError("An agreement cannot be withdrawn before it was signed")
    if not reason.strip():
        raise ValidationError("Say why the agreement is withdrawn")
    before = audit.snapshot(agreement)
    agreement.withdrawn_on = withdrawn_on
    agreement.withdrawn_by = by
    agreement.withdrawal_reason = reason.strip()
    agreement.save(update_fields=["withdrawn_on", "withdrawn_by", "withdrawal_reason"])
    audit.record(
        by=by,
        action="withdraw_data_sharing_agreement",
        obj=agreement,
        organisation=agreement.practice,
        before=before,
        after=audit.snapshot(agreement),
    )
    return agreement


def upload_extract(
    *,
    by: Any,
    alliance: Organisation,
    file_format: str,
    files: Iterable[tuple[str, IO[bytes]]],
    enqueue: bool = True,
) -> PopulationExtract:
    """Keep the uploaded files privately, with their hashes, and queue their validation."""
    require_permission(by, Permission.ANALYTICS_RUN, organisation=alliance)
    if alliance.kind != OrganisationKind.ALLIANCE:
        raise ValidationError("An extract is loaded for an alliance")
    if file_format not in ExtractFormat.values:
        raise ValidationError(f"Unknown extract format {file_format!r}")
    files = list(files)
    if not files:
        raise ValidationError("Choose the extract's files")
    names = [Path(name).name for name, _ in files]
    for name in names:
        if not _SAFE_NAME.match(name):
            raise ValidationError(f"{name}: file names may use letters, digits, _ . and - only")
    if len(set(names)) != len(names):
        raise ValidationError("Two files have the same name")
    with transaction.atomic():
        extract = PopulationExtract.objects.create(
            alliance=alliance,
            file_format=file_format,
            uploaded_by=by,
            progress_message="Waiting for a worker",
        )
        folder = storage.private_folder(storage.upload_folder(extract.pk))
        described = []
        try:
            for name, (_, stream) in zip(names, files, strict=True):
                described.append(_store(stream, folder / name))
        except OSError:
            storage.remove(folder)
            raise
        extract.files = described
        extract.save(update_fields=["files"])
        audit.record(
            by=by,
            action="upload_population_extract",
            obj=extract,
            organisation=alliance,
            after={"file_format": file_format, "files": described},
        )
        if enqueue:
            transaction.on_commit(lambda: _enqueue_import(extract.pk))
    return extract


def _store(stream: IO[bytes], path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with path.open("wb") as out:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    path.chmod(storage.FILE_MODE)
    return {"name": path.name, "bytes": size, "sha256": digest.hexdigest()}


def _enqueue_import(extract_id: int) -> None:
    from openpcn.population.tasks import import_extract

    import_extract.enqueue(extract_id)


@transaction.atomic
def request_refresh(
    *,
    by: Any,
    extract: PopulationExtract,
    as_of: dt.date,
    months: int = 24,
    enqueue: bool = True,
) -> IndicatorRefresh:
    """Queue recomputing every indicator from a loaded extract for an as-of date."""
    require_permission(by, Permission.ANALYTICS_RUN, organisation=extract.alliance)
    if extract.status != JobStatus.DONE:
        raise ValidationError("Only a loaded extract can be used")
    if not 1 <= months <= MAX_MONTHS:
        raise ValidationError(f"The monthly history covers 1 to {MAX_MONTHS} months")
    if extract.latest_event_date and as_of < extract.latest_event_date - dt.timedelta(days=3650):
        raise ValidationError("The as-of date is long before the extract was taken")
    refresh = IndicatorRefresh.objects.create(
        alliance=extract.alliance,
        extract=extract,
        as_of=as_of,
        months=months,
        requested_by=by,
        progress_message="Waiting for a worker",
    )
    audit.record(
        by=by,
        action="request_indicator_refresh",
        obj=refresh,
        organisation=extract.alliance,
        after=audit.snapshot(refresh),
    )
    if enqueue:
        transaction.on_commit(lambda: _enqueue_refresh(refresh.pk))
    return refresh


def _enqueue_refresh(refresh_id: int) -> None:
    from openpcn.population.tasks import refresh_indicators

    refresh_indicators.enqueue(refresh_id)


def record_worklist_access(
    *, by: Any, practice: Organisation, how: str, rows: int, identifiers: bool = False
) -> None:
    """Every view and export of a worklist is audited: which practice, how, how many rows and
    whether NHS numbers were shown (never the numbers or patient ids themselves)."""
    require_permission(by, Permission.WORKLIST_VIEW, organisation=practice)
    if identifiers:
        require_permission(by, Permission.PATIENT_IDENTIFIERS_VIEW, organisation=practice)
    audit.record(
        by=by,
        action=f"worklist_{how}",
        obj=practice,
        object_type="population.Worklist",
        object_label=f"Worklist for {practice.name}",
        organisation=practice,
        after={"rows": rows, "identifiers": identifiers},
    )
