"""The home page for each role, and the audit log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openpcn.accounts.permissions import Permission
from openpcn.accounts.roles import ROLES
from openpcn.accounts.scope import active_memberships, covered_organisation_ids
from openpcn.core.models import AuditEvent
from openpcn.organisations import queries as registry
from openpcn.workforce.queries import own_staff_record


def root(request: HttpRequest) -> HttpResponse:
    return redirect("core:home" if request.user.is_authenticated else "accounts:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    cards = [
        {
            "role": ROLES[membership.role],
            "organisation": membership.organisation.as_kind(),
            "permissions": sorted(
                p.value.replace("_", " ") for p in ROLES[membership.role].permissions
            ),
        }
        for membership in active_memberships(request.user)
    ]
    return render(
        request,
        "core/home.jinja",
        {
            "cards": cards,
            "tree": registry.organisation_tree(request.user),
            "has_staff_record": own_staff_record(request.user) is not None,
        },
    )


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    scope = covered_organisation_ids(request.user, Permission.AUDIT_VIEW)
    if not scope:
        raise Http404("No audit log to show")
    events = AuditEvent.objects.filter(organisation_id__in=scope).select_related("organisation")
    filters = {
        key: request.GET.get(key, "").strip() for key in ("action", "actor", "object", "date")
    }
    if filters["action"]:
        events = events.filter(action=filters["action"])
    if filters["actor"]:
        events = events.filter(actor_label__icontains=filters["actor"])
    if filters["object"]:
        events = events.filter(
            Q(object_label__icontains=filters["object"])
            | Q(object_type__icontains=filters["object"])
        )
    if filters["date"]:
        events = events.filter(at__date=filters["date"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    actions = (
        AuditEvent.objects.filter(organisation_id__in=scope)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
    # Page links keep the filters but not the previous page number.
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.jinja",
        {"page": page, "filters": filters, "actions": list(actions), "query": query.urlencode()},
    )
