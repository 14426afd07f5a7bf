"""Writes to the policy library: permission checked, atomic, audited.

POLICY_MANAGE over the policy's organisation (its alliance or PCN) is needed to write a policy,
draft a version, approve it and publish it. POLICY_ADOPT over a practice is needed to adopt a
published version there, as it is or with a local variation (which names who approved it).
Anyone with a staff record acknowledges the version their practice runs, for themselves only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from openpcn.accounts.permissions import Permission
from openpcn.core import audit, uploads
from openpcn.core.actions import require_permission
from openpcn.organisations.models import Organisation, OrganisationKind, Person
from openpcn.policies import queries
from openpcn.policies.models import (
    Acknowledgement,
    Adoption,
    Audience,
    Category,
    Policy,
    PolicyVersion,
    VersionStatus,
)
from openpcn.workforce.models import JobRole, StaffMember

UPLOAD_AREA = "policies"
DOCUMENT_TYPES = frozenset({uploads.PDF, uploads.DOCX})


@dataclass(frozen=True)
class Upload:
    """A document as uploaded: its file name and bytes (checked by core.uploads)."""

    name: str
    content: bytes


def _record(by: Any, action: str, obj: Any, organisation: Any, before: Any = None) -> None:
    audit.record(
        by=by,
        action=action,
        obj=obj,
        organisation=organisation,
        before=before,
        # The text is the policy's own and kept in its versions; the audit names what changed.
        after=audit.snapshot(obj, exclude=("body",)),
    )


def _check_details(
    organisation: Organisation, title: str, category: str, audience: str, job_roles: list[JobRole]
) -> str:
    if organisation.kind not in queries.PUBLISHERS:
        raise ValidationError("A policy is written by an alliance or a PCN")
    title = title.strip()
    if not title:
        raise ValidationError("A policy needs a title")
    if category not in Category.values:
        raise ValidationError(f"Unknown category {category!r}")
    if audience not in Audience.values:
        raise ValidationError(f"Unknown staff group {audience!r}")
    if audience == Audience.ROLES and not job_roles:
        raise ValidationError("Choose the job roles the policy applies to")
    return title


def _text_or_document(body: str, document: Upload | None) -> tuple[str, str | None]:
    body = body.strip()
    if document is not None and body:
        raise ValidationError("Write the policy here or upload it as a document, not both")
    if document is None and not body:
        raise ValidationError("Write the policy's text or upload it as a PDF or Word document")
    kind = None
    if document is not None:
        kind = uploads.sniff(document.name, document.content, allowed=DOCUMENT_TYPES)
    return body, kind


def _keep(version: PolicyVersion, document: Upload | None, kind: str | None) -> None:
    if document is None or kind is None:
        return
    path, digest = uploads.store(UPLOAD_AREA, version.policy_id, document.content, kind)
    version.document_path = path
    version.document_name = document.name[:200]
    version.document_type = kind
    version.document_sha256 = digest


@transaction.atomic
def create_policy(
    *,
    by: Any,
    organisation: Organisation,
    title: str,
    category: str,
    owner: Person,
    approver: Person,
    review_date: dt.date,
    audience: str = "everyone",  # an Audience value
    job_roles: Iterable[JobRole] = (),
    body: str = "",
    document: Upload | None = None,
) -> PolicyVersion:
    """Write a new policy; its first version starts as a draft."""
    require_permission(by, Permission.POLICY_MANAGE, organisation=organisation)
    roles = list(job_roles) if audience == Audience.ROLES else []
    title = _check_details(organisation, title, category, audience, roles)
    if Policy.objects.filter(organisation=organisation, title__iexact=title).exists():
        raise ValidationError(f"{organisation.name} already has a policy called {title}")
    body, kind = _text_or_document(body, document)
    policy = Policy.objects.create(
        organisation=organisation,
        title=title,
        category=category,
        owner=owner,
        approver=approver,
        audience=audience,
    )
    policy.job_roles.set(roles)
    _record(by, "create_policy", policy, organisation)
    version = PolicyVersion(
        policy=policy,
        number=1,
        body=body,
        review_date=review_date,
        changes="First version",
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _keep(version, document, kind)
    version.save()
    _record(by, "draft_policy_version", version, organisation)
    return version


@transaction.atomic
def update_policy(
    *,
    by: Any,
    policy: Policy,
    category: str,
    owner: Person,
    approver: Person,
    audience: str,
    job_roles: Iterable[JobRole] = (),
) -> Policy:
    """Change who owns and approves a policy and whom it applies to (its text changes by version)."""
    require_permission(by, Permission.POLICY_MANAGE, organisation=policy.organisation)
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    before = audit.snapshot(policy)
    roles = list(job_roles) if audience == Audience.ROLES else []
    _check_details(policy.organisation, policy.title, category, audience, roles)
    policy.category, policy.owner, policy.approver, policy.audience = (
        category,
        owner,
        approver,
        audience,
    )
    policy.save()
    policy.job_roles.set(roles)
    _record(by, "update_policy", policy, policy.organisation, before)
    return policy


@transaction.atomic
def draft_version(
    *,
    by: Any,
    policy: Policy,
    changes: str,
    review_date: dt.date,
    significant: bool = False,
    body: str = "",
    document: Upload | None = None,
) -> PolicyVersion:
    """Start the next version of a policy as a draft; one version is in progress at a time."""
    require_permission(by, Permission.POLICY_MANAGE, organisation=policy.organisation)
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    in_progress = policy.versions.filter(
        status__in=[VersionStatus.DRAFT, VersionStatus.APPROVED]
    ).first()
    if in_progress is not None:
        raise ValidationError(
            f"Version {in_progress.number} is still {in_progress.get_status_display().lower()}: "
            "publish it before starting another"
        )
    changes = changes.strip()
    if not changes:
        raise ValidationError("Say what changes in this version")
    body, kind = _text_or_document(body, document)
    number = (policy.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PolicyVersion(
        policy=policy,
        number=number,
        body=body,
        changes=changes,
        significant=significant,
        review_date=review_date,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _keep(version, document, kind)
    version.save()
    _record(by, "draft_policy_version", version, policy.organisation)
    return version


def _locked(version: PolicyVersion) -> PolicyVersion:
    return (
        PolicyVersion.objects.select_for_update()
        .select_related("policy__organisation")
        .get(pk=version.pk)
    )


@transaction.atomic
def approve_version(
    *, by: Any, version: PolicyVersion, today: dt.date | None = None
) -> PolicyVersion:
    require_permission(by, Permission.POLICY_MANAGE, organisation=version.policy.organisation)
    version = _locked(version)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(f"Version {version.number} is not a draft")
    before = audit.snapshot(version, exclude=("body",))
    version.status = VersionStatus.APPROVED
    version.approved_by = by if getattr(by, "is_authenticated", False) else None
    version.approved_on = today or dt.date.today()
    version.save()
    _record(by, "approve_policy_version", version, version.policy.organisation, before)
    return version


@transaction.atomic
def publish_version(
    *, by: Any, version: PolicyVersion, today: dt.date | None = None
) -> PolicyVersion:
    """Publish an approved version; the version it replaces is superseded. Practices keep
    running the version they adopted until they adopt the new one."""
    require_permission(by, Permission.POLICY_MANAGE, organisation=version.policy.organisation)
    today = today or dt.date.today()
    version = _locked(version)
    if version.status != VersionStatus.APPROVED:
        raise ValidationError(f"Version {version.number} must be approved before it is published")
    for old in PolicyVersion.objects.select_for_update().filter(
        policy_id=version.policy_id, status=VersionStatus.PUBLISHED
    ):
        before = audit.snapshot(old, exclude=("body",))
        old.status = VersionStatus.SUPERSEDED
        old.superseded_on = today
        old.save()
        _record(by, "supersede_policy_version", old, version.policy.organisation, before)
    before = audit.snapshot(version, exclude=("body",))
    version.status = VersionStatus.PUBLISHED
    version.published_on = today
    version.save()
    _record(by, "publish_policy_version", version, version.policy.organisation, before)
    return version


@transaction.atomic
def discard_version(*, by: Any, version: PolicyVersion) -> None:
    """Discard a new version before it is published, so another can be drafted; the audit log
    keeps what it said. A policy's first version stays: the policy is its record."""
    require_permission(by, Permission.POLICY_MANAGE, organisation=version.policy.organisation)
    version = _locked(version)
    if version.status not in (VersionStatus.DRAFT, VersionStatus.APPROVED):
        raise ValidationError(f"Version {version.number} is {version.get_status_display().lower()}")
    if version.number == 1:
        raise ValidationError("The first version is kept; change it by drafting version 2")
    audit.record(
        by=by,
        action="discard_policy_version",
        obj=version,
        organisation=version.policy.organisation,
        before=audit.snapshot(version),
    )
    version.delete()


