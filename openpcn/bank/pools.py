"""Who may be offered a cover request: the pools, widening with time, and the checks on a claimer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

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
    CoverStatus,
    DocumentKind,
    EscalationPolicy,
)
from openpcn.organisations.models import NetworkMembership, Organisation
from openpcn.workforce.models import Contract, StaffMember


def policy_for(alliance: Organisation | None) -> EscalationPolicy:
    """The alliance's escalation timings (the defaults until an admin changes them)."""
    return _policy(alliance.pk if alliance is not None else None)


def _policy(alliance_id: int | None) -> EscalationPolicy:
    if alliance_id is None:
        return EscalationPolicy()
    policy, _ = EscalationPolicy.objects.get_or_create(alliance_id=alliance_id)
    return policy


def current_pool(request: CoverRequest, now: dt.datetime | None = None) -> int:
    # By id: a claim reads the request with its practice only, not the alliance row.
    return _policy(request.practice.alliance_id).pool_at(request.posted_at, now or timezone.now())


def _current(start: dt.date, end: dt.date | None, on: dt.date) -> bool:
    return start <= on and (end is None or end > on)


@dataclass
class PoolFacts:
    """What decides one person's pool for any request, read in a fixed handful of queries.

    The offers list asks about every open request at once; answering each from these facts (not
    from five queries per request) keeps it fast when many claimers re-read it together.
    """

    staff: StaffMember
    contracts: list[tuple[int, dt.date, dt.date | None, int | None]]  # employer, dates, alliance
    networks: dict[int, list[tuple[int, dt.date, dt.date | None]]]  # practice -> PCN spells
    bank: list[tuple[int, str, dt.date]]  # bank alliance, document kind, expiry

    @classmethod
    def read(cls, staff: StaffMember, practice_ids: set[int]) -> PoolFacts:
        contracts = list(
            Contract.objects.filter(staff=staff)
            .order_by()  # the model's ordering joins people's names; only the facts are wanted
            .values_list("employer_id", "start_date", "end_date", "employer__alliance_id")
        )
        practices = set(practice_ids)
        if staff.home_practice_id is not None:
            practices.add(staff.home_practice_id)
        networks: dict[int, list[tuple[int, dt.date, dt.date | None]]] = {}
        for practice, network, start, end in (
            NetworkMembership.objects.filter(practice_id__in=practices)
            .order_by()
            .values_list("practice_id", "network_id", "start_date", "end_date")
        ):
            networks.setdefault(practice, []).append((network, start, end))
        # A bank member with no documents on file is lapsed, so reading them through it loses nothing.
        bank = list(
            ComplianceDocument.objects.filter(member__staff=staff, member__is_active=True)
            .order_by()
            .values_list("member__alliance_id", "kind", "expires_on")
        )
        return cls(staff, contracts, networks, bank)

    def network_of(self, practice_id: int | None, on: dt.date) -> int | None:
        for network, start, end in self.networks.get(practice_id or 0, []):
            if _current(start, end, on):
                return network
        return None

    def pool_for(
        self, practice_id: int, alliance_id: int | None, starts_at: dt.datetime
    ) -> int | None:
        """The first pool the person belongs to for a session, or None if they are in none."""
        on = starts_at.date()
        current = [
            (e, alliance) for e, start, end, alliance in self.contracts if _current(start, end, on)
        ]
        employers = {employer for employer, _ in current}
        if practice_id in employers or self.staff.home_practice_id == practice_id:
            return POOL_PRACTICE
        network = self.network_of(practice_id, on)
        if network is not None and (
            network in employers or self.network_of(self.staff.home_practice_id, on) == network
        ):
            return POOL_NETWORK
        if alliance_id is None:
            return None
        if any(alliance_id in (employer, alliance) for employer, alliance in current):
            return POOL_ALLIANCE
        in_date = {
            kind for bank, kind, expires in self.bank if bank == alliance_id and expires >= on
        }
        if not _lapsed(in_date):  # a member of this alliance's bank with every document in date
            return POOL_BANK
        return None


def pool_of(staff: StaffMember, request: CoverRequest) -> int | None:
    """The first pool the person belongs to for this request, or None if they are in none."""
    return PoolFacts.read(staff, {request.practice_id}).pool_for(
        request.practice_id, request.practice.alliance_id, request.starts_at
    )


def _lapsed(in_date: set[str]) -> list[str]:
    return [DocumentKind(kind).label for kind in REQUIRED_DOCUMENTS if kind not in in_date]


def lapsed_documents(member: BankMember, on: dt.date) -> list[str]:
    """Required documents missing or out of date on `on`: any of them blocks offers."""
    return _lapsed(
        set(
            ComplianceDocument.objects.filter(member=member, expires_on__gte=on).values_list(
                "kind", flat=True
            )
        )
    )


def staff_in_pool(request: CoverRequest, pool: int) -> list[StaffMember]:
    """Everyone whose first pool for this request is exactly `pool` and who has the skill."""
    candidates = StaffMember.objects.filter(is_active=True, skills=request.skill).select_related(
        "person", "home_practice"
    )
    return [s for s in candidates if pool_of(s, request) == pool]


@dataclass(frozen=True)
class Offer:
    """An open session as the offers page and the API show it."""

    pk: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    rate: Decimal
    notes: str
    practice_name: str
    site_name: str
    skill_name: str


def open_offers_for(staff: StaffMember, now: dt.datetime | None = None) -> list[Offer]:
    """Open, future requests this person may claim now (skill held, their pool reached).

    Read as plain values in one query (with the alliance's escalation timings) and decided from
    PoolFacts: claimers re-read this list after every refusal, many at once.
    """
    now = now or timezone.now()
    rows = list(
        CoverRequest.objects.filter(
            status=CoverStatus.OPEN, starts_at__gt=now, skill__in=staff.skills.all()
        ).values_list(
            "pk",
            "starts_at",
            "ends_at",
            "rate",
            "notes",
            "practice__name",
            "site__name",
            "skill__name",
            "practice_id",
            "practice__alliance_id",
            "posted_at",
            "practice__alliance__escalation_policy__practice_minutes",
            "practice__alliance__escalation_policy__network_minutes",
            "practice__alliance__escalation_policy__alliance_minutes",
        )
    )
    if not rows:
        return []
    facts = PoolFacts.read(staff, {row[8] for row in rows})
    offers = []
    policies: dict[int | None, EscalationPolicy] = {}
    for *shown, practice_id, alliance_id, posted_at, practice_m, network_m, alliance_m in rows:
        offer = Offer(*shown)
        pool = facts.pool_for(practice_id, alliance_id, offer.starts_at)
        if alliance_id not in policies:
            # An alliance that never changed its timings has the defaults (nothing written on a read).
            policies[alliance_id] = (
                EscalationPolicy(
                    practice_minutes=practice_m,
                    network_minutes=network_m,
                    alliance_minutes=alliance_m,
                )
                if practice_m is not None
                else EscalationPolicy()
            )
        if pool is not None and pool <= policies[alliance_id].pool_at(posted_at, now):
            offers.append(offer)
    return offers
