"""The double-entry ledger: accounts per organisation and fund, journals of balanced postings.

Amounts are one signed `Decimal` column in pounds to the penny (two decimal places): a positive
amount is a debit, a negative amount a credit. A journal's postings sum to zero for every
organisation it touches (so the whole journal sums to zero too, and every organisation's trial
balance does); a zero amount is never posted.

Journals and postings are append-only, as audit events are: the model refuses to save a second
time or to delete, the queryset refuses `update()` and `delete()`, and a database trigger refuses
UPDATE (and, on PostgreSQL, DELETE). A mistake is corrected by a reversing journal (`reverses`),
at most one per journal. Balances are never stored: they are sums of postings, so concurrent
postings never read-modify-write a row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class LedgerIsAppendOnly(Exception):
    pass


class AccountKind(models.TextChoices):
    ASSET = "asset", "Asset"
    LIABILITY = "liability", "Liability"
    EQUITY = "equity", "Equity"
    INCOME = "income", "Income"
    EXPENSE = "expense", "Expense"


class Fund(models.TextChoices):
    """The stream of money an account belongs to (the payment streams of the PCN DES, and the rest)."""

    CORE = "core", "Core PCN funding"
    CLINICAL_DIRECTOR = "clinical_director", "Clinical Director"
    LEADERSHIP = "leadership", "Leadership and management"
    ENHANCED_ACCESS = "enhanced_access", "Enhanced Access"
    CARE_HOME = "care_home", "Care home premium"
    CAPACITY_ACCESS = "capacity_access", "Capacity and access"
    ARRS = "arrs", "Additional Roles (ARRS)"
    RETAINED = "retained", "Retained for PCN costs"
    GENERAL = "general", "General"


class Account(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="ledger_accounts"
    )
    fund = models.CharField(max_length=40, choices=Fund.choices)
    kind = models.CharField(max_length=16, choices=AccountKind.choices)
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="ledger_account_code_unique_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class _AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise LedgerIsAppendOnly("Ledger entries cannot be changed; post a reversing journal")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise LedgerIsAppendOnly("Ledger entries cannot be deleted; post a reversing journal")


class _AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise LedgerIsAppendOnly("Ledger entries cannot be changed; post a reversing journal")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise LedgerIsAppendOnly("Ledger entries cannot be deleted; post a reversing journal")


class Journal(_AppendOnly):
    date = models.DateField(db_index=True)
    description = models.CharField(max_length=255)
    reference = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The journal this one reverses; one-to-one, so a journal is reversed at most once.
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )

    objects = _AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.description}"


class Posting(_AppendOnly):
    """One line of a journal: a positive amount debits the account, a negative amount credits it."""

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    objects = _AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["journal", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_posting_amount_not_zero")
        ]

    def __str__(self) -> str:
        side = "Dr" if self.amount > 0 else "Cr"
        return f"{side} {self.account_id} {abs(self.amount)}"

    @property
    def debit(self):  # type: ignore[no-untyped-def]
        return self.amount if self.amount > 0 else None

    @property
    def credit(self):  # type: ignore[no-untyped-def]
        return -self.amount if self.amount < 0 else None
