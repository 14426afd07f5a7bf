"""Template context every page needs: which navigation items the signed-in user may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import has_permission


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "can_manage_memberships": has_permission(user, Permission.USER_MEMBERSHIP_MANAGE),
        "can_view_audit": has_permission(user, Permission.AUDIT_VIEW),
        "can_view_workforce": has_permission(user, Permission.WORKFORCE_VIEW),
    }
