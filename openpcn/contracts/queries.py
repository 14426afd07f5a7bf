"""Reads for the contracts pages, narrowed to what the user may see: a contract is visible to
CONTRACT_VIEW over its holder or its counterparty; anything else is a 404."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.contracts.accountability import Branch, ContractFacts, DelegationFacts, branches
from openpcn.contracts.models import Contract, Obligation, ObligationStatus, Premises


def _scope(user: Any) -> set[int]:
    return covered_organisation_ids(user, Permission.CONTRACT_VIEW)


def visible_contracts(user: Any) -> QuerySet[Contract]:
    scope = _scope(user)
    return (
        Contract.objects.filter(Q(holder_id__in=scope) | Q(counterparty_id__in=scope))
        .select_related("holder", "counterparty", "parent", "site")
        .order_by("holder__name", "kind", "title")
    )


def contract_or_404(user: Any, pk: int) -> Contract:
    contract = visible_contracts(user).filter(pk=pk).first()
    if contract is None:
        raise Http404("No such contract")
    return contract


def obligation_or_404(user: Any, pk: int) -> Obligation:
    obligation = (
        Obligation.objects.filter(pk=pk, contract__in=visible_contracts(user))
        .select_related("contract__holder", "contract__counterparty")
        .first()
    )
    if obligation is None:
        raise Http404("No such obligation")
    return obligation


def facts(contract: Contract) -> ContractFacts:
    answers_to = contract.counterparty_label
    parent = contract.parent
    if parent is not None and contract.counterparty_id == parent.holder_id:
        answers_to = parent.holder_name  # "The partners of …", as the parent contract names them
    return ContractFacts(
        contract.pk, contract.title, contract.holder_name, answers_to, parent.pk if parent else None
    )


def obligation_branches(obligation: Obligation) -> list[Branch]:
    delegations = [
        DelegationFacts(facts(d.subcontract), d.clause, d.in_whole, d.part)
        for d in obligation.delegations.select_related(
            "subcontract__holder", "subcontract__counterparty", "subcontract__parent__holder"
        )
    ]
    return branches(facts(obligation.contract), obligation.clause, delegations)


@dataclass
class MapRow:
    obligation: Obligation
    branches: list[Branch]


@dataclass
class MapContract:
    contract: Contract
    rows: list[MapRow]


def accountability_map(user: Any) -> list[MapContract]:
    """Every top-level contract the user sees, with each obligation's routes to delivery."""
    contracts = list(visible_contracts(user).filter(parent__isnull=True))
    obligations = Obligation.objects.filter(contract__in=contracts).select_related(
        "contract__holder", "contract__counterparty"
    )
    by_contract: dict[int, list[MapRow]] = {}
    for obligation in obligations:
        by_contract.setdefault(obligation.contract_id, []).append(
            MapRow(obligation, obligation_branches(obligation))
        )
    return [MapContract(c, by_contract.get(c.pk, [])) for c in contracts]


@dataclass
class Reminder:
    due: dt.date
    what: str
    contract: Contract


def reminders(user: Any, today: dt.date, horizon_days: int = 120) -> list[Reminder]:
    """Renewals, notice deadlines, contract ends and obligation due dates within the horizon
    (and anything already overdue), soonest first."""
    until = today + dt.timedelta(days=horizon_days)
    found: list[Reminder] = []
    for c in visible_contracts(user):
        if c.end_date is not None and c.notice_months:
            notice_by = _months_before(c.end_date, c.notice_months)
            if notice_by <= until and c.end_date >= today:
                found.append(
                    Reminder(notice_by, f"Last day to give notice ({c.notice_months} months)", c)
                )
        if c.end_date is not None and today <= c.end_date <= until:
            found.append(Reminder(c.end_date, "Contract ends", c))
        if c.renewal_date is not None and c.renewal_date <= until:
            found.append(Reminder(c.renewal_date, "Renewal", c))
    for o in (
        Obligation.objects.filter(contract__in=visible_contracts(user), due_date__lte=until)
        .exclude(status=ObligationStatus.MET)
        .select_related("contract")
    ):
        assert o.due_date is not None
        found.append(Reminder(o.due_date, f"Obligation due: {o.description}", o.contract))
    return sorted(found, key=lambda r: (r.due, r.contract.title))


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def visible_premises(user: Any) -> QuerySet[Premises]:
    return (
        Premises.objects.filter(site__organisation_id__in=_scope(user))
        .select_related("site__organisation", "owner", "lease")
        .order_by("site__organisation__name", "site__name")
    )
