"""Paying PCN income out to member practices under the Network Agreement's finance schedule.

The rules (Network Agreement Schedule 4, nhs-rules.md §2):
- each month the PCN receives each stream's monthly entitlement (the twelfths of
  `entitlements.py`); for ARRS it receives the month's claims (`arrs.py`), never more in the year
  than the ARRS sum, because claims above it are not reimbursed;
- the schedule in force on the 1st of the month says, per stream, how the money is shared: by
  registered (raw) list share, by weighted share, in equal shares, as fixed yearly amounts (paid in
  twelfths, the rest retained), retained by the PCN for its costs, or (for ARRS) paid to each
  person's employer for that person's claim; a stream with no rule is retained, and said so;
- shares are in whole pennies by the largest remainder, so the practices' shares and the amount
  retained always add up to the money received, exactly;
- the members are the practices in the PCN on 1 April, with the populations the entitlement used.

The calculation (top half) works on plain data; `network_distribution` (bottom half) reads it from
the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from openpcn.finance.entitlements import PENNY, FinancialYear, monthly_schedule

REGISTERED, WEIGHTED, EQUAL, FIXED, RETAINED, EMPLOYER = (
    "registered",
    "weighted",
    "equal",
    "fixed",
    "retained",
    "employer",
)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Member:
    key: int
    name: str
    registered: int | None
    weighted: Decimal | None


@dataclass(frozen=True)
class Rule:
    stream_code: str
    method: str
    fixed: Mapping[int, Decimal] = field(default_factory=dict)  # practice key → £ a year


@dataclass(frozen=True)
class StreamIncome:
    """What the PCN receives for one stream in one month, and (ARRS) each employer's claims."""

    code: str
    name: str
    received: Decimal
    claims_by_employer: Mapping[int, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class StreamMonth:
    code: str
    name: str
    method: str
    received: Decimal
    payments: Mapping[int, Decimal]  # organisation key → amount paid to it
    retained: Decimal
    problems: tuple[str, ...] = ()  # the month cannot be paid until these are put right
    notes: tuple[str, ...] = ()

    @property
    def paid_out(self) -> Decimal:
        return sum(self.payments.values(), ZERO)


@dataclass(frozen=True)
class MonthPlan:
    month: dt.date
    schedule_key: int | None
    streams: tuple[StreamMonth, ...]
    problems: tuple[str, ...] = ()

    @property
    def received(self) -> Decimal:
        return sum((s.received for s in self.streams), ZERO)

    @property
    def paid_out(self) -> Decimal:
        return sum((s.paid_out for s in self.streams), ZERO)

    @property
    def retained(self) -> Decimal:
        return sum((s.retained for s in self.streams), ZERO)

    @property
    def all_problems(self) -> list[str]:
        return [*self.problems, *(p for s in self.streams for p in s.problems)]

    @property
    def payable(self) -> bool:
        return not self.all_problems

    def paid_to(self, key: int) -> Decimal:
        return sum((s.payments.get(key, ZERO) for s in self.streams), ZERO)


def split_by_weights(amount: Decimal, weights: Sequence[tuple[int, Decimal]]) -> dict[int, Decimal]:
    """Share `amount` in proportion to the weights, in whole pennies that add up to it exactly.

    Each key gets the floor of its exact share; the pennies left go one each to the largest
    fractional parts (ties to the earlier key), the largest remainder method.
    """
    total_weight = sum((w for _, w in weights), Decimal("0"))
    if total_weight <= 0:
        raise ValueError("nothing to share by")
    pennies = int(amount / PENNY)
    exact = [(key, Decimal(pennies) * w / total_weight) for key, w in weights]
    floors = {key: int(share.to_integral_value(rounding=ROUND_FLOOR)) for key, share in exact}
    left = pennies - sum(floors.values())
    by_fraction = sorted(range(len(exact)), key=lambda i: (-(exact[i][1] - floors[exact[i][0]]), i))
    for i in by_fraction[:left]:
        floors[exact[i][0]] += 1
    return {key: Decimal(p) * PENNY for key, p in floors.items()}


def _population_weights(
    members: Sequence[Member], basis: str
) -> tuple[list[tuple[int, Decimal]], list[str]]:
    weights, notes = [], []
    for m in members:
        value = m.registered if basis == REGISTERED else m.weighted
        if value is None:
            notes.append(f"{m.name} has no {basis} population recorded: it gets no share.")
        else:
            weights.append((m.key, Decimal(value)))
    return weights, notes


def share_stream(
    income: StreamIncome,
    rule: Rule | None,
    members: Sequence[Member],
    month_index: int,
    *,
    network_key: int,
) -> StreamMonth:
    """One stream's money for one month, shared out under its rule."""
    received = income.received
    method = rule.method if rule is not None else RETAINED
    payments: dict[int, Decimal] = {}
    problems: list[str] = []
    notes: list[str] = []
    if rule is None:
        notes.append("No rule in the finance schedule: retained for PCN costs.")
    if received > 0 and method in (REGISTERED, WEIGHTED, EQUAL):
        if method == EQUAL:
            weights = [(m.key, Decimal(1)) for m in members]
        else:
            weights, notes_for_basis = _population_weights(members, method)
            notes.extend(notes_for_basis)
        if weights and sum(w for _, w in weights) > 0:
            payments = split_by_weights(received, weights)
        else:
            problems.append(f"{income.name}: no member practice to share it by.")
    elif method == FIXED:
        assert rule is not None
        member_keys = {m.key for m in members}
        for key, annual in rule.fixed.items():
            if key not in member_keys:
                notes.append("A fixed amount for a practice no longer in the PCN is not paid.")
                continue
            amount = monthly_schedule(annual)[month_index]
            if amount > 0:
                payments[key] = amount
        fixed_total = sum(payments.values(), ZERO)
        if fixed_total > received:
            problems.append(
                f"{income.name}: fixed amounts this month (£{fixed_total:,.2f}) are more than "
                f"the money received (£{received:,.2f})."
            )
    elif method == EMPLOYER and received > 0:
        claims = {k: v for k, v in income.claims_by_employer.items() if v > 0}
        if not claims:
            problems.append(f"{income.name}: money received but no claims to pay it against.")
        else:
            claimed = sum(claims.values(), ZERO)
            shares = (
                dict(claims)
                if claimed == received
                else split_by_weights(received, sorted(claims.items()))
            )
            if claimed != received:
                notes.append("Claims above the ARRS sum are not reimbursed: shares scaled down.")
            # The PCN's own staff are paid from what it keeps.
            payments = {k: v for k, v in shares.items() if k != network_key}
    payments = {k: v for k, v in payments.items() if v != 0}
    retained = received - sum(payments.values(), ZERO)
    return StreamMonth(
        income.code,
        income.name,
        method,
        received,
        payments,
        retained,
        tuple(problems),
        tuple(notes),
    )


def plan_month(
    month: dt.date,
    month_index: int,
    incomes: Sequence[StreamIncome],
    rules: Mapping[str, Rule] | None,
    members: Sequence[Member],
    *,
    network_key: int,
    schedule_key: int | None,
) -> MonthPlan:
    if rules is None:
        return MonthPlan(
            month,
            None,
            tuple(
                StreamMonth(i.code, i.name, RETAINED, i.received, {}, i.received) for i in incomes
            ),
            ("No finance schedule (Network Agreement Schedule 4) is in force for the month.",),
        )
    streams = tuple(
        share_stream(i, rules.get(i.code), members, month_index, network_key=network_key)
        for i in incomes
    )
    return MonthPlan(month, schedule_key, streams)


def arrs_received(claims: Sequence[Decimal], entitlement: Decimal | None) -> list[Decimal]:
    """ARRS money a month: the claims, until the year's claims reach the ARRS sum."""
    left = entitlement
    received = []
    for claim in claims:
        amount = claim if left is None else max(ZERO, min(claim, left))
        if left is not None:
            left -= amount
        received.append(amount)
    return received


# --- reading the inputs from the database -------------------------------------------------------


@dataclass
class NetworkDistribution:
    network: object
    year: FinancialYear
    members: list[Member]
    member_names: dict[int, str]
    months: list[MonthPlan]
    schedules: dict[int, object]
    warnings: list[str] = field(default_factory=list)

    @property
    def streams(self) -> list[tuple[str, str]]:
        seen: dict[str, str] = {}
        for month in self.months:
            for s in month.streams:
                seen.setdefault(s.code, s.name)
        return list(seen.items())

    def year_total(self, key: int, code: str | None = None) -> Decimal:
        """What the year pays an organisation, for one stream or all of them."""
        return sum(
            (
                s.payments.get(key, ZERO)
                for m in self.months
                for s in m.streams
                if code is None or s.code == code
            ),
            ZERO,
        )

    def recipients(self) -> list[tuple[int, str]]:
        """Everyone paid in the year: the member practices first, then other employers."""
        keys = [m.key for m in self.members]
        for month in self.months:
            for s in month.streams:
                keys.extend(k for k in s.payments if k not in keys)
        return [(k, self.member_names.get(k, str(k))) for k in keys]

    def month(self, first: dt.date) -> MonthPlan | None:
        return next((m for m in self.months if m.month == first), None)

    @property
    def received(self) -> Decimal:
        return sum((m.received for m in self.months), ZERO)

    @property
    def retained(self) -> Decimal:
        return sum((m.retained for m in self.months), ZERO)

    def retained_for(self, code: str) -> Decimal:
        return sum((s.retained for m in self.months for s in m.streams if s.code == code), ZERO)


def schedule_in_force(schedules: Sequence[object], day: dt.date) -> object | None:
    """The latest version starting on or before the day (versions in any order)."""
    started = [s for s in schedules if s.valid_from <= day]  # type: ignore[attr-defined]
    return max(started, key=lambda s: s.valid_from, default=None)  # type: ignore[attr-defined]


def rules_of(schedule: object) -> dict[str, Rule]:
    return {
        r.stream.code: Rule(
            r.stream.code,
            r.method,
            {f.practice_id: f.annual_amount for f in r.fixed.all()},
        )
        for r in schedule.rules.all()  # type: ignore[attr-defined]
    }


def network_distribution(network: object, year: FinancialYear) -> NetworkDistribution:
    from openpcn.finance import arrs
    from openpcn.finance.entitlements import network_entitlement
    from openpcn.finance.models import FinanceSchedule
    from openpcn.organisations.models import Organisation

    entitlement = network_entitlement(network, year)
    forecast = arrs.network_forecast(network, year, entitlement)
    members = [
        Member(p.practice.pk, p.practice.name, p.registered, p.weighted)  # type: ignore[attr-defined]
        for p in entitlement.practices
    ]
    schedules = list(
        FinanceSchedule.objects.filter(network=network, valid_from__lte=year.months[-1])
        .select_related("nominated_payee")
        .prefetch_related("rules__stream", "rules__fixed")
    )
    rules_by_schedule = {s.pk: rules_of(s) for s in schedules}
    arrs_stream = entitlement.arrs
    arrs_sum = arrs_stream.annual if arrs_stream is not None and arrs_stream.complete else None
    arrs_by_month = arrs_received([amount for _, amount in forecast.monthly], arrs_sum)
    employers: dict[int, str] = {}
    months = []
    for index, first in enumerate(year.months):
        incomes = []
        for stream in entitlement.streams:
            if stream.is_arrs:
                claims: dict[int, Decimal] = {}
                for contract, claim in forecast.claims_for(first):
                    claims[contract.employer_id] = (
                        claims.get(contract.employer_id, ZERO) + claim.claim
                    )
                    employers[contract.employer_id] = contract.employer
                incomes.append(StreamIncome(stream.code, stream.name, arrs_by_month[index], claims))
            else:
                incomes.append(StreamIncome(stream.code, stream.name, stream.monthly[index]))
        schedule = schedule_in_force(schedules, first)
        months.append(
            plan_month(
                first,
                index,
                incomes,
                None if schedule is None else rules_by_schedule[schedule.pk],  # type: ignore[attr-defined]
                members,
                network_key=network.pk,  # type: ignore[attr-defined]
                schedule_key=None if schedule is None else schedule.pk,  # type: ignore[attr-defined]
            )
        )
    names = {m.key: m.name for m in members}
    for key, name in employers.items():
        names.setdefault(key, name)
    missing = [
        k for k in {k for m in months for s in m.streams for k in s.payments} if k not in names
    ]
    for org in Organisation.objects.filter(pk__in=missing):
        names[org.pk] = org.name
    warnings = list(entitlement.warnings)
    if not schedules:
        warnings.append(
            "No finance schedule (Network Agreement Schedule 4) is recorded: nothing can be paid "
            "out until one is agreed."
        )
    return NetworkDistribution(
        network,
        year,
        members,
        names,
        months,
        {s.pk: s for s in schedules},
        warnings,
    )
