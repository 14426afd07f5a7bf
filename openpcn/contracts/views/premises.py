"""Recording how a site is held: owned, or leased under a lease in the register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.contracts import actions, queries
from openpcn.contracts.models import ContractKind
from openpcn.contracts.premises_form import PremisesForm
from openpcn.organisations.models import Organisation, Site


@login_required
def record(request: HttpRequest) -> HttpResponse:
    managed = covered_organisation_ids(request.user, Permission.CONTRACT_MANAGE)
    if not managed:
        raise Http404("You do not manage any premises")
    sites = {
        s.pk: s
        for s in Site.objects.filter(organisation_id__in=managed)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    }
    leases = {
        c.pk: c for c in queries.visible_contracts(request.user).filter(kind=ContractKind.LEASE)
    }
    owners = Organisation.objects.filter(pk__in=managed).order_by("name")
    initial = {}
    chosen = request.GET.get("site", "")
    if chosen.isdigit() and int(chosen) in sites:
        initial["site"] = chosen
    form = PremisesForm(
        request.POST or None,
        initial=initial,
        sites=[(pk, f"{s.name} ({s.organisation.name})") for pk, s in sites.items()],
        owners=[(o.pk, o.name) for o in owners],
        leases=[(pk, str(c)) for pk, c in leases.items()],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        site = sites[int(data["site"])]
        try:
            actions.record_premises(
                by=request.user,
                site=site,
                tenure=data["tenure"],
                owner=Organisation.objects.get(pk=int(data["owner"])) if data["owner"] else None,
                lease=leases[int(data["lease"])] if data["lease"] else None,
                landlord=data["landlord"],
                annual_rent=data["annual_rent"],
                break_dates=data["break_dates"],
                notes=data["notes"],
            )
        except PermissionDenied:
            form.add_error("site", "You may not manage the premises of that site")
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, f"Recorded how {site.name} is held")
            return redirect("contracts:premises")
    return render(request, "contracts/premises_form.jinja", {"form": form})
