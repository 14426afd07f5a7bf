"""Users and the roles they hold, for the people who manage access in their organisations."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openpcn.accounts import actions
from openpcn.accounts.forms import GrantMembershipForm, NewUserForm
from openpcn.accounts.models import Membership, User
from openpcn.accounts.permissions import Permission
from openpcn.accounts.roles import ROLES
from openpcn.accounts.scope import covered_organisation_ids, organisations_for


def _managed(request: HttpRequest) -> set[int]:
    scope = covered_organisation_ids(request.user, Permission.USER_MEMBERSHIP_MANAGE)
    if not scope:
        raise Http404("Nothing to manage")
    return scope


@login_required
def memberships(request: HttpRequest) -> HttpResponse:
    scope = _managed(request)
    organisations = organisations_for(request.user, Permission.USER_MEMBERSHIP_MANAGE)
    in_scope = Membership.objects.filter(organisation_id__in=scope)
    users = (
        User.objects.filter(memberships__organisation_id__in=scope)
        .distinct()
        .order_by("last_name", "first_name")
    )
    grant_form = GrantMembershipForm(users=users, organisations=organisations)
    new_user_form = NewUserForm(organisations=organisations)
    if request.method == "POST":
        if request.POST.get("form") == "new_user":
            new_user_form = NewUserForm(request.POST, organisations=organisations)
            if new_user_form.is_valid() and _create_user(request, new_user_form):
                return redirect("accounts:memberships")
        else:
            grant_form = GrantMembershipForm(request.POST, users=users, organisations=organisations)
            if grant_form.is_valid():
                data = grant_form.cleaned_data
                actions.grant_membership(
                    by=request.user,
                    user=data["user"],
                    organisation=data["organisation"],
                    role=data["role"],
                    start_date=data["start_date"],
                )
                messages.success(
                    request,
                    f"{data['user']} is now {ROLES[data['role']].name} at {data['organisation']}.",
                )
                return redirect("accounts:memberships")
    return render(
        request,
        "accounts/memberships.jinja",
        {
            "rows": in_scope.select_related("user", "organisation").order_by(
                "organisation__name", "user__last_name"
            ),
            "grant_form": grant_form,
            "new_user_form": new_user_form,
            "today": dt.date.today(),
        },
    )


def _create_user(request: HttpRequest, form: NewUserForm) -> bool:
    data = form.cleaned_data
    try:
        with transaction.atomic():
            user = actions.create_user(
                by=request.user,
                username=data["username"],
                password=data["password"],
                organisation=data["organisation"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
            actions.grant_membership(
                by=request.user,
                user=user,
                organisation=data["organisation"],
                role=data["role"],
                start_date=dt.date.today(),
            )
    except ValidationError as error:
        form.add_error("password", error)
        return False
    messages.success(request, f"Account {user.username} created.")
    return True


@login_required
@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=pk, organisation_id__in=_managed(request))
    actions.end_membership(by=request.user, membership=membership, end_date=dt.date.today())
    messages.success(request, f"Ended: {membership}.")
    return redirect("accounts:memberships")
