"""Enhanced Access: 60 minutes per 1,000 PCN adjusted population per week, in Network Standard Hours."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max

from openpcn.organisations.models import Organisation, PopulationSnapshot
from openpcn.organisations.queries import practices_of
from openpcn.rostering.models import PlanStatus, RotaAssignment
from openpcn.rostering.sessions import is_network_standard_hours, times_for

MINUTES_PER_THOUSAND = 60


def adjusted_population(network: Organisation, on: dt.date) -> Decimal:
    """The PCN's adjusted population from each member practice's latest snapshot on or before `on`.

    A practice without an adjusted figure counts its registered list (the adjusted population is
    the weighted list rescaled to registered totals, so this is its best stand-in).
    """
    total = Decimal("0")
    for practice in practices_of(network, on):
        latest = PopulationSnapshot.objects.filter(practice=practice, date__lte=on).aggregate(
            d=Max("date")
        )["d"]
        if latest is None:
            continue
        snapshot = PopulationSnapshot.objects.get(practice=practice, date=latest)
        total += (
            snapshot.adjusted if snapshot.adjusted is not None else Decimal(snapshot.registered)
        )
    return total


def required_minutes(adjusted: Decimal) -> int:
    """Minutes of appointments a week, rounded up: 50,000 adjusted population needs 3,000."""
    return math.ceil(adjusted * MINUTES_PER_THOUSAND / 1000)


@dataclass(frozen=True)
class WeekCompliance:
    week_start: dt.date
    required: int
    planned: int
    delivered: int

    @property
    def planned_met(self) -> bool:
        return self.planned >= self.required

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.planned)


def _minutes(assignments: list[RotaAssignment]) -> int:
    total = 0
    for a in assignments:
        times = times_for(a.date.weekday(), a.session)
        if times is not None and is_network_standard_hours(a.date.weekday(), a.session):
            total += times.minutes
    return total


def compliance(
    network: Organisation, first_week: dt.date, weeks: int, today: dt.date | None = None
) -> list[WeekCompliance]:
    """Per week: minutes required, planned (latest plan or published rota) and delivered (past dates)."""
    today = today or dt.date.today()
    rows = []
    for week in range(weeks):
        start = first_week + dt.timedelta(days=7 * week)
        end = start + dt.timedelta(days=6)
        required = required_minutes(adjusted_population(network, start))
        in_week = RotaAssignment.objects.filter(network=network, date__gte=start, date__lte=end)
        published = list(in_week.filter(plan__status=PlanStatus.PUBLISHED))
        planned_plans = in_week.filter(plan__status=PlanStatus.PLANNED).values_list(
            "plan_id", flat=True
        )
        latest_plan = max(planned_plans, default=None)
        newest_published = max((a.plan_id for a in published), default=None)
        # A draft counts only when it is newer than what is published.
        if (
            latest_plan is not None
            and newest_published is not None
            and latest_plan < newest_published
        ):
            latest_plan = None
        planned = (
            _minutes(list(in_week.filter(plan_id=latest_plan)))
            if latest_plan is not None
            else _minutes(published)
        )
        delivered = _minutes([a for a in published if a.date < today])
        rows.append(WeekCompliance(start, required, planned, delivered))
    return rows
