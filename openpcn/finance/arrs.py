"""ARRS claims: what a PCN may claim each month for each ARRS-funded person, and the year's forecast.

The rules (nhs-rules.md §1, "ARRS rules"):
- a person's month is the share of the month their contract covers (days covered / days in the
  month; a contract runs from its start date up to, not including, its end date);
- actual cost for the month = (salary + employer NI + employer pension) / 12 × that share;
- the cap for the month = the role maximum valid on the 1st of the month (per WTE a year, incl.
  on-costs) × WTE / 12 × that share; a role with no maximum recorded is claimed at actual cost
  and flagged;
- the claim = the lower of the two, each rounded to pennies (ROUND_HALF_UP);
- the forecast is the year's claims for the contracts as recorded (open-ended ones run to March),
  against the PCN's ARRS entitlement: a warning when more than `UNCLAIMED_WARNING_SHARE` of the
  entitlement would go unclaimed (unused ARRS money is lost) or when claims exceed it.

The calculation works on plain data; `network_forecast` reads it from the database.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from openpcn.finance.entitlements import FinancialYear, network_entitlement, pennies

# A planning threshold, not an NHS rate: below 95% of the sum, say so while it can still be spent.
UNCLAIMED_WARNING_SHARE = Decimal("0.05")


@dataclass(frozen=True)
class ArrsContract:
    key: int
    person: str
    role_code: str
    role_name: str
    employer: str
    wte: Decimal
    start: dt.date
    end: dt.date | None  # first day no longer employed
    annual_cost: Decimal
    employer_id: int = 0  # the organisation paid for this person's claims


@dataclass(frozen=True)
class RoleMaximum:
    role_code: str
    valid_from: dt.date
    valid_to: dt.date | None
    annual_maximum: Decimal

    def applies_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True)
class MonthClaim:
    month: dt.date
    days: int
    days_in_month: int
    actual_cost: Decimal
    maximum: Decimal | None  # the cap for this month, pro rata; None when no maximum is recorded
    claim: Decimal

    @property
    def capped(self) -> bool:
        return self.maximum is not None and self.maximum < self.actual_cost


@dataclass(frozen=True)
class PersonClaims:
    contract: ArrsContract
    months: tuple[MonthClaim, ...]

    @property
    def total(self) -> Decimal:
        return sum((m.claim for m in self.months), Decimal("0"))

    @property
    def actual_cost(self) -> Decimal:
        return sum((m.actual_cost for m in self.months), Decimal("0"))

    @property
    def uncapped_months(self) -> int:
        return sum(1 for m in self.months if m.maximum is None)

    @property
    def capped(self) -> bool:
        return any(m.capped for m in self.months)


def days_covered(start: dt.date, end: dt.date | None, month: dt.date) -> int:
    """Days of the month (given by its 1st) that a contract from `start` up to `end` covers."""
    last = dt.date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
    first_day = max(start, month)
    last_day = last if end is None else min(last, end - dt.timedelta(days=1))
    return max(0, (last_day - first_day).days + 1)


def month_claim(
    contract: ArrsContract, month: dt.date, maxima: list[RoleMaximum]
) -> MonthClaim | None:
    days = days_covered(contract.start, contract.end, month)
    if days == 0:
        return None
    in_month = calendar.monthrange(month.year, month.month)[1]
    actual = pennies(contract.annual_cost * days / (12 * in_month))
    maximum = next(
        (m for m in maxima if m.role_code == contract.role_code and m.applies_on(month)), None
    )
    cap = (
        None
        if maximum is None
        else pennies(maximum.annual_maximum * contract.wte * days / (12 * in_month))
    )
    claim = actual if cap is None else min(actual, cap)
    return MonthClaim(month, days, in_month, actual, cap, claim)


def person_claims(
    contract: ArrsContract, year: FinancialYear, maxima: list[RoleMaximum]
) -> PersonClaims:
    months = [month_claim(contract, month, maxima) for month in year.months]
    return PersonClaims(contract, tuple(m for m in months if m is not None))


@dataclass(frozen=True)
class Forecast:
    year: FinancialYear
    entitlement: Decimal | None
    people: tuple[PersonClaims, ...]
    threshold_share: Decimal = UNCLAIMED_WARNING_SHARE

    @property
    def total(self) -> Decimal:
        return sum((p.total for p in self.people), Decimal("0"))

    @property
    def monthly(self) -> list[tuple[dt.date, Decimal]]:
        totals = dict.fromkeys(self.year.months, Decimal("0"))
        for person in self.people:
            for m in person.months:
                totals[m.month] += m.claim
        return list(totals.items())

    @property
    def headroom(self) -> Decimal | None:
        """Entitlement left unclaimed (negative when overspent)."""
        return None if self.entitlement is None else self.entitlement - self.total

    @property
    def status(self) -> str:
        """ "unclaimed", "overspent", "on track", or "no entitlement"."""
        if self.entitlement is None:
            return "no entitlement"
        headroom = self.entitlement - self.total
        if headroom < 0:
            return "overspent"
        if headroom > self.entitlement * self.threshold_share:
            return "unclaimed"
        return "on track"

    @property
    def warning(self) -> str | None:
        headroom = self.headroom
        if self.status == "unclaimed" and headroom is not None:
            return (
                f"£{headroom:,.2f} of the {self.year.label} ARRS sum would go unclaimed: "
                "unused ARRS money is lost."
            )
        if self.status == "overspent" and headroom is not None:
            return (
                f"Claims would exceed the {self.year.label} ARRS sum by £{-headroom:,.2f}: "
                "the excess is not reimbursed."
            )
        if self.status == "no entitlement":
            return f"No ARRS sum could be worked out for {self.year.label}."
        return None

    def claims_for(self, month: dt.date) -> list[tuple[ArrsContract, MonthClaim]]:
        return [(p.contract, m) for p in self.people for m in p.months if m.month == month]


def forecast(
    *,
    year: FinancialYear,
    entitlement: Decimal | None,
    contracts: list[ArrsContract],
    maxima: list[RoleMaximum],
    threshold_share: Decimal = UNCLAIMED_WARNING_SHARE,
) -> Forecast:
    people = tuple(p for p in (person_claims(c, year, maxima) for c in contracts) if p.months)
    return Forecast(year, entitlement, people, threshold_share)


CSV_HEADER = [
    "Month",
    "Person",
    "Role",
    "Employer",
    "WTE",
    "Days",
    "Actual cost (£)",
    "Role maximum pro rata (£)",
    "Claim (£)",
    "Note",
]


def claim_csv(result: Forecast, month: dt.date) -> str:
    """The month's claim, one row per person, as the PCN submits it on the workforce portal."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for contract, m in result.claims_for(month):
        note = (
            "no role maximum recorded: claimed at actual cost"
            if m.maximum is None
            else ("capped at role maximum" if m.capped else "")
        )
        writer.writerow(
            [
                f"{month:%Y-%m}",
                contract.person,
                contract.role_name,
                contract.employer,
                contract.wte,
                f"{m.days}/{m.days_in_month}",
                m.actual_cost,
                "" if m.maximum is None else m.maximum,
                m.claim,
                note,
            ]
        )
    return out.getvalue()


