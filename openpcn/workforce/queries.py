"""Reads about staff, always within the organisations the user's roles cover."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet

from openpcn.accounts.models import User
from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.workforce.models import Absence, AbsenceStatus, Contract, StaffMember


def current_contracts(on: dt.date | None = None) -> QuerySet[Contract]:
    on = on or dt.date.today()
    return Contract.objects.filter(start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=on)
    )


def staff_organisation_ids(staff: StaffMember, on: dt.date | None = None) -> set[int]:
    """The organisations a staff member belongs to: employers of current contracts, home practice."""
    ids = set(current_contracts(on).filter(staff=staff).values_list("employer_id", flat=True))
    if staff.home_practice_id:
        ids.add(staff.home_practice_id)
    return ids


def staff_in_scope(
    user: User, permission: Permission = Permission.WORKFORCE_VIEW
) -> QuerySet[StaffMember]:
    scope = covered_organisation_ids(user, permission)
    employed_here = current_contracts().filter(employer_id__in=scope).values("staff_id")
    return (
        StaffMember.objects.filter(Q(pk__in=employed_here) | Q(home_practice_id__in=scope))
        .select_related("person", "home_practice")
        .prefetch_related(
            Prefetch(
                "contracts",
                queryset=current_contracts().select_related("job_role", "employer"),
                to_attr="current_contracts",
            )
        )
        .distinct()
    )


def can_see_staff(user: User, staff: StaffMember, permission: Permission) -> bool:
    """True for the staff member themself (own work) or a user whose scope covers them."""
    if user.person_id is not None and user.person_id == staff.person_id:
        return True
    return bool(staff_organisation_ids(staff) & covered_organisation_ids(user, permission))


def own_staff_record(user: User) -> StaffMember | None:
    if user.person_id is None:
        return None
    return StaffMember.objects.filter(person_id=user.person_id).first()


def leave_awaiting_decision(user: User) -> QuerySet[Absence]:
    staff_ids = staff_in_scope(user, Permission.LEAVE_APPROVE).values("pk")
    return (
        Absence.objects.filter(status=AbsenceStatus.REQUESTED, staff_id__in=staff_ids)
        .select_related("staff__person")
        .order_by("first_day")
    )


def absences_between(first: dt.date, last: dt.date) -> QuerySet[Absence]:
    """Approved absences overlapping [first, last]."""
    return Absence.objects.filter(
        status=AbsenceStatus.APPROVED, first_day__lte=last, last_day__gte=first
    )
