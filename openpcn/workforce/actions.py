"""Writes to the workforce. Each action checks permission, runs in a transaction and is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.core import audit
from openpcn.core.actions import end_dated_record, require_permission
from openpcn.organisations.models import Organisation, Person, Site
from openpcn.workforce.models import (
    Absence,
    AbsenceKind,
    AbsenceStatus,
    Availability,
    Contract,
    JobRole,
    Skill,
    StaffMember,
    StaffSkill,
    TrainingRecord,
)
from openpcn.workforce.queries import staff_organisation_ids


def _require_over_staff(by: Any, permission: Permission, staff: StaffMember) -> None:
    """A manager's permission must cover one of the organisations the staff member belongs to."""
    if by is None:
        return
    if not staff_organisation_ids(staff) & covered_organisation_ids(by, permission):
        raise PermissionDenied(f"{by} may not {permission.value} for {staff}")


def _home_org(staff: StaffMember) -> Organisation | None:
    return staff.home_practice


@transaction.atomic
def add_staff_member(
    *, by: Any, person: Person, home_practice: Organisation | None = None
) -> StaffMember:
    if home_practice is not None:
        require_permission(by, Permission.WORKFORCE_MANAGE, organisation=home_practice)
    elif by is not None:
        raise ValidationError("Say which practice is this person's home practice")
    staff = StaffMember.objects.create(person=person, home_practice=home_practice)
    audit.record(
        by=by,
        action="add_staff_member",
        obj=staff,
        organisation=home_practice,
        after=audit.snapshot(staff, exclude=("skills", "sites")),
    )
    return staff


@transaction.atomic
def add_contract(
    *,
    by: Any,
    staff: StaffMember,
    employer: Organisation,
    job_role: JobRole,
    hours_per_week: Decimal,
    start_date: dt.date,
    annual_salary: Decimal,
    employer_ni: Decimal = Decimal("0"),
    employer_pension: Decimal = Decimal("0"),
    band: str = "",
    arrs_funded: bool = False,
    end_date: dt.date | None = None,
) -> Contract:
    require_permission(by, Permission.WORKFORCE_MANAGE, organisation=employer)
    if arrs_funded and not job_role.is_arrs:
        raise ValidationError(f"{job_role} is not an ARRS role, so it cannot be ARRS-funded")
    contract = Contract(
        staff=staff,
        employer=employer,
        job_role=job_role,
        band=band,
        hours_per_week=hours_per_week,
        start_date=start_date,
        end_date=end_date,
        arrs_funded=arrs_funded,
        annual_salary=annual_salary,
        employer_ni=employer_ni,
        employer_pension=employer_pension,
    )
    contract.full_clean()
    contract.save()
    StaffSkill.objects.get_or_create(
        staff=staff, skill=job_role.rota_skill, defaults={"since": start_date}
    )
    audit.record(
        by=by,
        action="add_contract",
        obj=contract,
        organisation=employer,
        after=audit.snapshot(contract),
    )
    return contract


@transaction.atomic
def end_contract(*, by: Any, contract: Contract, end_date: dt.date) -> Contract:
    require_permission(by, Permission.WORKFORCE_MANAGE, organisation=contract.employer)
    end_dated_record(
        by=by,
        record=contract,
        end_date=end_date,
        action="end_contract",
        organisation=contract.employer,
        what="A contract",
    )
    return contract


@transaction.atomic
def set_skills(
    *, by: Any, staff: StaffMember, skills: Iterable[Skill], since: dt.date | None = None
) -> list[str]:
    _require_over_staff(by, Permission.WORKFORCE_MANAGE, staff)
    before = sorted(staff.skills.values_list("code", flat=True))
    wanted = {skill.pk: skill for skill in skills}
    StaffSkill.objects.filter(staff=staff).exclude(skill_id__in=wanted).delete()
    for skill in wanted.values():
        StaffSkill.objects.get_or_create(staff=staff, skill=skill, defaults={"since": since})
    after = sorted(staff.skills.values_list("code", flat=True))
    audit.record(
        by=by,
        action="set_skills",
        obj=staff,
        organisation=_home_org(staff),
        before={"skills": before},
        after={"skills": after},
    )
    return after


@transaction.atomic
def set_sites(*, by: Any, staff: StaffMember, sites: Iterable[Site]) -> None:
    _require_over_staff(by, Permission.WORKFORCE_MANAGE, staff)
    before = sorted(staff.sites.values_list("pk", flat=True))
    staff.sites.set(list(sites))
    audit.record(
        by=by,
        action="set_sites",
        obj=staff,
        organisation=_home_org(staff),
        before={"sites": before},
        after={"sites": sorted(staff.sites.values_list("pk", flat=True))},
    )


