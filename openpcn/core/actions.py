"""Helpers every app's actions use: the permission check that guards a write."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import has_permission


def require_permission(by: Any, permission: Permission, *, organisation: Any = None) -> None:
    """Raise PermissionDenied unless `by` may use `permission` there.

    `by=None` is the platform acting from the command line (an operator who already holds the
    database), which is allowed and audited as such.
    """
    if by is None:
        return
    if not has_permission(by, permission, organisation=organisation):
        raise PermissionDenied(f"{by} may not {permission.value} at {organisation}")


def require_alliance_permission(by: Any, permission: Permission) -> None:
    """Raise PermissionDenied unless `by` holds `permission` through a role held in an alliance.

    National reference files (ODS, NHS England) change records every alliance shares, so a role
    held in one PCN or practice is not enough to load them.
    """
    if by is None:
        return
    from openpcn.accounts.roles import ROLES
    from openpcn.accounts.scope import active_memberships
    from openpcn.organisations.models import OrganisationKind

    if not any(
        m.organisation.kind == OrganisationKind.ALLIANCE and ROLES[m.role].grants(permission)
        for m in active_memberships(by)
    ):
        raise PermissionDenied(f"{by} may not {permission.value} for the whole registry")


def end_dated_record(
    *, by: Any, record: Any, end_date: Any, action: str, organisation: Any, what: str
) -> None:
    """End a dated record (a membership, role, seat or contract): history is kept, and audited.

    The caller has already checked permission and locked the row where it matters.
    """
    from django.core.exceptions import ValidationError

    from openpcn.core import audit

    if end_date <= record.start_date:
        raise ValidationError(f"{what} must end after it started")
    before = audit.snapshot(record)
    record.end_date = end_date
    record.save(update_fields=["end_date"])
    audit.record(
        by=by,
        action=action,
        obj=record,
        organisation=organisation,
        before=before,
        after=audit.snapshot(record),
    )
