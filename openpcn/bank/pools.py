"""Who may be offered a cover request: the pools, widening with time, and the checks on a claimer."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from openpcn.bank.models import (
    POOL_ALLIANCE,
    POOL_BANK,
    POOL_NETWORK,
    POOL_PRACTICE,
    REQUIRED_DOCUMENTS,
    BankMember,
    ComplianceDocument,
    CoverRequest,
    DocumentKind,
    EscalationPolicy,
)
from openpcn.organisations.models import Organisation
from openpcn.organisations.queries import current_network
from openpcn.workforce.models import StaffMember
from openpcn.workforce.queries import current_contracts


def policy_for(alliance: Organisation | None) -> EscalationPolicy:
    """The alliance's escalation timings (the defaults until an admin changes them)."""
    if alliance is None:
        return EscalationPolicy()
    policy, _ = EscalationPolicy.objects.get_or_create(alliance=alliance)
    return policy


def current_pool(request: CoverRequest, now: dt.datetime | None = None) -> int:
    return policy_for(request.practice.alliance).pool_at(request.posted_at, now or timezone.now())


def pool_of(staff: StaffMember, request: CoverRequest) -> int | None:
    """The first pool the person belongs to for this request, or None if they are in none."""
    on = request.starts_at.date()
    practice = request.practice
    employers = set(current_contracts(on).filter(staff=staff).values_list("employer_id", flat=True))
    if practice.pk in employers or staff.home_practice_id == practice.pk:
        return POOL_PRACTICE
    network = current_network(practice, on)
    if network is not None:
        home_network = (
            current_network(staff.home_practice, on) if staff.home_practice_id is not None else None
        )
        if network.pk in employers or (home_network is not None and home_network.pk == network.pk):
            return POOL_NETWORK
    alliance_id = practice.alliance_id
    if (
        employers
        and Organisation.objects.filter(pk__in=employers)
        .filter(Q(pk=alliance_id) | Q(alliance_id=alliance_id))
        .exists()
    ):
        return POOL_ALLIANCE
    member = BankMember.objects.filter(staff=staff, alliance_id=alliance_id, is_active=True).first()
    if member is not None and not lapsed_documents(member, on):
        return POOL_BANK
    return None


def lapsed_documents(member: BankMember, on: dt.date) -> list[str]:
    """Required documents missing or out of date on `on`: any of them blocks offers."""
    in_date = set(
        ComplianceDocument.objects.filter(member=member, expires_on__gte=on).values_list(
            "kind", flat=True
        )
    )
    return [DocumentKind(kind).label for kind in REQUIRED_DOCUMENTS if kind not in in_date]


def staff_in_pool(request: CoverRequest, pool: int) -> list[StaffMember]:
    """Everyone whose first pool for this request is exactly `pool` and who has the skill."""
    candidates = StaffMember.objects.filter(is_active=True, skills=request.skill).select_related(
        "person", "home_practice"
    )
    return [s for s in candidates if pool_of(s, request) == pool]


def open_offers_for(staff: StaffMember, now: dt.datetime | None = None) -> list[CoverRequest]:
    """Open, future requests this person may claim now (skill held, their pool reached)."""
    from openpcn.bank.models import CoverStatus

    now = now or timezone.now()
    offers = []
    requests = CoverRequest.objects.filter(
        status=CoverStatus.OPEN, starts_at__gt=now, skill__in=staff.skills.all()
    ).select_related("practice", "site", "skill")
    for request in requests:
        pool = pool_of(staff, request)
        if pool is not None and pool <= current_pool(request, now):
            offers.append(request)
    return offers
