"""The PCN's Network Agreement: the version in force with each schedule, who has signed, the
version history and the Word export (ORGANISATION_VIEW); drafting, editing and recording
signatures for PCN managers (AGREEMENT_MANAGE; the forms 404 for everyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import get_organisation_or_404, has_permission
from openpcn.agreements import actions, queries
from openpcn.agreements.export import agreement_docx
from openpcn.agreements.forms import DraftForm, SchedulesForm, SignatureForm
from openpcn.agreements.models import SCHEDULE_FIELDS, SCHEDULE_LABELS, NetworkAgreement
from openpcn.organisations.models import Organisation, OrganisationKind, Person

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _network(request: HttpRequest, pk: int, permission: Permission = queries.READ) -> Organisation:
    return get_organisation_or_404(
        request.user,  # type: ignore[arg-type]
        permission,
        pk=pk,
        kind=OrganisationKind.NETWORK,
    )


def _agreement(
    request: HttpRequest, pk: int, permission: Permission = queries.READ
) -> NetworkAgreement:
    agreement = NetworkAgreement.objects.filter(pk=pk).first()
    if agreement is None:
        raise Http404("No such agreement")
    # Out of the user's scope is a 404, exactly as a missing agreement is.
    agreement.network = _network(request, agreement.network_id, permission)
    return agreement


def _page(
    request: HttpRequest, network: Organisation, agreement: NetworkAgreement | None
) -> HttpResponse:
    draft = queries.open_draft(network)
    return render(
        request,
        "agreements/agreement.jinja",
        {
            "network": network,
            "agreement": agreement,
            "view": queries.agreement_view(agreement) if agreement else None,
            "versions": queries.versions_of(network),
            "draft": draft if draft and draft != agreement else None,
            "labels": SCHEDULE_LABELS,
            "can_manage": has_permission(
                request.user,  # type: ignore[arg-type]
                Permission.AGREEMENT_MANAGE,
                organisation=network,
            ),
            "can_view_finance": has_permission(
                request.user,  # type: ignore[arg-type]
                Permission.FINANCE_VIEW,
                organisation=network,
            ),
        },
    )


@login_required
def network_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """The PCN's agreement in force (or its first draft, before any is signed)."""
    network = _network(request, pk)
    return _page(request, network, queries.current_agreement(network))


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    return _page(request, agreement.network, agreement)


@login_required
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    network = _network(request, pk, Permission.AGREEMENT_MANAGE)
    latest = queries.versions_of(network)[:1]
    initial = {name: getattr(latest[0], name) for name in SCHEDULE_FIELDS} if latest else {}
    form = DraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = actions.draft_agreement(
                by=request.user,
                network=network,
                effective_from=form.cleaned_data["effective_from"],
                **form.schedules(),
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        except PermissionDenied as error:
            raise Http404("No such PCN") from error
        else:
            messages.success(request, f"Drafted version {agreement.version}: record signatures.")
            return redirect("agreements:detail", agreement.pk)
    return render(
        request,
        "agreements/form.jinja",
        {"network": network, "agreement": None, "form": form, "fields": SCHEDULE_FIELDS},
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk, Permission.AGREEMENT_MANAGE)
    initial = {name: getattr(agreement, name) for name in SCHEDULE_FIELDS}
    form = SchedulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_schedules(by=request.user, agreement=agreement, **form.schedules())
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        except PermissionDenied as error:
            raise Http404("No such agreement") from error
        else:
            messages.success(request, f"Saved the schedules of version {agreement.version}.")
            return redirect("agreements:detail", agreement.pk)
    return render(
        request,
        "agreements/form.jinja",
        {
            "network": agreement.network,
            "agreement": agreement,
            "form": form,
            "fields": SCHEDULE_FIELDS,
        },
    )


@login_required
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a partner of a member practice signed a draft for their practice."""
    agreement = _agreement(request, pk, Permission.AGREEMENT_MANAGE)
    view = queries.agreement_view(agreement)
    outstanding = [
        (f"{practice.pk}:{person.pk}", f"{person} for {practice.name}")
        for practice, person in view.outstanding
    ]
    form = SignatureForm(
        request.POST or None,
        initial={"signed_on": timezone.localdate()},
        outstanding=outstanding,
    )
    if request.method == "POST" and form.is_valid():
        practice_pk, person_pk = (int(x) for x in form.cleaned_data["signatory"].split(":"))
        practice = next(p for p, _ in view.outstanding if p.pk == practice_pk)
        try:
            actions.record_signature(
                by=request.user,
                agreement=agreement,
                person=Person.objects.get(pk=person_pk),
                practice=practice,
                signed_on=form.cleaned_data["signed_on"],
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        except PermissionDenied as error:
            raise Http404("No such agreement") from error
        else:
            agreement.refresh_from_db()
            messages.success(
                request,
                f"Version {agreement.version} is signed by every partner."
                if not agreement.is_draft
                else "Signature recorded.",
            )
            return redirect("agreements:detail", agreement.pk)
    return render(
        request,
        "agreements/sign.jinja",
        {"network": agreement.network, "agreement": agreement, "view": view, "form": form},
    )


@login_required
def export_docx(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    body = agreement_docx(queries.agreement_view(agreement))
    name = f"network-agreement-{agreement.network.ods_code or agreement.network.pk}"
    response = HttpResponse(body, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}-v{agreement.version}.docx"'
    return response
