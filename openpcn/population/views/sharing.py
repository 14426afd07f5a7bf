"""Data-sharing agreements: which practices' data may be used in PCN and alliance figures.

Practice managers (in their practice) and alliance admins record and withdraw agreements;
PCN and alliance roles that see the figures (ANALYTICS_VIEW) see the list read-only.
Every write goes through `population.actions`, which checks permission and audits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import (
    covered_organisation_ids,
    get_organisation_or_404,
    has_permission,
)
from openpcn.organisations.models import NetworkMembership, Organisation, OrganisationKind
from openpcn.population import actions
from openpcn.population.forms import AgreementForm, WithdrawForm
from openpcn.population.models import DataSharingAgreement


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@dataclass
class PracticeSharing:
    practice: Organisation
    network: Organisation | None
    can_manage: bool
    current: DataSharingAgreement | None = None
    open: DataSharingAgreement | None = None
    history: list[DataSharingAgreement] = field(default_factory=list)


def _practice_rows(user: object, today: dt.date) -> list[PracticeSharing]:
    manage = covered_organisation_ids(user, Permission.DATA_SHARING_MANAGE)  # type: ignore[arg-type]
    view = covered_organisation_ids(user, Permission.ANALYTICS_VIEW)  # type: ignore[arg-type]
    practices = list(
        Organisation.objects.filter(kind=OrganisationKind.PRACTICE, pk__in=manage | view).order_by(
            "name"
        )
    )
    networks = {
        m.practice_id: m.network
        for m in NetworkMembership.objects.current_on(today)
        .filter(practice__in=practices)
        .select_related("network")
    }
    rows = {
        p.pk: PracticeSharing(p, networks.get(p.pk), can_manage=p.pk in manage) for p in practices
    }
    agreements = (
        DataSharingAgreement.objects.filter(practice__in=practices)
        .select_related("recorded_by", "withdrawn_by")
        .order_by("-signed_on", "-recorded_at")
    )
    for agreement in agreements:
        row = rows[agreement.practice_id]
        if agreement.active_on(today) and row.current is None:
            row.current = agreement
        if agreement.withdrawn_on is None:
            row.open = agreement
        if agreement.withdrawn_on is not None:
            row.history.append(agreement)
    return list(rows.values())


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    today = dt.date.today()
    rows = _practice_rows(request.user, today)
    if not rows:
        raise Http404("No practices to show")
    return render(
        request,
        "population/sharing.jinja",
        {
            "rows": rows,
            "today": today,
            "can_manage_any": any(r.can_manage for r in rows),
        },
    )


@login_required
def agreement_new(request: HttpRequest, practice: int) -> HttpResponse:
    organisation = get_organisation_or_404(
        request.user,  # type: ignore[arg-type]
        Permission.DATA_SHARING_MANAGE,
        pk=practice,
        kind=OrganisationKind.PRACTICE,
    )
    open_agreement = DataSharingAgreement.objects.filter(
        practice=organisation, withdrawn_on__isnull=True
    ).first()
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_agreement(by=request.user, practice=organisation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        except PermissionDenied as error:
            raise Http404("No such practice") from error
        else:
            messages.success(
                request,
                f"The agreement for {organisation.name} is recorded. "
                "Its data is used in the figures it allows from the next refresh.",
            )
            return redirect("population:sharing")
    return render(
        request,
        "population/agreement_new.jinja",
        {"form": form, "practice": organisation, "open_agreement": open_agreement},
    )


def _get_agreement_or_404(request: HttpRequest, pk: int) -> DataSharingAgreement:
    agreement = (
        DataSharingAgreement.objects.select_related("practice", "recorded_by").filter(pk=pk).first()
    )
    if agreement is None or not has_permission(
        request.user,  # type: ignore[arg-type]
        Permission.DATA_SHARING_MANAGE,
        organisation=agreement.practice,
    ):
        raise Http404("No such agreement")
    return agreement


@login_required
def agreement_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _get_agreement_or_404(request, pk)
    if agreement.withdrawn_on is not None:
        messages.info(request, "This agreement has already been withdrawn.")
        return redirect("population:sharing")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.withdraw_agreement(
                by=request.user,
                agreement=agreement,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        except PermissionDenied as error:
            raise Http404("No such agreement") from error
        else:
            messages.success(
                request,
                f"The agreement for {agreement.practice.name} is withdrawn: its data leaves PCN "
                "and alliance figures at the next refresh.",
            )
            return redirect("population:sharing")
    return render(
        request,
        "population/agreement_withdraw.jinja",
        {"form": form, "agreement": agreement},
    )
