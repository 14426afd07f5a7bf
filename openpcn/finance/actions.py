"""Every write in finance: funding rates, ARRS role maxima, care home beds, the Network Agreement's
finance schedule and monthly payment runs (checked, audited).

Rates and role maxima are national figures every alliance shares, so only a role held in an
alliance that grants FINANCE_MANAGE (the finance officer, who signs in with two factors) may
change them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from openpcn.accounts.permissions import Permission
from openpcn.core import audit
from openpcn.core.actions import require_alliance_permission, require_permission
from openpcn.finance.models import (
    ArrsRoleMaximum,
    CareHomeBeds,
    DistributionMethod,
    DistributionRule,
    FinanceSchedule,
    FixedShare,
    FundingRate,
    FundingStream,
    PaymentRun,
)
from openpcn.ledger import actions as ledger_actions
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


# --- the Network Agreement's finance schedule and monthly payment runs --------------------------


def _payee_choices(network: Organisation, on: dt.date) -> dict[int, Organisation]:
    """Who may be nominated payee: a member practice on the day, or the PCN's alliance."""
    from openpcn.organisations.models import NetworkMembership

    choices = {
        m.practice_id: m.practice
        for m in NetworkMembership.objects.current_on(on)
        .filter(network=network)
        .select_related("practice")
    }
    if network.alliance_id is not None:
        choices[network.alliance_id] = network.alliance
    return choices


@transaction.atomic
def agree_finance_schedule(
    *,
    by: Any,
    network: Organisation,
    valid_from: dt.date,
    nominated_payee: Organisation,
    agreed_on: dt.date,
    rules: Mapping[str, str],
    fixed: Mapping[str, Mapping[int, Decimal]] | None = None,
    payment_day: int = 15,
    holding_terms: str = "",
    reference: str = "",
) -> FinanceSchedule:
    """Record a version of the PCN's Schedule 4 from the first of a month (replacing a version
    from the same month that nothing has been paid under)."""
    require_permission(by, Permission.FINANCE_MANAGE, organisation=network)
    if network.kind != OrganisationKind.NETWORK:
        raise ValidationError("A finance schedule belongs to a PCN")
    if valid_from.day != 1:
        raise ValidationError("A finance schedule starts on the first of a month")
    if not 1 <= payment_day <= 28:
        raise ValidationError("The payment day must be between 1 and 28, so every month has it")
    payees = _payee_choices(network, valid_from)
    if nominated_payee.pk not in payees:
        raise ValidationError(
            f"{nominated_payee} cannot be the nominated payee: choose a member practice of "
            f"{network} or its alliance"
        )
    streams = {s.code: s for s in FundingStream.objects.all()}
    fixed = fixed or {}
    members = {pk for pk, org in payees.items() if org.kind == OrganisationKind.PRACTICE}
    for code, method in rules.items():
        if code not in streams:
            raise ValidationError(f"Unknown payment stream {code!r}")
        if method not in DistributionMethod.values:
            raise ValidationError(f"{streams[code].name}: unknown method {method!r}")
        if method == DistributionMethod.EMPLOYER and not streams[code].is_arrs:
            raise ValidationError(
                f"{streams[code].name}: only ARRS money is paid to employers for their claims"
            )
        if method == DistributionMethod.FIXED:
            amounts = fixed.get(code, {})
            if not any(a > 0 for a in amounts.values()):
                raise ValidationError(f"{streams[code].name}: give each practice's fixed amount")
            if any(a < 0 for a in amounts.values()):
                raise ValidationError(f"{streams[code].name}: a fixed amount cannot be negative")
            if set(amounts) - members:
                raise ValidationError(
                    f"{streams[code].name}: fixed amounts are for member practices only"
                )
    posted = (
        PaymentRun.objects.select_for_update()
        .filter(network=network, month__gte=valid_from, cancelled_at__isnull=True)
        .order_by("month")
        .first()
    )
    if posted is not None:
        raise ValidationError(
            f"Payments for {posted.month:%B %Y} are posted under the current schedule: cancel "
            "them first, or start the new version after them"
        )
    existing = FinanceSchedule.objects.filter(network=network, valid_from=valid_from).first()
    before = None
    if existing is not None:
        before = _schedule_snapshot(existing)
        if existing.runs.exists():
            raise ValidationError(
                "Payments were made under that version: start the new one from a later month"
            )
        existing.delete()
    schedule = FinanceSchedule.objects.create(
        network=network,
        valid_from=valid_from,
        nominated_payee=nominated_payee,
        payment_day=payment_day,
        holding_terms=holding_terms.strip(),
        agreed_on=agreed_on,
        reference=reference.strip()[:200],
    )
    for code, method in rules.items():
        rule = DistributionRule.objects.create(
            schedule=schedule, stream=streams[code], method=method
        )
        if method == DistributionMethod.FIXED:
            FixedShare.objects.bulk_create(
                FixedShare(rule=rule, practice_id=pk, annual_amount=amount)
                for pk, amount in sorted(fixed[code].items())
                if amount > 0
            )
    audit.record(
        by=by,
        action="agree_finance_schedule",
        obj=schedule,
        organisation=network,
        before=before,
        after=_schedule_snapshot(schedule),
    )
    return schedule


