"""Network Agreements: each PCN's current version with its schedules and signatures, the versions
before it, the PDF export, and (CONTRACT_MANAGE over the PCN) drafting and recording signatures."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids, get_organisation_or_404, has_permission
from openpcn.contracts import agreement_actions
from openpcn.contracts.agreements import agreement_view, export_pdf
from openpcn.contracts.models import DirectorVoting, NetworkAgreement, QuorumBasis
from openpcn.organisations.models import Organisation, OrganisationKind, Person


def _network(request: HttpRequest, pk: int) -> Organisation:
    return get_organisation_or_404(
        request.user,  # type: ignore[arg-type]
        Permission.CONTRACT_VIEW,
        pk=pk,
        kind=OrganisationKind.NETWORK,
    )


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    scope = covered_organisation_ids(request.user, Permission.CONTRACT_VIEW)  # type: ignore[arg-type]
    networks = list(
        Organisation.objects.filter(pk__in=scope, kind=OrganisationKind.NETWORK).order_by("name")
    )
    if not networks:
        raise Http404("No Network Agreements to show")
    latest = {}
    for agreement in NetworkAgreement.objects.filter(network__in=networks).order_by("version"):
        latest[agreement.network_id] = agreement
    return render(
        request,
        "contracts/agreements.jinja",
        {"rows": [(n, latest.get(n.pk)) for n in networks]},
    )


@login_required
def network_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    network = _network(request, pk)
    versions = list(NetworkAgreement.objects.filter(network=network).prefetch_related("signatures"))
    current = versions[0] if versions else None
    can_manage = has_permission(request.user, Permission.CONTRACT_MANAGE, organisation=network)  # type: ignore[arg-type]
    return render(
        request,
        "contracts/agreement.jinja",
        {
            "network": network,
            "view": agreement_view(current) if current else None,
            "versions": versions,
            "can_manage": can_manage,
            "can_see_finance": has_permission(
                request.user,
                Permission.FINANCE_VIEW,
                organisation=network,  # type: ignore[arg-type]
            ),
            "today": timezone.localdate(),
            "voting_choices": DirectorVoting.choices,
            "quorum_choices": QuorumBasis.choices,
        },
    )


@login_required
@require_POST
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    network = _network(request, pk)
    try:
        effective_from = dt.date.fromisoformat(request.POST.get("effective_from", ""))
    except ValueError:
        messages.error(request, "Give the date the new version takes effect, as YYYY-MM-DD.")
        return redirect("contracts:agreement", network.pk)
    texts = {
        name: request.POST[name]
        for name in agreement_actions.SCHEDULE_FIELDS
        if request.POST.get(name, "").strip()
    }
    terms = {
        name: request.POST[name]
        for name in agreement_actions.DIRECTOR_TERMS
        if request.POST.get(name, "").strip()
    }
    try:
        agreement = agreement_actions.draft_agreement(
            by=request.user,
            network=network,
            effective_from=effective_from,
            director_terms=terms,
            **texts,
        )
    except PermissionDenied as error:
        raise Http404("No such PCN") from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Version {agreement.version} drafted: partners can now sign it.")
    return redirect("contracts:agreement", network.pk)


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = NetworkAgreement.objects.filter(pk=pk).select_related("network").first()
    if agreement is None:
        raise Http404("No such agreement")
    network = _network(request, agreement.network_id)
    choice = request.POST.get("signatory", "")
    practice_pk, _, person_pk = choice.partition(":")
    practice = (
        Organisation.objects.filter(pk=practice_pk).first() if practice_pk.isdigit() else None
    )
    person = Person.objects.filter(pk=person_pk).first() if person_pk.isdigit() else None
    try:
        signed_on = dt.date.fromisoformat(request.POST.get("signed_on", ""))
        if practice is None or person is None:
            raise ValidationError("Choose the partner who signed")
        agreement_actions.record_signature(
            by=request.user,
            agreement=agreement,
            person=person,
            practice=practice,
            signed_on=signed_on,
        )
    except PermissionDenied as error:
        raise Http404("No such agreement") from error
    except ValueError:
        messages.error(request, "Give the date it was signed, as YYYY-MM-DD.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Signature recorded: {person} for {practice}.")
    return redirect("contracts:agreement", network.pk)


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = NetworkAgreement.objects.filter(pk=pk).select_related("network").first()
    if agreement is None:
        raise Http404("No such agreement")
    _network(request, agreement.network_id)
    response = HttpResponse(export_pdf(agreement_view(agreement)), content_type="application/pdf")
    code = agreement.network.ods_code or agreement.network_id
    response["Content-Disposition"] = (
        f'attachment; filename="network-agreement-{code}-v{agreement.version}.pdf"'
    )
    return response
