"""Every write to the contracts register: checked, in a transaction, and audited.

A contract is managed by whoever holds CONTRACT_MANAGE over its holder, or over its counterparty
when that is in the registry (a practice records the sub-contract it lets to the alliance).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import has_permission
from openpcn.contracts.models import (
    Contract,
    ContractDocument,
    ContractKind,
    Delegation,
    Obligation,
    ObligationStatus,
    Premises,
    Tenure,
)
from openpcn.core import audit, uploads
from openpcn.organisations.models import Organisation, OrganisationKind


def may_manage(by: Any, contract: Contract) -> bool:
    if by is None:
        return True
    parties = [contract.holder] + ([contract.counterparty] if contract.counterparty else [])
    return any(
        has_permission(by, Permission.CONTRACT_MANAGE, organisation=party) for party in parties
    )


def _require_manage(by: Any, contract: Contract) -> None:
    if not may_manage(by, contract):
        raise PermissionDenied(f"{by} may not manage {contract}")


def alliance_of(organisation: Organisation) -> Organisation:
    if organisation.kind == OrganisationKind.ALLIANCE:
        return organisation
    if organisation.alliance is None:
        raise ValidationError(f"{organisation} belongs to no alliance")
    return organisation.alliance


@transaction.atomic
def record_contract(
    *,
    by: Any,
    kind: str,
    title: str,
    holder: Organisation,
    start_date: dt.date,
    counterparty: Organisation | None = None,
    counterparty_name: str = "",
    holder_label: str = "",
    parent: Contract | None = None,
    end_date: dt.date | None = None,
    annual_value: Decimal | None = None,
    notice_months: int = 0,
    renews_automatically: bool = False,
    renewal_date: dt.date | None = None,
    reference: str = "",
    site: Any = None,
    notes: str = "",
) -> Contract:
    title, counterparty_name = title.strip(), counterparty_name.strip()
    if kind not in ContractKind.values:
        raise ValidationError(f"Unknown kind of contract {kind!r}")
    if not title:
        raise ValidationError("A contract needs a title")
    if counterparty is None and not counterparty_name:
        raise ValidationError("Name the counterparty: who the holder answers to")
    if end_date is not None and end_date < start_date:
        raise ValidationError("The contract cannot end before it starts")
    if (kind == ContractKind.SUBCONTRACT) != (parent is not None):
        raise ValidationError(
            "A sub-contract names the contract it takes obligations from, and only a sub-contract does"
        )
    alliance = alliance_of(holder)
    if counterparty is not None and alliance_of(counterparty) != alliance:
        raise ValidationError("Both parties in the registry must belong to the same alliance")
    if parent is not None:
        if parent.alliance_id != alliance.pk:
            raise ValidationError("The parent contract belongs to another alliance")
        if counterparty is None or counterparty.pk != parent.holder_id:
            raise ValidationError(
                f"A sub-contract of “{parent}” answers to its holder, {parent.holder_name}: "
                "make them the counterparty"
            )
    contract = Contract(
        alliance=alliance,
        kind=kind,
        title=title[:200],
        reference=reference.strip()[:100],
        holder=holder,
        holder_label=holder_label.strip()[:200],
        counterparty=counterparty,
        counterparty_name=counterparty_name[:200],
        parent=parent,
        start_date=start_date,
        end_date=end_date,
        annual_value=annual_value,
        notice_months=notice_months,
        renews_automatically=renews_automatically,
        renewal_date=renewal_date,
        site=site,
        notes=notes.strip(),
    )
    _require_manage(by, contract)
    contract.save()
    audit.record(
        by=by,
        action="record_contract",
        obj=contract,
        organisation=holder,
        after=audit.snapshot(contract),
    )
    return contract


@transaction.atomic
def add_obligation(
    *,
    by: Any,
    contract: Contract,
    clause: str,
    description: str,
    due_date: dt.date | None = None,
    recurrence: str = "",
    evidence: str = "",
) -> Obligation:
    _require_manage(by, contract)
    if not clause.strip() or not description.strip():
        raise ValidationError("An obligation needs its clause and what must be delivered")
    obligation = Obligation.objects.create(
        contract=contract,
        clause=clause.strip()[:60],
        description=description.strip()[:300],
        due_date=due_date,
        recurrence=recurrence.strip()[:100],
        evidence=evidence.strip(),
    )
    audit.record(
        by=by,
        action="add_obligation",
        obj=obligation,
        organisation=contract.holder,
        after=audit.snapshot(obligation),
    )
    return obligation


@transaction.atomic
def report_on_obligation(
    *, by: Any, obligation: Obligation, status: str, evidence: str = ""
) -> Obligation:
    """Record how an obligation stands (on track, at risk, breached, met) and the evidence."""
    obligation = (
        Obligation.objects.select_for_update()
        .select_related("contract__holder")
        .get(pk=obligation.pk)
    )
    contract = obligation.contract
    delivering = [d.subcontract for d in obligation.delegations.select_related("subcontract")]
    if not (may_manage(by, contract) or any(may_manage(by, s) for s in delivering)):
        raise PermissionDenied(f"{by} may not report on {obligation}")
    if status not in ObligationStatus.values:
        raise ValidationError(f"Unknown status {status!r}")
    before = audit.snapshot(obligation)
    obligation.status = status
    if evidence.strip():
        obligation.evidence = evidence.strip()
    obligation.save(update_fields=["status", "evidence"])
    audit.record(
        by=by,
        action="report_on_obligation",
        obj=obligation,
        organisation=contract.holder,
        before=before,
        after=audit.snapshot(obligation),
    )
    return obligation


@transaction.atomic
def delegate_obligation(
    *,
    by: Any,
    obligation: Obligation,
    subcontract: Contract,
    clause: str,
    in_whole: bool = True,
    part: str = "",
) -> Delegation:
    """Hand an obligation (or part of it) to a sub-contract's holder to deliver."""
    obligation = Obligation.objects.select_related("contract").get(pk=obligation.pk)
    _require_manage(by, subcontract)
    if subcontract.kind != ContractKind.SUBCONTRACT or subcontract.parent_id is None:
        raise ValidationError(f"“{subcontract}” is not a sub-contract")
    carriers = {obligation.contract_id} | set(
        obligation.delegations.values_list("subcontract_id", flat=True)
    )
    if subcontract.parent_id not in carriers:
        raise ValidationError(
            f"“{subcontract}” sub-contracts “{subcontract.parent}”, which does not carry "
            f"“{obligation.description}”"
        )
    if not clause.strip():
        raise ValidationError("Say which clause of the sub-contract takes it on")
    if not in_whole and not part.strip():
        raise ValidationError("Say which part of the obligation is sub-contracted")
    if Delegation.objects.filter(obligation=obligation, subcontract=subcontract).exists():
        raise ValidationError("That sub-contract already takes on this obligation")
    delegation = Delegation.objects.create(
        obligation=obligation,
        subcontract=subcontract,
        clause=clause.strip()[:60],
        in_whole=in_whole,
        part="" if in_whole else part.strip()[:300],
    )
    audit.record(
        by=by,
        action="delegate_obligation",
        obj=delegation,
        organisation=obligation.contract.holder,
        after=audit.snapshot(delegation),
    )
    return delegation