def _schedule_snapshot(schedule: FinanceSchedule) -> dict[str, Any]:
    return {
        **(audit.snapshot(schedule) or {}),
        "rules": {
            r.stream.code: {
                "method": r.method,
                "fixed": {str(f.practice_id): str(f.annual_amount) for f in r.fixed.all()},
            }
            for r in schedule.rules.select_related("stream")
        },
    }


@transaction.atomic
def post_payment_run(*, by: Any, network: Organisation, month: dt.date) -> PaymentRun:
    """Post the month's income and payments to practices to the ledger, once."""
    from openpcn.finance import payments
    from openpcn.finance.distribution import network_distribution
    from openpcn.finance.entitlements import FinancialYear

    require_permission(by, Permission.FINANCE_MANAGE, organisation=network)
    if month.day != 1:
        raise ValidationError("A payment run is for a month: give its first day")
    # Lock the PCN so two runs for it cannot be worked out at once.
    network = Organisation.objects.select_for_update().get(pk=network.pk)
    if PaymentRun.objects.filter(network=network, month=month, cancelled_at__isnull=True).exists():
        raise ValidationError(f"Payments for {month:%B %Y} have already been posted")
    plan = network_distribution(network, FinancialYear.containing(month)).month(month)
    assert plan is not None
    if not plan.payable:
        raise ValidationError(" ".join(plan.all_problems))
    if plan.received == 0:
        raise ValidationError(f"Nothing is received for {month:%B %Y}")
    schedule = FinanceSchedule.objects.get(pk=plan.schedule_key)
    journal = ledger_actions.post_journal(
        by=by,
        date=month.replace(day=schedule.payment_day),
        description=f"{network.name}: PCN income and payments for {month:%B %Y}",
        reference=f"PAY-{payments.network_label(network)}-{month:%Y-%m}",
        lines=payments.journal_lines(by, network, plan),
    )
    run = PaymentRun.objects.create(
        network=network,
        month=month,
        schedule=schedule,
        journal=journal,
        received=plan.received,
        paid_out=plan.paid_out,
        posted_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(
        by=by,
        action="post_payment_run",
        obj=run,
        organisation=network,
        after={
            **(audit.snapshot(run) or {}),
            "paid": {str(k): str(plan.paid_to(k)) for k in sorted(_recipients(plan))},
        },
    )
    return run


def _recipients(plan: Any) -> set[int]:
    return {k for s in plan.streams for k in s.payments}


@transaction.atomic
def cancel_payment_run(*, by: Any, run: PaymentRun, reason: str) -> PaymentRun:
    """Reverse a month's run in the ledger so it can be worked out and posted again."""
    run = PaymentRun.objects.select_for_update().select_related("network", "journal").get(pk=run.pk)
    require_permission(by, Permission.FINANCE_MANAGE, organisation=run.network)
    if run.cancelled_at is not None:
        raise ValidationError("That payment run is already cancelled")
    if not reason.strip():
        raise ValidationError("Say why the payments are cancelled")
    before = audit.snapshot(run)
    ledger_actions.reverse_journal(
        by=by,
        journal=run.journal,
        description=f"Cancelled: {run.journal.description} ({reason.strip()[:100]})",
    )
    run.cancelled_at = timezone.now()
    run.cancel_reason = reason.strip()[:300]
    run.save(update_fields=["cancelled_at", "cancel_reason"])
    audit.record(
        by=by,
        action="cancel_payment_run",
        obj=run,
        organisation=run.network,
        before=before,
        after=audit.snapshot(run),
    )
    return run