@transaction.atomic
def adopt_version(
    *,
    by: Any,
    practice: Organisation,
    version: PolicyVersion,
    local_variation: str = "",
    variation_approved_by: Person | None = None,
    today: dt.date | None = None,
) -> Adoption:
    """The practice adopts a published version, replacing the version it ran before."""
    require_permission(by, Permission.POLICY_ADOPT, organisation=practice)
    today = today or dt.date.today()
    if practice.kind != OrganisationKind.PRACTICE:
        raise ValidationError("Policies are adopted by practices")
    version = _locked(version)
    if version.status != VersionStatus.PUBLISHED:
        raise ValidationError(f"Only the published version of {version.policy} can be adopted")
    if not queries.may_adopt_at(practice, version.policy):
        raise ValidationError(
            f"{version.policy} is {version.policy.organisation.name}'s; "
            f"{practice.name} is not one of its practices"
        )
    local_variation = local_variation.strip()
    if local_variation and variation_approved_by is None:
        raise ValidationError("Say who approved the local variation")
    if not local_variation:
        variation_approved_by = None
    current = (
        Adoption.objects.select_for_update()
        .filter(practice=practice, policy=version.policy, replaced_on__isnull=True)
        .first()
    )
    if current is not None:
        if (
            current.version_id == version.pk
            and current.local_variation == local_variation
            and current.variation_approved_by_id
            == (variation_approved_by.pk if variation_approved_by else None)
        ):
            raise ValidationError(f"{practice.name} already runs version {version.number}")
        before = audit.snapshot(current)
        current.replaced_on = today
        current.save(update_fields=["replaced_on"])
        _record(by, "replace_policy_adoption", current, practice, before)
    adoption = Adoption.objects.create(
        practice=practice,
        policy=version.policy,
        version=version,
        local_variation=local_variation,
        variation_approved_by=variation_approved_by,
        adopted_on=today,
        adopted_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _record(by, "adopt_policy", adoption, practice)
    return adoption


@transaction.atomic
def acknowledge(
    *,
    by: Any,
    version: PolicyVersion,
    staff: StaffMember | None = None,
    at: dt.datetime | None = None,
) -> Acknowledgement:
    """A member of staff acknowledges they have read the version their practice runs.

    From the web, `staff` is the signed-in user's own staff record; only the command line (and
    the demo) names someone else's.
    """
    from openpcn.workforce.queries import own_staff_record

    if by is not None:
        own = own_staff_record(by)
        if own is None or (staff is not None and staff.pk != own.pk):
            raise PermissionDenied("Staff acknowledge policies for themselves")
        staff = own
    if staff is None:
        raise ValidationError("Say whose acknowledgement this is")
    due = next(
        (t for t in queries.for_staff(staff) if t.version.pk == version.pk),
        None,
    )
    if due is None:
        raise ValidationError(f"{version} is not a version {staff}'s practice runs for their role")
    if due.acknowledged_on is not None:
        raise ValidationError(f"{staff} has already acknowledged {version.policy}")
    acknowledgement = Acknowledgement.objects.create(
        staff=staff, version=version, acknowledged_at=at or timezone.now()
    )
    _record(by, "acknowledge_policy", acknowledgement, staff.home_practice)
    return acknowledgement
