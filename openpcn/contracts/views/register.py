"""The contracts register: the list, one contract with its obligations, sub-contracts and
documents, recording a contract, and uploading or downloading a document."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.contracts import actions, queries
from openpcn.contracts.forms import ContractForm, DelegationForm, DocumentForm, ObligationForm
from openpcn.contracts.models import ContractDocument, ContractKind, Obligation
from openpcn.core import uploads
from openpcn.organisations.models import Organisation, Site


def _require_viewer(request: HttpRequest) -> set[int]:
    scope = covered_organisation_ids(request.user, Permission.CONTRACT_VIEW)  # type: ignore[arg-type]
    if not scope:
        raise Http404("No contracts to show")
    return scope


@login_required
def register(request: HttpRequest) -> HttpResponse:
    _require_viewer(request)
    contracts = queries.visible_contracts(request.user)
    kind = request.GET.get("kind", "")
    if kind in ContractKind.values:
        contracts = contracts.filter(kind=kind)
    return render(
        request,
        "contracts/register.jinja",
        {
            "contracts": list(contracts),
            "kinds": ContractKind.choices,
            "kind": kind,
            "can_record": bool(
                covered_organisation_ids(request.user, Permission.CONTRACT_MANAGE)  # type: ignore[arg-type]
            ),
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = queries.contract_or_404(request.user, pk)
    can_manage = actions.may_manage(request.user, contract)
    obligations = list(contract.obligations.prefetch_related("delegations__subcontract__holder"))
    taken_on = list(
        contract.delegations_taken.select_related("obligation__contract").order_by("obligation")
    )
    delegation_form = None
    if can_manage and contract.parent_id is not None:
        carried = Obligation.objects.filter(
            contract_id=contract.parent_id
        ) | Obligation.objects.filter(delegations__subcontract_id=contract.parent_id)
        delegation_form = DelegationForm(obligations=[(o.pk, str(o)) for o in carried.distinct()])
    return render(
        request,
        "contracts/detail.jinja",
        {
            "contract": contract,
            "obligations": obligations,
            "taken_on": taken_on,
            "subcontracts": list(queries.visible_contracts(request.user).filter(parent=contract)),
            "documents": list(contract.documents.all()),
            "can_manage": can_manage,
            "obligation_form": ObligationForm() if can_manage else None,
            "document_form": DocumentForm() if can_manage else None,
            "delegation_form": delegation_form,
        },
    )


def _form_choices(request: HttpRequest) -> dict[str, Any]:
    manage = covered_organisation_ids(request.user, Permission.CONTRACT_MANAGE)  # type: ignore[arg-type]
    if not manage:
        raise Http404("You record no contracts")
    managed = Organisation.objects.filter(pk__in=manage).order_by("name")
    alliances = {o.pk if o.alliance_id is None else o.alliance_id for o in managed}
    parties = Organisation.objects.filter(pk__in=alliances) | Organisation.objects.filter(
        alliance_id__in=alliances
    )
    return {
        "holders": [(o.pk, o.name) for o in parties.order_by("name")],
        "counterparties": [(o.pk, o.name) for o in parties.order_by("name")],
        "parents": [
            (c.pk, f"{c.title} ({c.holder_name})") for c in queries.visible_contracts(request.user)
        ],
        "sites": [
            (s.pk, f"{s.name} ({s.organisation.name})")
            for s in Site.objects.filter(organisation__in=parties).select_related("organisation")
        ],
    }


@login_required
def new(request: HttpRequest) -> HttpResponse:
    form = ContractForm(request.POST or None, **_form_choices(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parent = (
            queries.contract_or_404(request.user, int(data["parent"])) if data["parent"] else None
        )
        try:
            contract = actions.record_contract(
                by=request.user,
                kind=data["kind"],
                title=data["title"],
                reference=data["reference"],
                holder=Organisation.objects.get(pk=int(data["holder"])),
                holder_label=data["holder_label"],
                counterparty=Organisation.objects.get(pk=int(data["counterparty"]))
                if data["counterparty"]
                else None,
                counterparty_name=data["counterparty_name"],
                parent=parent,
                start_date=data["start_date"],
                end_date=data["end_date"],
                annual_value=data["annual_value"],
                notice_months=data["notice_months"],
                renewal_date=data["renewal_date"],
                site=Site.objects.get(pk=int(data["site"])) if data["site"] else None,
            )
        except PermissionDenied:
            form.add_error("holder", "You may not record contracts for that holder")
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, f"Recorded: {contract}")
            return redirect("contracts:detail", contract.pk)
    return render(request, "contracts/new.jinja", {"form": form})


@login_required
@require_POST
def add_document(request: HttpRequest, pk: int) -> HttpResponse:
    contract = queries.contract_or_404(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > uploads.MAX_BYTES:
            messages.error(
                request, f"{upload.name}: over the {uploads.MAX_BYTES // 1_048_576} MB limit"
            )
            return redirect("contracts:detail", contract.pk)
        try:
            actions.add_document(
                by=request.user,
                contract=contract,
                filename=upload.name,
                content=upload.read(),
                kind=form.cleaned_data["kind"],
            )
        except PermissionDenied as error:
            raise Http404("No such contract") from error
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{upload.name} kept with the contract.")
    else:
        messages.error(request, "Choose a file to upload.")
    return redirect("contracts:detail", contract.pk)


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    document = ContractDocument.objects.filter(pk=pk).select_related("contract").first()
    if document is None:
        raise Http404("No such document")
    queries.contract_or_404(request.user, document.contract_id)
    response = HttpResponse(uploads.read(document.path), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
