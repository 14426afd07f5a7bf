"""Every write in finance: funding rates, ARRS role maxima and care home beds (checked, audited).

Rates and role maxima are national figures every alliance shares, so only a role held in an
alliance that grants FINANCE_MANAGE (the finance officer, who signs in with two factors) may
change them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from openpcn.accounts.permissions import Permission
from openpcn.core import audit
from openpcn.core.actions import require_alliance_permission, require_permission
from openpcn.finance.models import ArrsRoleMaximum, CareHomeBeds, FundingRate, FundingStream
from openpcn.organisations.models import Organisation, OrganisationKind


def _check_period(valid_from: dt.date, valid_to: dt.date | None) -> None:
    if valid_to is not None and valid_to <= valid_from:
        raise ValidationError("The end date must be after the start date")


def _overlapping(queryset: Any, valid_from: dt.date, valid_to: dt.date | None) -> Any:
    """Rows of `queryset` whose [valid_from, valid_to) overlaps the given period."""
    queryset = queryset.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from))
    if valid_to is not None:
        queryset = queryset.filter(valid_from__lt=valid_to)
    return queryset


def _check_rate_fits(
    *,
    stream: FundingStream,
    basis: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    rate: Decimal,
    exclude: int | None = None,
) -> None:
    _check_period(valid_from, valid_to)
    if rate < 0:
        raise ValidationError("A rate cannot be negative")
    # Lock the stream's rates so two officers cannot add overlapping ones at once.
    others = FundingRate.objects.select_for_update().filter(stream=stream, basis=basis)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    clash = _overlapping(others, valid_from, valid_to).first()
    if clash is not None:
        raise ValidationError(
            f"{stream.name} already has a rate on that basis from {clash.valid_from:%d %B %Y}"
            f"{'' if clash.valid_to is None else f' to {clash.valid_to:%d %B %Y}'}; "
            "end it first or choose other dates"
        )


@transaction.atomic
def add_funding_rate(
    *,
    by: Any,
    stream: FundingStream,
    basis: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    rate: Decimal,
    source: str,
    unit_note: str = "",
) -> FundingRate:
    """Add a rate for a stream (for example the next financial year's)."""
    require_alliance_permission(by, Permission.FINANCE_MANAGE)
    if not source.strip():
        raise ValidationError("Say where the rate comes from")
    _check_rate_fits(
        stream=stream, basis=basis, valid_from=valid_from, valid_to=valid_to, rate=rate
    )
    created = FundingRate.objects.create(
        stream=stream,
        basis=basis,
        valid_from=valid_from,
        valid_to=valid_to,
        rate=rate,
        unit_note=unit_note.strip(),
        source=source.strip(),
    )
    audit.record(by=by, action="add_funding_rate", obj=created, after=audit.snapshot(created))
    return created


@transaction.atomic
def change_funding_rate(
    *,
    by: Any,
    rate: FundingRate,
    valid_from: dt.date,
    valid_to: dt.date | None,
    value: Decimal,
    source: str,
    unit_note: str = "",
) -> FundingRate:
    """Correct a rate or its dates (say, after the autumn uplift); the audit log keeps the old one."""
    require_alliance_permission(by, Permission.FINANCE_MANAGE)
    if not source.strip():
        raise ValidationError("Say where the rate comes from")
    rate = FundingRate.objects.select_for_update().select_related("stream").get(pk=rate.pk)
    _check_rate_fits(
        stream=rate.stream,
        basis=rate.basis,
        valid_from=valid_from,
        valid_to=valid_to,
        rate=value,
        exclude=rate.pk,
    )
    before = audit.snapshot(rate)
    rate.valid_from, rate.valid_to, rate.rate = valid_from, valid_to, value
    rate.source, rate.unit_note = source.strip(), unit_note.strip()
    rate.save()
    audit.record(
        by=by, action="change_funding_rate", obj=rate, before=before, after=audit.snapshot(rate)
    )
    return rate


@transaction.atomic
def add_arrs_role_maximum(
    *,
    by: Any,
    job_role: Any,
    valid_from: dt.date,
    valid_to: dt.date | None,
    annual_maximum: Decimal,
    source: str,
) -> ArrsRoleMaximum:
    """Record a role's maximum reimbursable amount per WTE a year (incl. on-costs) from a date."""
    require_alliance_permission(by, Permission.FINANCE_MANAGE)
    _check_period(valid_from, valid_to)
    if not job_role.is_arrs:
        raise ValidationError(f"{job_role} is not an ARRS role")
    if annual_maximum <= 0:
        raise ValidationError("The maximum must be more than nothing")
    others = ArrsRoleMaximum.objects.select_for_update().filter(job_role=job_role)
    if _overlapping(others, valid_from, valid_to).exists():
        raise ValidationError(f"{job_role} already has a maximum for some of those dates")
    created = ArrsRoleMaximum.objects.create(
        job_role=job_role,
        valid_from=valid_from,
        valid_to=valid_to,
        annual_maximum=annual_maximum,
        source=source.strip(),
    )
    audit.record(by=by, action="add_arrs_role_maximum", obj=created, after=audit.snapshot(created))
    return created


@transaction.atomic
def record_care_home_beds(
    *, by: Any, network: Organisation, year: int, beds: int, source: str = ""
) -> CareHomeBeds:
    """Record (or replace) the beds in the care homes aligned to a PCN for a financial year."""
    require_permission(by, Permission.FINANCE_MANAGE, organisation=network)
    if network.kind != OrganisationKind.NETWORK:
        raise ValidationError("Care homes are aligned to a PCN")
    existing = CareHomeBeds.objects.select_for_update().filter(network=network, year=year).first()
    before = audit.snapshot(existing)
    record, _ = CareHomeBeds.objects.update_or_create(
        network=network, year=year, defaults={"beds": beds, "source": source.strip()}
    )
    audit.record(
        by=by,
        action="record_care_home_beds",
        obj=record,
        organisation=network,
        before=before,
        after=audit.snapshot(record),
    )
    return record