# --- reading the inputs from the database -------------------------------------------------------


def network_contracts(network: object, year: FinancialYear) -> list[ArrsContract]:
    """ARRS-funded contracts overlapping the year whose employer is the PCN itself or one of its
    member practices on 1 April (a practice may employ ARRS staff on the PCN's behalf)."""
    from django.db.models import Q

    from openpcn.organisations.models import NetworkMembership
    from openpcn.workforce.models import Contract

    employers = [network.pk] + list(  # type: ignore[attr-defined]
        NetworkMembership.objects.current_on(year.start)
        .filter(network=network)
        .values_list("practice_id", flat=True)
    )
    rows = (
        Contract.objects.filter(arrs_funded=True, employer_id__in=employers)
        .filter(start_date__lte=year.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=year.start))
        .select_related("staff__person", "job_role", "employer")
        .order_by("job_role__name", "staff__person__family_name", "start_date")
    )
    return [
        ArrsContract(
            c.pk,
            str(c.staff),
            c.job_role.code,
            c.job_role.name,
            c.employer.name,
            c.wte,
            c.start_date,
            c.end_date,
            c.annual_cost,
            c.employer_id,
        )
        for c in rows
    ]


def role_maxima() -> list[RoleMaximum]:
    from openpcn.finance.models import ArrsRoleMaximum

    return [
        RoleMaximum(m.job_role.code, m.valid_from, m.valid_to, m.annual_maximum)
        for m in ArrsRoleMaximum.objects.select_related("job_role")
    ]


def network_forecast(network: object, year: FinancialYear, entitlement: object = None) -> Forecast:
    """The PCN's ARRS forecast; pass its `NetworkEntitlement` if already computed."""
    if entitlement is None:
        entitlement = network_entitlement(network, year)
    arrs = entitlement.arrs  # type: ignore[attr-defined]
    amount = arrs.annual if arrs is not None and arrs.complete else None
    return forecast(
        year=year,
        entitlement=amount,
        contracts=network_contracts(network, year),
        maxima=role_maxima(),
    )
