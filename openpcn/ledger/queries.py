"""Ledger reports: trial balance, balances per organisation and fund, income and expenditure, and
statements. Every figure is a sum of postings (positive debits, negative credits)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round

from openpcn.ledger.models import Account, Fund, Journal, Posting
from openpcn.organisations.models import Organisation

ZERO = Decimal("0.00")
INCOME = "income"  # AccountKind.INCOME
EXPENSE = "expense"  # AccountKind.EXPENSE
_MONEY = DecimalField(max_digits=16, decimal_places=2)


def pennies(field: str = "amount") -> Cast:
    """A posting amount as whole pence, so sums are exact on every backend.

    SQLite keeps decimals with REAL affinity and sums them in floating point; whole pence are
    integers there and sum exactly (PostgreSQL's numeric is exact either way).
    """
    hundredfold = ExpressionWrapper(F(field) * Value(100), output_field=_MONEY)
    return Cast(Round(hundredfold), BigIntegerField())


def to_pounds(total_pence: int | None) -> Decimal:
    return (Decimal(total_pence or 0) / 100).quantize(Decimal("0.01"))


def _sum(condition: Q) -> Coalesce:
    return Coalesce(
        Sum(Case(When(condition, then=pennies("postings__amount")), default=Value(0))),
        Value(0),
        output_field=BigIntegerField(),
    )


@dataclass(frozen=True)
class TrialBalanceRow:
    account: Account
    debits: Decimal  # the sum of the debit postings
    credits: Decimal  # the sum of the credit postings, as a positive number

    @property
    def balance(self) -> Decimal:
        return self.debits - self.credits

    @property
    def debit_balance(self) -> Decimal | None:
        return self.balance if self.balance > 0 else None

    @property
    def credit_balance(self) -> Decimal | None:
        return -self.balance if self.balance < 0 else None


@dataclass
class TrialBalance:
    on: dt.date | None
    rows: list[TrialBalanceRow] = field(default_factory=list)

    @property
    def total_debits(self) -> Decimal:
        return sum((r.debits for r in self.rows), ZERO)

    @property
    def total_credits(self) -> Decimal:
        return sum((r.credits for r in self.rows), ZERO)

    @property
    def total_debit_balances(self) -> Decimal:
        return sum((r.debit_balance or ZERO for r in self.rows), ZERO)

    @property
    def total_credit_balances(self) -> Decimal:
        return sum((r.credit_balance or ZERO for r in self.rows), ZERO)

    @property
    def difference(self) -> Decimal:
        """Debits minus credits over every account: zero in a sound ledger."""
        return self.total_debits - self.total_credits


def trial_balance(
    organisation_ids: Iterable[int] | None = None, *, on: dt.date | None = None
) -> TrialBalance:
    """Every account of the organisations (all when None) with its debits and credits up to `on`."""
    accounts = Account.objects.select_related("organisation")
    if organisation_ids is not None:
        accounts = accounts.filter(organisation_id__in=list(organisation_ids))
    dated = Q(postings__journal__date__lte=on) if on is not None else Q()
    rows = accounts.annotate(
        debits=_sum(dated & Q(postings__amount__gt=0)),
        credits=_sum(dated & Q(postings__amount__lt=0)),
    ).order_by("organisation__name", "organisation_id", "code")
    return TrialBalance(
        on=on,
        rows=[
            TrialBalanceRow(account=a, debits=to_pounds(a.debits), credits=-to_pounds(a.credits))
            for a in rows
        ],
    )


@dataclass(frozen=True)
class FundBalance:
    organisation: Organisation
    fund: str
    kind: str
    balance: Decimal  # debits minus credits

    @property
    def fund_label(self) -> str:
        return Fund(self.fund).label if self.fund in Fund.values else self.fund


def balances(
    organisation_ids: Iterable[int] | None = None, *, on: dt.date | None = None
) -> list[FundBalance]:
    """The balance of each organisation's accounts per fund and kind, up to `on`."""
    postings = Posting.objects.all()
    if organisation_ids is not None:
        postings = postings.filter(account__organisation_id__in=list(organisation_ids))
    if on is not None:
        postings = postings.filter(journal__date__lte=on)
    grouped = (
        postings.values("account__organisation_id", "account__fund", "account__kind")
        .annotate(balance=Sum(pennies()))
        .order_by("account__organisation_id", "account__fund", "account__kind")
    )
    orgs = Organisation.objects.in_bulk({g["account__organisation_id"] for g in grouped})
    return [
        FundBalance(
            organisation=orgs[g["account__organisation_id"]],
            fund=g["account__fund"],
            kind=g["account__kind"],
            balance=to_pounds(g["balance"]),
        )
        for g in grouped
    ]


@dataclass(frozen=True)
class IncomeAndExpenditure:
    organisation: Organisation
    fund: str
    income: Decimal  # credits minus debits on income accounts
    expenditure: Decimal  # debits minus credits on expense accounts

    @property
    def surplus(self) -> Decimal:
        return self.income - self.expenditure

    @property
    def fund_label(self) -> str:
        return Fund(self.fund).label if self.fund in Fund.values else self.fund


def income_and_expenditure(
    organisation_ids: Iterable[int] | None, start: dt.date, end: dt.date
) -> list[IncomeAndExpenditure]:
    """Income and expenditure per organisation (a PCN, a practice…) and stream, start to end inclusive."""
    postings = Posting.objects.filter(
        journal__date__gte=start,
        journal__date__lte=end,
        account__kind__in=[INCOME, EXPENSE],
    )
    if organisation_ids is not None:
        postings = postings.filter(account__organisation_id__in=list(organisation_ids))
    grouped = (
        postings.values("account__organisation_id", "account__fund", "account__kind")
        .annotate(total=Sum(pennies()))
        .order_by()
    )
    totals: dict[tuple[int, str], dict[str, Decimal]] = {}
    for g in grouped:
        key = (g["account__organisation_id"], g["account__fund"])
        totals.setdefault(key, {INCOME: ZERO, EXPENSE: ZERO})
        totals[key][g["account__kind"]] += to_pounds(g["total"])
    orgs = Organisation.objects.in_bulk({org_id for org_id, _ in totals})
    result = [
        IncomeAndExpenditure(
            organisation=orgs[org_id],
            fund=fund,
            income=-t[INCOME],
            expenditure=t[EXPENSE],
        )
        for (org_id, fund), t in totals.items()
    ]
    return sorted(result, key=lambda r: (r.organisation.name, r.organisation.pk, r.fund))


@dataclass(frozen=True)
class StatementLine:
    date: dt.date
    journal_id: int
    description: str
    reference: str
    account: Account
    amount: Decimal
    running: Decimal  # the organisation's net position on these accounts after this line

    @property
    def debit(self) -> Decimal | None:
        return self.amount if self.amount > 0 else None

    @property
    def credit(self) -> Decimal | None:
        return -self.amount if self.amount < 0 else None


@dataclass
class Statement:
    organisation: Organisation
    start: dt.date
    end: dt.date
    opening: Decimal
    lines: list[StatementLine]

    @property
    def total_debits(self) -> Decimal:
        return sum((line.debit or ZERO for line in self.lines), ZERO)

    @property
    def total_credits(self) -> Decimal:
        return sum((line.credit or ZERO for line in self.lines), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.total_debits - self.total_credits


def statement(
    organisation: Organisation,
    start: dt.date,
    end: dt.date,
    *,
    kinds: Iterable[str] = (INCOME, EXPENSE),
) -> Statement:
    """The postings on an organisation's accounts from start to end inclusive, in date order.

    By default the income and expense accounts: what the practice (or PCN) was paid and charged.
    The opening figure and the running column are debits minus credits on those accounts, so for
    income a negative figure is money earned.
    """
    kinds = list(kinds)
    postings = Posting.objects.filter(
        account__organisation=organisation, account__kind__in=kinds
    ).select_related("journal", "account")
    opening = to_pounds(
        postings.filter(journal__date__lt=start).aggregate(total=Sum(pennies()))["total"]
    )
    running = opening or ZERO
    lines = []
    for p in postings.filter(journal__date__gte=start, journal__date__lte=end).order_by(
        "journal__date", "journal_id", "pk"
    ):
        running += p.amount
        lines.append(
            StatementLine(
                date=p.journal.date,
                journal_id=p.journal_id,
                description=p.journal.description,
                reference=p.journal.reference,
                account=p.account,
                amount=p.amount,
                running=running,
            )
        )
    return Statement(
        organisation=organisation, start=start, end=end, opening=opening or ZERO, lines=lines
    )


def latest_posting_date(organisation: Organisation) -> dt.date | None:
    """The date of the latest journal touching the organisation's income or expense accounts."""
    return (
        Posting.objects.filter(
            account__organisation=organisation, account__kind__in=[INCOME, EXPENSE]
        )
        .order_by("-journal__date")
        .values_list("journal__date", flat=True)
        .first()
    )


def recent_journals(organisation_ids: Iterable[int], limit: int = 20) -> list[Journal]:
    """The latest journals that touch only these organisations, newest first."""
    ids = list(organisation_ids)
    outside = Posting.objects.exclude(account__organisation_id__in=ids).values("journal_id")
    return list(
        Journal.objects.filter(postings__account__organisation_id__in=ids)
        .exclude(pk__in=outside)
        .distinct()
        .order_by("-date", "-pk")[:limit]
    )
