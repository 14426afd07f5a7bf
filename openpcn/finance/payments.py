"""A PCN's monthly payment run: the month's income and its payments to practices, as one journal.

For each stream, in the PCN's books: debit the bank (held by the nominated payee) and credit the
stream's income with what was received; debit "paid to practices" and credit the bank with what
was paid out (what is retained stays in the bank for PCN costs). In each recipient's books: debit
"received from <PCN>" and credit "PCN income: <stream>". So the journal balances for every
organisation it touches, and a practice's ledger statement is its PCN payments.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from openpcn.finance.distribution import MonthPlan
from openpcn.ledger import actions as ledger_actions
from openpcn.ledger.models import Account
from openpcn.organisations.models import Organisation

# Ledger funds (ledger.models.Fund) and account kinds (AccountKind), as their stored values.
ASSET, INCOME, EXPENSE, GENERAL = "asset", "income", "expense", "general"
# The fund of each Network Contract DES stream; any other stream is "general".
STREAM_FUNDS = {
    "core": "core",
    "clinical-director": "clinical_director",
    "leadership-management": "leadership",
    "enhanced-access": "enhanced_access",
    "care-home-premium": "care_home",
    "capacity-access": "capacity_access",
    "arrs": "arrs",
}

PCN_BANK = "1000"


def _account(
    by: Any, organisation: Organisation, code: str, name: str, kind: str, fund: str
) -> Account:
    """The organisation's account with this code, opened (through the audited action) if new."""
    account = Account.objects.filter(organisation=organisation, code=code).first()
    if account is None:
        account = ledger_actions.open_account(
            by=by, organisation=organisation, fund=fund, kind=kind, code=code, name=name
        )
    return account


def network_label(network: Organisation) -> str:
    return network.ods_code or str(network.pk)


def journal_lines(by: Any, network: Organisation, plan: MonthPlan) -> list[tuple[Account, Decimal]]:
    """The postings of the month's run, opening any account they need."""
    lines: list[tuple[Account, Decimal]] = []
    bank = _account(
        by,
        network,
        PCN_BANK,
        "Bank (held by the nominated payee for the PCN)",
        ASSET,
        GENERAL,
    )
    recipients = {
        o.pk: o
        for o in Organisation.objects.filter(pk__in={k for s in plan.streams for k in s.payments})
    }
    received_from_pcn: dict[int, Decimal] = defaultdict(Decimal)
    for stream in plan.streams:
        fund = STREAM_FUNDS.get(stream.code, GENERAL)
        if stream.received:
            income = _account(
                by,
                network,
                f"4000-{stream.code}",
                f"Income: {stream.name}",
                INCOME,
                fund,
            )
            lines += [(bank, stream.received), (income, -stream.received)]
        if stream.paid_out:
            paid = _account(
                by,
                network,
                f"5000-{stream.code}",
                f"Paid to practices: {stream.name}",
                EXPENSE,
                fund,
            )
            lines += [(paid, stream.paid_out), (bank, -stream.paid_out)]
        for key, amount in sorted(stream.payments.items()):
            recipient = recipients[key]
            income = _account(
                by,
                recipient,
                f"4100-{stream.code}",
                f"PCN income: {stream.name}",
                INCOME,
                fund,
            )
            lines.append((income, -amount))
            received_from_pcn[key] += amount
    for key, amount in sorted(received_from_pcn.items()):
        receivable = _account(
            by,
            recipients[key],
            f"1100-{network_label(network)}",
            f"Received from {network.name}",
            ASSET,
            GENERAL,
        )
        lines.append((receivable, amount))
    return lines
