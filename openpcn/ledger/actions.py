"""Writes to the ledger. Each action checks permission, runs in a transaction and is audited.

Posting is insert-only: balances are sums of postings, never stored, so concurrent journals never
read-modify-write a row and need no locks. Reversing locks the journal it reverses, and the
one-to-one `reverses` key makes a second reversal impossible even in a race.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from openpcn.accounts.permissions import Permission
from openpcn.core import audit
from openpcn.core.actions import require_permission
from openpcn.ledger.models import Account, AccountKind, Fund, Journal, Posting
from openpcn.organisations.models import Organisation

PENNY = Decimal("0.01")
# Postings hold up to 14 digits, two of them pence.
LARGEST = Decimal("999999999999.99")


@transaction.atomic
def open_account(
    *, by: Any, organisation: Organisation, fund: str, kind: str, code: str, name: str
) -> Account:
    require_permission(by, Permission.FINANCE_MANAGE, organisation=organisation)
    if fund not in Fund.values:
        raise ValidationError(f"Unknown fund {fund!r}")
    if kind not in AccountKind.values:
        raise ValidationError(f"Unknown account kind {kind!r}")
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise ValidationError("An account needs a code and a name")
    if Account.objects.filter(organisation=organisation, code=code).exists():
        raise ValidationError(f"{organisation} already has an account {code}")
    account = Account.objects.create(
        organisation=organisation, fund=fund, kind=kind, code=code, name=name
    )
    audit.record(
        by=by,
        action="open_ledger_account",
        obj=account,
        organisation=organisation,
        after=audit.snapshot(account),
    )
    return account


def to_amount(value: Any) -> Decimal:
    """A posting amount: a Decimal (or int, or numeric string) to the penny, never a float."""
    if isinstance(value, float | bool):
        raise ValidationError("Amounts must be exact (Decimal), not floating point")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(f"{value!r} is not an amount") from error
    if not amount.is_finite():
        raise ValidationError(f"{value!r} is not an amount")
    if amount != amount.quantize(PENNY):
        raise ValidationError(f"{value} has more than two decimal places")
    if amount == 0:
        raise ValidationError("A posting cannot be zero")
    if abs(amount) > LARGEST:
        raise ValidationError(f"{value} is too large to post")
    return amount.quantize(PENNY)


@transaction.atomic
def post_journal(
    *,
    by: Any,
    date: dt.date,
    description: str,
    lines: Iterable[tuple[Account, Any]],
    reference: str = "",
) -> Journal:
    """Post a journal of (account, amount) lines: positive debits, negative credits.

    Refused (nothing written) unless there is at least one line, every amount is exact to the
    penny, the lines balance to zero for each organisation they touch, and `by` holds
    FINANCE_MANAGE over every one of those organisations.
    """
    return _post(
        by=by, date=date, description=description, lines=lines, reference=reference, reverses=None
    )


def _post(
    *,
    by: Any,
    date: dt.date,
    description: str,
    lines: Iterable[tuple[Account, Any]],
    reference: str,
    reverses: Journal | None,
) -> Journal:
    checked = [(account, to_amount(amount)) for account, amount in lines]
    if not checked:
        raise ValidationError("A journal needs at least one posting")
    if not isinstance(date, dt.date):
        raise ValidationError("A journal needs a date")
    description = description.strip()
    if not description:
        raise ValidationError("A journal needs a description")
    organisations: dict[int, Organisation] = {}
    per_organisation: dict[int, Decimal] = defaultdict(Decimal)
    for account, amount in checked:
        if account.pk is None:
            raise ValidationError("Post only to accounts that have been opened")
        organisations[account.organisation_id] = account.organisation
        per_organisation[account.organisation_id] += amount
    for org_id in sorted(organisations):
        require_permission(by, Permission.FINANCE_MANAGE, organisation=organisations[org_id])
    unbalanced = [organisations[k] for k, total in per_organisation.items() if total != 0]
    if unbalanced:
        total = sum(per_organisation.values(), Decimal("0"))
        raise ValidationError(
            f"The journal does not balance (debits minus credits £{total}) for "
            + ", ".join(str(o) for o in unbalanced)
        )
    journal = Journal.objects.create(
        date=date,
        description=description[:255],
        reference=reference.strip()[:100],
        created_by=by if getattr(by, "is_authenticated", False) else None,
        reverses=reverses,
    )
    Posting.objects.bulk_create(
        [Posting(journal=journal, account=account, amount=amount) for account, amount in checked]
    )
    for org_id in sorted(organisations):
        audit.record(
            by=by,
            action="reverse_journal" if reverses is not None else "post_journal",
            obj=journal,
            organisation=organisations[org_id],
            after={
                **(audit.snapshot(journal) or {}),
                "postings": [
                    {"account": a.code, "amount": str(amount)}
                    for a, amount in checked
                    if a.organisation_id == org_id
                ],
            },
        )
    return journal


@transaction.atomic
def reverse_journal(
    *, by: Any, journal: Journal, date: dt.date | None = None, description: str = ""
) -> Journal:
    """Post the mirror image of `journal` (every amount negated), once only."""
    original = Journal.objects.select_for_update().get(pk=journal.pk)
    if Journal.objects.filter(reverses=original).exists():
        raise ValidationError(f"Journal {original.pk} has already been reversed")
    if original.reverses_id is not None:
        raise ValidationError(
            "A reversing journal cannot itself be reversed; post a new journal instead"
        )
    postings: Sequence[Posting] = list(original.postings.select_related("account__organisation"))
    try:
        with transaction.atomic():
            return _post(
                by=by,
                date=date or original.date,
                description=description
                or f"Reversal of journal {original.pk}: {original.description}",
                lines=[(p.account, -p.amount) for p in postings],
                reference=original.reference,
                reverses=original,
            )
    except IntegrityError as error:  # another reversal won the race
        raise ValidationError(f"Journal {original.pk} has already been reversed") from error
