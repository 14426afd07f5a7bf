"""A PCN's entitlement per funding stream for a financial year, and its monthly payment schedule.

The rules (nhs-rules.md §1):
- a financial year runs 1 April to 31 March and is named by its first April (2024 = 2024/25);
- the PCN is the practices that are its members on 1 April of the year;
- each practice's population is its snapshot at 1 January before the year; when there is no
  snapshot dated exactly 1 January, the latest snapshot on or before 1 January is used (a practice
  with none is left out and the page says so);
- the rates are those valid on 1 April; a stream's entitlement is, for each rate (basis), the PCN's
  total of that basis × the rate, rounded to pennies (ROUND_HALF_UP), then added up;
- the monthly schedule is twelfths in whole pennies: the odd pennies go one each to the first
  months, so the twelve months add up to the annual figure exactly.

The calculation (top half) works on plain data; `network_entitlement` (bottom half) reads it from
the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")


def pennies(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class FinancialYear:
    """April to March, named by the calendar year of its first April."""

    first_year: int

    @classmethod
    def containing(cls, day: dt.date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def start(self) -> dt.date:
        return dt.date(self.first_year, 4, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the year (31 March)."""
        return dt.date(self.first_year + 1, 3, 31)

    @property
    def population_date(self) -> dt.date:
        return dt.date(self.first_year, 1, 1)

    @property
    def label(self) -> str:
        return f"{self.first_year}/{(self.first_year + 1) % 100:02d}"

    @property
    def months(self) -> list[dt.date]:
        """The first day of each month, April to March."""
        return [dt.date(self.first_year + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(12)]

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Rate:
    stream_code: str
    stream_name: str
    basis: str
    rate: Decimal
    unit_note: str = ""
    source: str = ""
    is_arrs: bool = False


@dataclass(frozen=True)
class Component:
    """One rate applied to one basis: units × rate = amount (None when the units are unknown)."""

    basis: str
    units: Decimal | None
    rate: Decimal
    amount: Decimal | None
    unit_note: str = ""
    source: str = ""


@dataclass(frozen=True)
class StreamEntitlement:
    code: str
    name: str
    is_arrs: bool
    components: tuple[Component, ...]

    @property
    def complete(self) -> bool:
        return all(c.amount is not None for c in self.components)

    @property
    def annual(self) -> Decimal:
        return sum((c.amount for c in self.components if c.amount is not None), Decimal("0"))

    @property
    def monthly(self) -> list[Decimal]:
        return monthly_schedule(self.annual)


def monthly_schedule(annual: Decimal, months: int = 12) -> list[Decimal]:
    """Equal parts in whole pennies; the odd pennies go one each to the first months."""
    total = int((annual / PENNY).to_integral_value(rounding=ROUND_HALF_UP))
    base, odd = divmod(total, months)
    return [(Decimal(base + (1 if i < odd else 0)) * PENNY) for i in range(months)]


def stream_entitlements(
    rates: list[Rate], units: dict[str, Decimal | None]
) -> list[StreamEntitlement]:
    """Each stream's components: the PCN's units of each basis × its rate, in pennies."""
    by_stream: dict[str, list[Rate]] = {}
    for rate in rates:
        by_stream.setdefault(rate.stream_code, []).append(rate)
    result = []
    for code, stream_rates in by_stream.items():
        components = []
        for rate in stream_rates:
            count = units.get(rate.basis)
            amount = None if count is None else pennies(count * rate.rate)
            components.append(
                Component(rate.basis, count, rate.rate, amount, rate.unit_note, rate.source)
            )
        first = stream_rates[0]
        result.append(StreamEntitlement(code, first.stream_name, first.is_arrs, tuple(components)))
    return result


def schedule_total(streams: list[StreamEntitlement]) -> list[Decimal]:
    """Month by month, the sum of every stream's schedule."""
    months = [Decimal("0")] * 12
    for stream in streams:
        months = [a + b for a, b in zip(months, stream.monthly, strict=True)]
    return months


# --- reading the inputs from the database -------------------------------------------------------


@dataclass
class PracticePopulation:
    practice: object
    snapshot_date: dt.date | None
    registered: int | None
    weighted: Decimal | None
    adjusted: Decimal | None


@dataclass
class NetworkEntitlement:
    network: object
    year: FinancialYear
    practices: list[PracticePopulation]
    units: dict[str, Decimal | None]
    streams: list[StreamEntitlement]
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((s.annual for s in self.streams), Decimal("0"))

    @property
    def schedule(self) -> list[tuple[dt.date, Decimal]]:
        return list(zip(self.year.months, schedule_total(self.streams), strict=True))

    def stream(self, code: str) -> StreamEntitlement | None:
        return next((s for s in self.streams if s.code == code), None)

    @property
    def arrs(self) -> StreamEntitlement | None:
        return next((s for s in self.streams if s.is_arrs), None)


def rates_for_year(year: FinancialYear) -> list[Rate]:
    """The rates valid on 1 April of the year, in stream order."""
    from django.db.models import Q

    from openpcn.finance.models import FundingRate

    rows = (
        FundingRate.objects.filter(valid_from__lte=year.start)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=year.start))
        .select_related("stream")
        .order_by("stream__order", "stream__name", "basis")
    )
    return [
        Rate(
            r.stream.code,
            r.stream.name,
            r.basis,
            r.rate,
            r.unit_note,
            r.source,
            r.stream.is_arrs,
        )
        for r in rows
    ]


