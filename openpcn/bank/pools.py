"""Who may be offered a cover request: the pools, widening with time, and the checks on a claimer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
from openpcn.organisations.models import NetworkMembership, Organisation
from openpcn.workforce.models import Contract, StaffMember


def policy_for(alliance: Organisation | None) -> EscalationPolicy:
    """The alliance's escalation timings (the defaults until an admin changes them)."""
    if alliance is None:
        return EscalationPolicy()
    policy, _ = EscalationPolicy.objects.get_or_create(alliance=alliance)
    return policy


def current_pool(request: CoverRequest, now: dt.datetime | None = None) -> int:
    return policy_for(request.practice.alliance).pool_at(request.posted_at, now or timezone.now())


def _current(start: dt.date, end: dt.date | None, on: dt.date) -> bool:
    return start <= on and (end is None or end > on)


@dataclass
class PoolFacts:
    """What decides one person's pool for any request, read in a fixed handful of queries.

    The offers list asks about every open request at once; answering each from these facts (not
    from five queries per request) keeps it fast when many claimers re-read it together.
    """

    staff: StaffMember
    contracts: list[tuple[int, dt.date, dt.date | None]]  # employer, start, end
    networks: dict[int, list[tuple[int, dt.date, dt.date | None]]]  # practice -> PCN spells
    alliance_of: dict[int, int | None]  # employer -> its alliance
    bank_alliance: int | None
    documents: list[tuple[str, dt.date]]  # kind, expires on

    @classmethod
    def read(cls, staff: StaffMember, practice_ids: set[int]) -> PoolFacts:
        contracts = list(
            Contract.objects.filter(staff=staff).values_list(
                "employer_id", "start_date", "end_date"
            )
        )
        practices = set(practice_ids)
        if staff.home_practice_id is not None:
            practices.add(staff.home_practice_id)
        networks: dict[int, list[tuple[int, dt.date, dt.date | None]]] = {}
        for practice, network, start, end in NetworkMembership.objects.filter(
            practice_id__in=practices
        ).values_list("practice_id", "network_id", "start_date", "end_date"):
            networks.setdefault(practice, []).append((network, start, end))
        employers = {employer for employer, _, _ in contracts}
        alliance_of = dict(
            Organisation.objects.filter(pk__in=employers).values_list("pk", "alliance_id")
        )
        member = BankMember.objects.filter(staff=staff, is_active=True).first()
        documents = (
            list(ComplianceDocument.objects.filter(member=member).values_list("kind", "expires_on"))
            if member is not None
            else []
        )
        return cls(
            staff, contracts, networks, alliance_of, member and member.alliance_id, documents
        )

    def employers_on(self, on: dt.date) -> set[int]:
        return {employer for employer, start, end in self.contracts if _current(start, end, on)}

    def network_of(self, practice_id: int | None, on: dt.date) -> int | None:
        for network, start, end in self.networks.get(practice_id or 0, []):
            if _current(start, end, on):
                return network
        return None

    def pool_for(self, request: CoverRequest) -> int | None:
        """The first pool the person belongs to for this request, or None if they are in none."""
        on = request.starts_at.date()
        practice_id = request.practice_id
        employers = self.employers_on(on)
        if practice_id in employers or self.staff.home_practice_id == practice_id:
            return POOL_PRACTICE
        network = self.network_of(practice_id, on)
        if network is not None and (
            network in employers or self.network_of(self.staff.home_practice_id, on) == network
        ):
            return POOL_NETWORK
        alliance_id = request.practice.alliance_id
        if alliance_id is None:
            return None
        if any(e == alliance_id or self.alliance_of.get(e) == alliance_id for e in employers):
            return POOL_ALLIANCE
        if self.bank_alliance == alliance_id and not self.lapsed_on(on):
            return POOL_BANK
        return None

    def lapsed_on(self, on: dt.date) -> list[str]:
        in_date = {kind for kind, expires in self.documents if expires >= on}
        return [DocumentKind(kind).label for kind in REQUIRED_DOCUMENTS if kind not in in_date]


def pool_of(staff: StaffMember, request: CoverRequest) -> int | None:
    """The first pool the person belongs to for this request, or None if they are in none."""
    return PoolFacts.read(staff, {request.practice_id}).pool_for(request)


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
    requests = list(
        CoverRequest.objects.filter(
            status=CoverStatus.OPEN, starts_at__gt=now, skill__in=staff.skills.all()
        ).select_related("practice", "site", "skill")
    )
    if not requests:
        return []
    facts = PoolFacts.read(staff, {r.practice_id for r in requests})
    alliances = {r.practice.alliance_id for r in requests}
    policies = {
        p.alliance_id: p for p in EscalationPolicy.objects.filter(alliance_id__in=alliances)
    }
    offers = []
    for request in requests:
        pool = facts.pool_for(request)
        # An alliance that never changed its timings has the defaults (no row is written on a read).
        policy = policies.get(request.practice.alliance_id) or EscalationPolicy()
        if pool is not None and pool <= policy.pool_at(request.posted_at, now):
            offers.append(request)
    return offers