@transaction.atomic
def set_availability(*, by: Any, staff: StaffMember, slots: Iterable[tuple[int, str]]) -> None:
    """Replace a person's weekly pattern with `slots` of (weekday, session)."""
    _require_over_staff(by, Permission.WORKFORCE_MANAGE, staff)
    before = sorted(staff.availability.values_list("weekday", "session"))
    Availability.objects.filter(staff=staff).delete()
    Availability.objects.bulk_create(
        Availability(staff=staff, weekday=weekday, session=session)
        for weekday, session in set(slots)
    )
    audit.record(
        by=by,
        action="set_availability",
        obj=staff,
        organisation=_home_org(staff),
        before={"slots": [list(s) for s in before]},
        after={"slots": [list(s) for s in sorted(set(slots))]},
    )


@transaction.atomic
def request_absence(
    *, by: Any, staff: StaffMember, kind: str, first_day: dt.date, last_day: dt.date, note: str = ""
) -> Absence:
    """Staff request their own leave; managers may record any absence (sickness is approved at once)."""
    is_self = by is not None and by.person_id == staff.person_id
    if by is not None and not is_self:
        _require_over_staff(by, Permission.LEAVE_APPROVE, staff)
    if last_day < first_day:
        raise ValidationError("The last day must be on or after the first day")
    overlapping = Absence.objects.filter(
        staff=staff,
        status__in=[AbsenceStatus.REQUESTED, AbsenceStatus.APPROVED],
        first_day__lte=last_day,
        last_day__gte=first_day,
    )
    if overlapping.exists():
        raise ValidationError("This overlaps leave already requested or approved")
    recorded_by_manager = by is None or not is_self
    status = (
        AbsenceStatus.APPROVED
        if kind == AbsenceKind.SICKNESS and recorded_by_manager
        else AbsenceStatus.REQUESTED
    )
    absence = Absence.objects.create(
        staff=staff,
        kind=kind,
        first_day=first_day,
        last_day=last_day,
        note=note,
        status=status,
        decided_by=by if status == AbsenceStatus.APPROVED else None,
        decided_at=timezone.now() if status == AbsenceStatus.APPROVED else None,
    )
    audit.record(
        by=by,
        action="request_absence",
        obj=absence,
        organisation=_home_org(staff),
        after=audit.snapshot(absence),
    )
    return absence


@transaction.atomic
def decide_absence(*, by: Any, absence: Absence, approve: bool) -> Absence:
    _require_over_staff(by, Permission.LEAVE_APPROVE, absence.staff)
    if by is not None and by.person_id == absence.staff.person_id:
        raise PermissionDenied("Nobody approves their own leave")
    if absence.status != AbsenceStatus.REQUESTED:
        raise ValidationError(f"This request is already {absence.get_status_display().lower()}")
    before = audit.snapshot(absence)
    absence.status = AbsenceStatus.APPROVED if approve else AbsenceStatus.DECLINED
    absence.decided_by = by
    absence.decided_at = timezone.now()
    absence.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(
        by=by,
        action="approve_absence" if approve else "decline_absence",
        obj=absence,
        organisation=_home_org(absence.staff),
        before=before,
        after=audit.snapshot(absence),
    )
    return absence


@transaction.atomic
def record_training(
    *,
    by: Any,
    staff: StaffMember,
    course: str,
    completed_on: dt.date,
    expires_on: dt.date | None = None,
) -> TrainingRecord:
    _require_over_staff(by, Permission.WORKFORCE_MANAGE, staff)
    record = TrainingRecord.objects.create(
        staff=staff, course=course, completed_on=completed_on, expires_on=expires_on
    )
    audit.record(
        by=by,
        action="record_training",
        obj=record,
        organisation=_home_org(staff),
        after=audit.snapshot(record),
    )
    return record


@transaction.atomic
def record_event_training(
    *, by: Any, staff: StaffMember, course: str, completed_on: dt.date, organisation: Organisation
) -> TrainingRecord:
    """A training record from an education event's register, kept by the event's organiser: their
    EVENT_MANAGE where the event is run stands in for WORKFORCE_MANAGE (Clinical Directors run
    events but do not manage staff records)."""
    require_permission(by, Permission.EVENT_MANAGE, organisation=organisation)
    record = TrainingRecord.objects.create(staff=staff, course=course, completed_on=completed_on)
    audit.record(
        by=by,
        action="record_event_training",
        obj=record,
        organisation=organisation,
        after=audit.snapshot(record),
    )
    return record


@transaction.atomic
def withdraw_event_training(*, by: Any, record: TrainingRecord, organisation: Organisation) -> None:
    """Remove a training record an event's register made, when the register is corrected."""
    require_permission(by, Permission.EVENT_MANAGE, organisation=organisation)
    before = audit.snapshot(record)
    audit.record(
        by=by,
        action="withdraw_event_training",
        obj=record,
        organisation=organisation,
        before=before,
    )
    record.delete()