def member_populations(network: object, year: FinancialYear) -> list[PracticePopulation]:
    """The PCN's members on 1 April, each with its latest snapshot on or before 1 January."""
    from openpcn.organisations.models import NetworkMembership, PopulationSnapshot

    members = [
        m.practice
        for m in NetworkMembership.objects.current_on(year.start)
        .filter(network=network)
        .select_related("practice")
        .order_by("practice__name")
    ]
    latest: dict[int, PopulationSnapshot] = {}
    for snapshot in PopulationSnapshot.objects.filter(
        practice__in=members, date__lte=year.population_date
    ).order_by("practice_id", "-date"):
        latest.setdefault(snapshot.practice_id, snapshot)
    rows = []
    for practice in members:
        s = latest.get(practice.pk)
        rows.append(
            PracticePopulation(
                practice,
                s.date if s else None,
                s.registered if s else None,
                s.weighted if s else None,
                s.adjusted if s else None,
            )
        )
    return rows


def _total(values: list[Decimal | None]) -> Decimal | None:
    if not values or any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal("0"))


def network_entitlement(network: object, year: FinancialYear) -> NetworkEntitlement:
    from openpcn.finance.models import CareHomeBeds

    practices = member_populations(network, year)
    warnings = []
    counted = [p for p in practices if p.snapshot_date is not None]
    for p in practices:
        if p.snapshot_date is None:
            warnings.append(
                f"{p.practice} has no population snapshot on or before "
                f"{year.population_date:%d %B %Y}: it is left out."
            )
    if not practices:
        warnings.append(f"The PCN had no member practices on {year.start:%d %B %Y}.")
    beds = CareHomeBeds.objects.filter(network=network, year=year.first_year).first()
    units: dict[str, Decimal | None] = {
        "registered": _total([Decimal(p.registered or 0) for p in counted]) if counted else None,
        "weighted": _total([p.weighted for p in counted]),
        "adjusted": _total([p.adjusted for p in counted]),
        "beds": Decimal(beds.beds) if beds else None,
    }
    rates = rates_for_year(year)
    if not rates:
        warnings.append(f"No funding rates are recorded for {year.label}.")
    streams = stream_entitlements(rates, units)
    for stream in streams:
        for c in stream.components:
            if c.amount is None:
                what = "care home beds" if c.basis == "beds" else f"{c.basis} population"
                warnings.append(f"{stream.name}: no {what} recorded, so it is not counted.")
    return NetworkEntitlement(network, year, practices, units, streams, warnings)