@transaction.atomic
def add_document(
    *, by: Any, contract: Contract, filename: str, content: bytes, kind: str = "contract"
) -> ContractDocument:
    _require_manage(by, contract)
    name = PurePath(filename.replace("\\", "/")).name or "document"
    content_type = uploads.sniff(name, content)
    path, digest = uploads.store("contracts", contract.pk, content, content_type)
    document = ContractDocument.objects.create(
        contract=contract,
        kind=kind.strip()[:40] or "contract",
        filename=name[:200],
        content_type=content_type,
        size=len(content),
        sha256=digest,
        path=path,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(
        by=by,
        action="add_contract_document",
        obj=document,
        organisation=contract.holder,
        after=audit.snapshot(document),
    )
    return document


@transaction.atomic
def record_premises(
    *,
    by: Any,
    site: Any,
    tenure: str,
    owner: Organisation | None = None,
    landlord: str = "",
    lease: Contract | None = None,
    annual_rent: Decimal | None = None,
    break_dates: list[dt.date] | None = None,
    notes: str = "",
) -> Premises:
    """Record (or replace) how a site is held."""
    if by is not None and not has_permission(
        by, Permission.CONTRACT_MANAGE, organisation=site.organisation
    ):
        raise PermissionDenied(f"{by} may not manage the premises of {site}")
    if tenure not in Tenure.values:
        raise ValidationError(f"Unknown tenure {tenure!r}")
    if tenure == Tenure.LEASED and (lease is None or lease.kind != ContractKind.LEASE):
        raise ValidationError("Leased premises are linked to their lease in the register")
    existing = Premises.objects.select_for_update().filter(site=site).first()
    before = audit.snapshot(existing)
    premises, _ = Premises.objects.update_or_create(
        site=site,
        defaults={
            "tenure": tenure,
            "owner": owner,
            "landlord": landlord.strip()[:200] or (lease.counterparty_label if lease else ""),
            "lease": lease,
            "annual_rent": annual_rent,
            "break_dates": ", ".join(d.isoformat() for d in sorted(break_dates or [])),
            "notes": notes.strip(),
        },
    )
    audit.record(
        by=by,
        action="record_premises",
        obj=premises,
        organisation=site.organisation,
        before=before,
        after=audit.snapshot(premises),
    )
    return premises
