"""The Administration page: one menu item for the pages only platform admins use (users and
their roles, the audit log), each shown to whoever holds the permission it needs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import has_permission


def administration_links(user: Any) -> dict[str, bool]:
    """Which administration pages the user may open."""
    if not getattr(user, "is_authenticated", False):
        return {"users": False, "audit": False}
    return {
        "users": has_permission(user, Permission.USER_MEMBERSHIP_MANAGE),
        "audit": has_permission(user, Permission.AUDIT_VIEW),
    }


@login_required
def administration(request: HttpRequest) -> HttpResponse:
    links = administration_links(request.user)
    if not any(links.values()):
        raise Http404("Nothing to administer")
    return render(request, "core/administration.jinja", {"links": links})
