"""Move a practice to another PCN: the old membership is ended, not overwritten."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import get_organisation_or_404, organisations_for
from openpcn.organisations import actions, queries
from openpcn.organisations.forms import JoinNetworkForm
from openpcn.organisations.models import OrganisationKind


@login_required
def move(request: HttpRequest, pk: int) -> HttpResponse:
    practice = get_organisation_or_404(
        request.user, Permission.ORGANISATION_VIEW, pk=pk, kind=OrganisationKind.PRACTICE
    )
    networks = organisations_for(request.user, Permission.NETWORK_MEMBERSHIP_MANAGE).filter(
        kind=OrganisationKind.NETWORK
    )
    if not networks.exists():
        raise Http404("No PCN you can manage")
    form = JoinNetworkForm(request.POST or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        try:
            actions.join_network(
                by=request.user,
                practice=practice,
                network=form.cleaned_data["network"],
                start_date=form.cleaned_data["start_date"],
            )
        except ValidationError as error:
            form.add_error("start_date", error)
        else:
            messages.success(request, f"{practice.name} moves to {form.cleaned_data['network']}.")
            return redirect("organisations:detail", pk=practice.pk)
    return render(
        request,
        "organisations/move.jinja",
        {"practice": practice, "form": form, "current": queries.current_network(practice)},
    )
