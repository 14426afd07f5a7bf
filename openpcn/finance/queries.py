"""Reads for the finance pages: which PCNs a user may see, which years have rates, the rate table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from openpcn.accounts.permissions import Permission
from openpcn.accounts.roles import ROLES
from openpcn.accounts.scope import active_memberships, covered_organisation_ids
from openpcn.finance.entitlements import FinancialYear
from openpcn.finance.models import ArrsRoleMaximum, FundingRate
from openpcn.organisations.models import Organisation, OrganisationKind


def viewable_networks(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=OrganisationKind.NETWORK,
        pk__in=covered_organisation_ids(user, Permission.FINANCE_VIEW),
    ).order_by("name")


def may_view_finance(user: Any) -> bool:
    return viewable_networks(user).exists()


def may_manage_rates(user: Any) -> bool:
    """Rates are national: only a role held in an alliance may change them (as actions check)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(
        m.organisation.kind == OrganisationKind.ALLIANCE
        and ROLES[m.role].grants(Permission.FINANCE_MANAGE)
        for m in active_memberships(user)
    )


def years_with_rates() -> list[FinancialYear]:
    """Every financial year whose 1 April some rate covers, newest first (open-ended rates count
    up to the current year)."""
    current = FinancialYear.containing(dt.date.today()).first_year
    years: set[int] = set()
    for valid_from, valid_to in FundingRate.objects.values_list("valid_from", "valid_to"):
        first = (
            valid_from.year if valid_from <= dt.date(valid_from.year, 4, 1) else valid_from.year + 1
        )
        if valid_to is None:
            last = max(first, current)
        else:
            last = valid_to.year if valid_to > dt.date(valid_to.year, 4, 1) else valid_to.year - 1
        years.update(range(first, last + 1))
    return [FinancialYear(y) for y in sorted(years, reverse=True)]


def rate_table() -> QuerySet[FundingRate]:
    return FundingRate.objects.select_related("stream").order_by(
        "stream__order", "stream__name", "-valid_from", "basis"
    )


def role_maxima() -> QuerySet[ArrsRoleMaximum]:
    return ArrsRoleMaximum.objects.select_related("job_role").order_by(
        "job_role__name", "-valid_from"
    )
