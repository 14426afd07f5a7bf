"""Time to hire, vacancy months, and the ARRS money at risk while posts are empty, per role and PCN.

- time to hire: days from the day a vacancy opened to the day it was filled;
- vacancy months: from the day it opened to the day it was filled or withdrawn (or today), in
  months of 365.25/12 days;
- ARRS forgone: for an ARRS-funded post not yet filled, the role maximum × the post's WTE for
  each empty month of this financial year (reimbursement the PCN could have claimed);
- ARRS at risk: the same for the months left to 31 March if the post stays empty.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.finance.entitlements import FinancialYear, pennies
from openpcn.recruitment.actions import arrs_network
from openpcn.recruitment.models import Vacancy, VacancyStatus
from openpcn.recruitment.queries import role_maximum

DAYS_PER_MONTH = Decimal("365.25") / 12
EMPTY = (
    VacancyStatus.OPEN,
    VacancyStatus.SHORTLISTING,
    VacancyStatus.INTERVIEWS,
    VacancyStatus.OFFER,
)


def months_between(first: dt.date, last: dt.date) -> Decimal:
    return (Decimal(max(0, (last - first).days)) / DAYS_PER_MONTH).quantize(Decimal("0.1"))


@dataclass
class VacancyFigures:
    vacancy: Vacancy
    network: str
    days_to_hire: int | None
    vacancy_months: Decimal
    arrs_forgone: Decimal
    arrs_at_risk: Decimal


@dataclass
class Group:
    role: str
    network: str
    vacancies: int = 0
    filled: int = 0
    days_to_hire: list[int] = field(default_factory=list)
    vacancy_months: Decimal = Decimal("0")
    arrs_forgone: Decimal = Decimal("0")
    arrs_at_risk: Decimal = Decimal("0")

    @property
    def mean_days_to_hire(self) -> int | None:
        return round(sum(self.days_to_hire) / len(self.days_to_hire)) if self.days_to_hire else None


def figures(vacancy: Vacancy, today: dt.date) -> VacancyFigures | None:
    if vacancy.opened_on is None:
        return None
    end = vacancy.filled_on or vacancy.withdrawn_on or today
    network = arrs_network(vacancy.employer)
    forgone = at_risk = Decimal("0")
    if vacancy.arrs_funded and vacancy.status in EMPTY:
        maximum = role_maximum(vacancy.job_role, today)
        if maximum is not None:
            year = FinancialYear.containing(today)
            monthly = maximum * vacancy.wte / 12
            empty_this_year = months_between(max(vacancy.opened_on, year.start), today)
            left = months_between(today, year.end + dt.timedelta(days=1))
            forgone, at_risk = pennies(monthly * empty_this_year), pennies(monthly * left)
    return VacancyFigures(
        vacancy,
        network.name if network is not None else vacancy.employer.name,
        (vacancy.filled_on - vacancy.opened_on).days if vacancy.filled_on else None,
        months_between(vacancy.opened_on, end),
        forgone,
        at_risk,
    )


def hiring_report(
    user: Any, today: dt.date | None = None
) -> tuple[list[VacancyFigures], list[Group]]:
    today = today or timezone.localdate()
    scope = covered_organisation_ids(user, Permission.RECRUITMENT_MANAGE)
    vacancies = (
        Vacancy.objects.filter(employer_id__in=scope)
        .exclude(status__in=[VacancyStatus.DRAFT, VacancyStatus.APPROVED])
        .select_related("employer", "job_role")
        .order_by("job_role__name", "opened_on")
    )
    rows = [f for f in (figures(v, today) for v in vacancies) if f is not None]
    groups: dict[tuple[str, str], Group] = {}
    for row in rows:
        group = groups.setdefault(
            (row.vacancy.job_role.name, row.network), Group(row.vacancy.job_role.name, row.network)
        )
        group.vacancies += 1
        if row.days_to_hire is not None:
            group.filled += 1
            group.days_to_hire.append(row.days_to_hire)
        group.vacancy_months += row.vacancy_months
        group.arrs_forgone += row.arrs_forgone
        group.arrs_at_risk += row.arrs_at_risk
    return rows, sorted(groups.values(), key=lambda g: (g.role, g.network))
