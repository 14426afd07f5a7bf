"""Bank figures for a month, over the practices a user covers.

A request belongs to the month its session starts in (local time). Definitions:
- posted: every request for a session in the month, cancelled ones included;
- cancelled: cancelled by the practice (excluded from the fill rate);
- filled: a booking holds the session now (status filled);
- unfilled: still open after the session started: nobody came;
- still open: open, and the session is yet to start;
- fill rate: filled ÷ (posted − cancelled);
- time to fill: from posting to the claim that holds it (the median over filled requests);
- cost: approved timesheets of sessions that started in the month.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from openpcn.bank.models import CoverRequest, CoverStatus
from openpcn.bank.queries import approved_timesheets, month_bounds


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal bar chart: a label, its value as text, and its share of the longest."""

    label: str
    value: Decimal | int
    text: str
    percent: int


@dataclass
class MonthReport:
    month: dt.date
    posted: int = 0
    cancelled: int = 0
    filled: int = 0
    unfilled: int = 0
    still_open: int = 0
    minutes_to_fill: list[float] = field(default_factory=list)
    cost: Decimal = Decimal("0.00")
    unfilled_by_practice: list[Bar] = field(default_factory=list)
    unfilled_by_role: list[Bar] = field(default_factory=list)
    cost_by_practice: list[Bar] = field(default_factory=list)

    @property
    def fill_rate(self) -> float | None:
        wanted = self.posted - self.cancelled
        return self.filled / wanted if wanted else None

    @property
    def fill_rate_text(self) -> str:
        rate = self.fill_rate
        return "no requests" if rate is None else f"{rate:.0%}"

    @property
    def median_minutes_to_fill(self) -> float | None:
        return statistics.median(self.minutes_to_fill) if self.minutes_to_fill else None

    @property
    def median_time_to_fill_text(self) -> str:
        return duration_text(self.median_minutes_to_fill)


def duration_text(minutes: float | None) -> str:
    """`1 h 30 min`, `45 min`, `2 days 3 h`; a dash when there is nothing to measure."""
    if minutes is None:
        return "–"
    total = round(minutes)
    days, rest = divmod(total, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h"
    if hours:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    return f"{mins} min"


def bars(counts: Mapping[str, Decimal | int], money: bool = False) -> list[Bar]:
    """Rows for a bar chart, largest first, each as a share of the largest."""
    items: list[tuple[str, Decimal | int]] = sorted(
        counts.items(), key=lambda item: (-item[1], item[0])
    )
    top = max((value for _, value in items), default=0)
    return [
        Bar(
            label=label,
            value=value,
            text=f"£{value:,.2f}" if money else str(value),
            percent=round(100 * value / top) if top else 0,
        )
        for label, value in items
    ]


def month_report(
    practice_ids: set[int], month: dt.date, now: dt.datetime | None = None
) -> MonthReport:
    now = now or timezone.now()
    start, end = month_bounds(month)
    report = MonthReport(month=month.replace(day=1))
    requests = CoverRequest.objects.filter(
        practice_id__in=practice_ids, starts_at__gte=start, starts_at__lt=end
    ).select_related("practice", "skill")
    unfilled_practice: Counter[str] = Counter()
    unfilled_role: Counter[str] = Counter()
    for request in requests:
        report.posted += 1
        if request.status == CoverStatus.CANCELLED:
            report.cancelled += 1
        elif request.status == CoverStatus.FILLED:
            report.filled += 1
            if request.filled_at is not None:
                waited = (request.filled_at - request.posted_at).total_seconds() / 60
                report.minutes_to_fill.append(waited)
        elif request.starts_at <= now:
            report.unfilled += 1
            unfilled_practice[request.practice.name] += 1
            unfilled_role[request.skill.name] += 1
        else:
            report.still_open += 1
    report.unfilled_by_practice = bars(unfilled_practice)
    report.unfilled_by_role = bars(unfilled_role)
    cost_by_practice = {
        row["booking__cover_request__practice__name"]: row["total"]
        for row in approved_timesheets(practice_ids, month)
        .order_by()
        .values("booking__cover_request__practice__name")
        .annotate(total=Sum("amount"))
    }
    report.cost = sum(cost_by_practice.values(), Decimal("0.00"))
    report.cost_by_practice = bars(cost_by_practice, money=True)
    return report


def recent_months(month: dt.date, count: int = 6) -> list[dt.date]:
    """The month and the `count - 1` before it, oldest first."""
    months = [month.replace(day=1)]
    while len(months) < count:
        months.insert(0, (months[0] - dt.timedelta(days=1)).replace(day=1))
    return months


def fill_rate_bars(months: list[MonthReport]) -> list[Bar]:
    """The fill rate of each month, oldest first; a bar's length is the rate itself."""
    return [
        Bar(
            label=f"{m.month:%B %Y}",
            value=m.filled,
            text=f"{m.fill_rate_text} ({m.filled} of {m.posted - m.cancelled})"
            if m.fill_rate is not None
            else "no requests",
            percent=round(100 * m.fill_rate) if m.fill_rate is not None else 0,
        )
        for m in months
    ]


def trend(practice_ids: set[int], month: dt.date, count: int = 6) -> list[MonthReport]:
    return [month_report(practice_ids, m) for m in recent_months(month, count)]
