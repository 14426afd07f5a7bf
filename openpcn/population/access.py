"""Who may see which population figures, and whether a figure needs disclosure control.

Dashboards follow ANALYTICS_VIEW through the registry hierarchy. Patient-level worklists do not:
only a role held in the practice itself grants WORKLIST_VIEW there, so a PCN or alliance role never
reaches a practice's patient rows.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404

from openpcn.accounts.permissions import Permission
from openpcn.accounts.roles import ROLES
from openpcn.accounts.scope import active_memberships, has_permission
from openpcn.organisations.models import Organisation, OrganisationKind


def practices_staffed(user: object, permission: Permission, on: dt.date | None = None) -> set[int]:
    """Ids of practices where the user holds a role, in the practice itself, granting `permission`."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {
        m.organisation_id
        for m in active_memberships(user, on)  # type: ignore[arg-type]
        if m.organisation.kind == OrganisationKind.PRACTICE and ROLES[m.role].grants(permission)
    }


def get_worklist_practice_or_404(user: object, ods_code: str) -> Organisation:
    practice = Organisation.objects.filter(
        kind=OrganisationKind.PRACTICE, ods_code=ods_code
    ).first()
    if practice is None or practice.pk not in practices_staffed(user, Permission.WORKLIST_VIEW):
        raise Http404("No such worklist")
    return practice


def sees_unrounded(user: object, organisation: Organisation) -> bool:
    """A practice's own staff see its figures as counted; everyone else sees them controlled."""
    return organisation.kind == OrganisationKind.PRACTICE and organisation.pk in practices_staffed(
        user, Permission.ANALYTICS_VIEW
    )


def may_run_analytics(user: object) -> bool:
    return has_permission(user, Permission.ANALYTICS_RUN)  # type: ignore[arg-type]


def may_manage_sharing(user: object) -> bool:
    return has_permission(user, Permission.DATA_SHARING_MANAGE)  # type: ignore[arg-type]
