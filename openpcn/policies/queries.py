"""Reads for the policy library, always narrowed to what the user may see.

Published policies are read by anyone working in the organisations they were written for: an
alliance's by everyone in the alliance, a PCN's by everyone in the PCN and its practices. Drafts
are seen only by those with POLICY_MANAGE over the policy's organisation. Compliance (adoptions
and acknowledgements) is seen with POLICY_COMPLIANCE_VIEW over the practice. Anything else is 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.organisations.models import (
    NetworkMembership,
    Organisation,
    OrganisationKind,
    Person,
)
from openpcn.policies.models import (
    Acknowledgement,
    Adoption,
    Policy,
    PolicyVersion,
    VersionStatus,
)
from openpcn.workforce.models import Contract, JobRole, StaffMember

READABLE = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)
# The library page lists reviews falling due within this many days.
REVIEW_HORIZON_DAYS = 60
PUBLISHERS = (OrganisationKind.ALLIANCE, OrganisationKind.NETWORK)


def manage_scope(user: Any) -> set[int]:
    return covered_organisation_ids(user, Permission.POLICY_MANAGE)


def adopt_scope(user: Any) -> set[int]:
    return covered_organisation_ids(user, Permission.POLICY_ADOPT)


def compliance_scope(user: Any) -> set[int]:
    return covered_organisation_ids(user, Permission.POLICY_COMPLIANCE_VIEW)


def publishers_for(organisation_ids: Iterable[int], on: dt.date | None = None) -> set[int]:
    """The alliances and PCNs whose policies apply in these organisations."""
    ids = set(organisation_ids)
    found = set(ids)
    found.update(
        a
        for a in Organisation.objects.filter(pk__in=ids).values_list("alliance_id", flat=True)
        if a is not None
    )
    found.update(
        NetworkMembership.objects.current_on(on or dt.date.today())
        .filter(practice_id__in=ids)
        .values_list("network_id", flat=True)
    )
    return found


def reader_scope(user: Any) -> set[int]:
    """Organisations whose published policies the user may read."""
    return publishers_for(
        covered_organisation_ids(user, Permission.ORGANISATION_VIEW) | manage_scope(user)
    )


def can_read_library(user: Any) -> bool:
    return bool(reader_scope(user))


def visible_policies(user: Any) -> QuerySet[Policy]:
    readable = Q(organisation_id__in=reader_scope(user), versions__status__in=READABLE)
    managed = Q(organisation_id__in=manage_scope(user))
    ids = Policy.objects.filter(readable | managed).values("pk")
    return (
        Policy.objects.filter(pk__in=ids)
        .select_related("organisation", "owner", "approver")
        .prefetch_related("job_roles")
    )


def can_manage(user: Any, policy: Policy) -> bool:
    return policy.organisation_id in manage_scope(user)


def policy_or_404(user: Any, pk: int) -> Policy:
    policy = visible_policies(user).filter(pk=pk).first()
    if policy is None:
        raise Http404("No such policy")
    return policy


def version_or_404(user: Any, pk: int) -> PolicyVersion:
    version = PolicyVersion.objects.filter(pk=pk).first()
    if version is None:
        raise Http404("No such version")
    version.policy = policy_or_404(user, version.policy_id)
    if version.status not in READABLE and not can_manage(user, version.policy):
        raise Http404("No such version")
    return version


def current_version(policy: Policy) -> PolicyVersion | None:
    return policy.versions.filter(status=VersionStatus.PUBLISHED).first()


def versions_seen(user: Any, policy: Policy) -> list[PolicyVersion]:
    found = policy.versions.select_related("created_by", "approved_by")
    if not can_manage(user, policy):
        found = found.filter(status__in=READABLE)
    return list(found.order_by("-number"))


def previous_version(version: PolicyVersion) -> PolicyVersion | None:
    return (
        PolicyVersion.objects.filter(policy_id=version.policy_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )


def with_current(policies: Iterable[Policy]) -> list[tuple[Policy, PolicyVersion | None]]:
    """Each policy with its published version (None while it has none)."""
    policies = list(policies)
    published = {
        v.policy_id: v
        for v in PolicyVersion.objects.filter(
            policy__in=policies, status=VersionStatus.PUBLISHED
        ).order_by()
    }
    return [(p, published.get(p.pk)) for p in policies]


def search(user: Any, text: str, category: str = "") -> list[tuple[Policy, PolicyVersion | None]]:
    """Published policies matching the words, best first; PostgreSQL full-text search when on
    PostgreSQL, every word in the title, changes or text elsewhere."""
    versions = PolicyVersion.objects.filter(
        status=VersionStatus.PUBLISHED, policy__in=visible_policies(user)
    ).select_related("policy__organisation", "policy__owner")
    if category:
        versions = versions.filter(policy__category=category)
    text = text.strip()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("policy__title", weight="A", config="english") + SearchVector(
            "body", "changes", "document_name", weight="B", config="english"
        )
        query = SearchQuery(text, config="english", search_type="websearch")
        found = (
            versions.annotate(search=vector, rank=SearchRank(vector, query))
            .filter(search=query)
            .order_by("-rank", "policy__title")
        )
    else:
        for word in text.split():
            versions = versions.filter(
                Q(policy__title__icontains=word)
                | Q(body__icontains=word)
                | Q(changes__icontains=word)
                | Q(document_name__icontains=word)
            )
        found = versions.order_by("policy__title")
    return [(v.policy, v) for v in found]


def people_for(organisation: Organisation) -> list[Person]:
    """Who may own or approve a policy of this organisation: people holding a current role in
    it or in the organisations of its alliance."""
    alliance_id = organisation.pk if organisation.kind == OrganisationKind.ALLIANCE else None
    alliance_id = alliance_id or organisation.alliance_id
    today = dt.date.today()
    return list(
        Person.objects.filter(
            Q(roles__organisation_id=alliance_id) | Q(roles__organisation__alliance_id=alliance_id),
            roles__start_date__lte=today,
        )
        .filter(Q(roles__end_date__isnull=True) | Q(roles__end_date__gt=today))
        .distinct()
        .order_by("family_name", "given_name")
    )


def people_at(practice: Organisation) -> list[Person]:
    """Who may approve a practice's local variation: people holding a current role in the
    practice or its PCN."""
    today = dt.date.today()
    return list(
        Person.objects.filter(
            roles__organisation_id__in=publishers_for([practice.pk]) - {practice.alliance_id},
            roles__start_date__lte=today,
        )
        .filter(Q(roles__end_date__isnull=True) | Q(roles__end_date__gt=today))
        .distinct()
        .order_by("family_name", "given_name")
    )


def publishers_managed(user: Any) -> list[Organisation]:
    return list(
        Organisation.objects.filter(pk__in=manage_scope(user), kind__in=PUBLISHERS).order_by(
            "kind", "name"
        )
    )


def practices_in(ids: Iterable[int]) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=set(ids), kind=OrganisationKind.PRACTICE).order_by(
        "name"
    )


def may_adopt_at(practice: Organisation, policy: Policy) -> bool:
    """A practice adopts the policies of its alliance and of its current PCN."""
    return policy.organisation_id in publishers_for([practice.pk])


def adopting_practices(user: Any, policy: Policy) -> list[Organisation]:
    return [p for p in practices_in(adopt_scope(user)) if may_adopt_at(p, policy)]


def current_adoption(practice: Organisation, policy: Policy) -> Adoption | None:
    return (
        Adoption.objects.filter(practice=practice, policy=policy, replaced_on__isnull=True)
        .select_related("version", "variation_approved_by")
        .first()
    )


def adoptions_seen(user: Any, policy: Policy) -> list[Adoption]:
    """The practices running this policy, where the user sees compliance or adopts."""
    return list(
        Adoption.objects.filter(
            policy=policy,
            replaced_on__isnull=True,
            practice_id__in=compliance_scope(user) | adopt_scope(user),
        ).select_related("practice", "version", "variation_approved_by")
    )


# Acknowledgement -------------------------------------------------------------------------------


def job_roles_of(staff: StaffMember, on: dt.date | None = None) -> list[JobRole]:
    on = on or dt.date.today()
    contracts = Contract.objects.filter(staff=staff, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=on)
    )
    return list(JobRole.objects.filter(contracts__in=contracts).distinct())


def required_number(version: PolicyVersion) -> int:
    """The oldest version whose acknowledgement still counts for `version`: the latest
    significant version up to it (or the first)."""
    significant = (
        PolicyVersion.objects.filter(
            policy_id=version.policy_id, number__lte=version.number, significant=True
        )
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return significant or 1


def has_acknowledged(staff: StaffMember, version: PolicyVersion) -> bool:
    return Acknowledgement.objects.filter(
        staff=staff,
        version__policy_id=version.policy_id,
        version__number__gte=required_number(version),
        version__number__lte=version.number,
    ).exists()


@dataclass
class ToAcknowledge:
    adoption: Adoption
    acknowledged_on: dt.datetime | None

    @property
    def version(self) -> PolicyVersion:
        return self.adoption.version


def for_staff(staff: StaffMember) -> list[ToAcknowledge]:
    """The policies the staff member's practice runs that apply to their job roles, each with
    when they acknowledged it (None while outstanding)."""
    if staff.home_practice_id is None:
        return []
    roles = job_roles_of(staff)
    found = []
    for adoption in (
        Adoption.objects.filter(practice_id=staff.home_practice_id, replaced_on__isnull=True)
        .select_related("policy", "version", "variation_approved_by", "practice")
        .prefetch_related("policy__job_roles")
        .order_by("policy__title")
    ):
        if not adoption.policy.applies_to_roles(roles):
            continue
        ack = (
            Acknowledgement.objects.filter(
                staff=staff,
                version__policy_id=adoption.policy_id,
                version__number__gte=required_number(adoption.version),
                version__number__lte=adoption.version.number,
            )
            .order_by("-acknowledged_at")
            .first()
        )
        found.append(ToAcknowledge(adoption, ack.acknowledged_at if ack else None))
    return found


def outstanding_for(staff: StaffMember | None) -> list[ToAcknowledge]:
    return [] if staff is None else [t for t in for_staff(staff) if t.acknowledged_on is None]


# Compliance ------------------------------------------------------------------------------------


@dataclass
class PolicyCompliance:
    adoption: Adoption
    acknowledged: list[StaffMember] = field(default_factory=list)
    outstanding: list[StaffMember] = field(default_factory=list)
    newer: PolicyVersion | None = None  # a published version the practice has not adopted yet

    @property
    def applies_to(self) -> int:
        return len(self.acknowledged) + len(self.outstanding)

    @property
    def rate(self) -> int | None:
        """Percentage acknowledged, or None when the policy applies to no one here."""
        if not self.applies_to:
            return None
        return round(100 * len(self.acknowledged) / self.applies_to)


@dataclass
class StaffCompliance:
    staff: StaffMember
    roles: list[JobRole]
    acknowledged: int
    outstanding: list[Adoption]


@dataclass
class RoleCompliance:
    role: str
    acknowledged: int
    due: int

    @property
    def rate(self) -> int | None:
        return round(100 * self.acknowledged / self.due) if self.due else None


@dataclass
class PracticeCompliance:
    practice: Organisation
    policies: list[PolicyCompliance]
    staff: list[StaffCompliance]
    roles: list[RoleCompliance]
    not_adopted: list[tuple[Policy, PolicyVersion]]

    @property
    def acknowledged(self) -> int:
        return sum(len(p.acknowledged) for p in self.policies)

    @property
    def due(self) -> int:
        return sum(p.applies_to for p in self.policies)

    @property
    def rate(self) -> int | None:
        return round(100 * self.acknowledged / self.due) if self.due else None


def practice_or_404(user: Any, pk: int) -> Organisation:
    practice = practices_in(compliance_scope(user)).filter(pk=pk).first()
    if practice is None:
        raise Http404("No such practice")
    return practice


def practice_compliance(practice: Organisation) -> PracticeCompliance:
    """Adopted policies with who has acknowledged them, by policy, by person and by job role."""
    staff = list(
        StaffMember.objects.filter(home_practice=practice, is_active=True).select_related("person")
    )
    roles = {s.pk: job_roles_of(s) for s in staff}
    acknowledgements: dict[tuple[int, int], set[int]] = {}
    for staff_id, policy_id, number in Acknowledgement.objects.filter(staff__in=staff).values_list(
        "staff_id", "version__policy_id", "version__number"
    ):
        acknowledgements.setdefault((staff_id, policy_id), set()).add(number)
    adoptions = list(
        Adoption.objects.filter(practice=practice, replaced_on__isnull=True)
        .select_related("policy", "version", "variation_approved_by", "adopted_by")
        .prefetch_related(Prefetch("policy__job_roles"))
        .order_by("policy__title")
    )
    published = {
        v.policy_id: v
        for v in PolicyVersion.objects.filter(
            policy_id__in=[a.policy_id for a in adoptions], status=VersionStatus.PUBLISHED
        )
    }
    by_staff: dict[int, StaffCompliance] = {
        s.pk: StaffCompliance(s, roles[s.pk], 0, []) for s in staff
    }
    by_role: dict[str, RoleCompliance] = {}
    policies = []
    for adoption in adoptions:
        floor = required_number(adoption.version)
        newer = published.get(adoption.policy_id)
        row = PolicyCompliance(
            adoption, newer=newer if newer and newer.pk != adoption.version_id else None
        )
        for member in staff:
            if not adoption.policy.applies_to_roles(roles[member.pk]):
                continue
            numbers = acknowledgements.get((member.pk, adoption.policy_id), set())
            done = any(floor <= n <= adoption.version.number for n in numbers)
            (row.acknowledged if done else row.outstanding).append(member)
            if done:
                by_staff[member.pk].acknowledged += 1
            else:
                by_staff[member.pk].outstanding.append(adoption)
            for name in [r.name for r in roles[member.pk]] or ["No current contract"]:
                tally = by_role.setdefault(name, RoleCompliance(name, 0, 0))
                tally.due += 1
                tally.acknowledged += int(done)
        policies.append(row)
    adopted_ids = {a.policy_id for a in adoptions}
    not_adopted = [
        (v.policy, v)
        for v in PolicyVersion.objects.filter(
            status=VersionStatus.PUBLISHED,
            policy__organisation_id__in=publishers_for([practice.pk]),
        )
        .exclude(policy_id__in=adopted_ids)
        .select_related("policy")
        .order_by("policy__title")
    ]
    return PracticeCompliance(
        practice=practice,
        policies=policies,
        staff=sorted(
            by_staff.values(), key=lambda s: (s.staff.person.family_name, s.staff.person.given_name)
        ),
        roles=sorted(by_role.values(), key=lambda r: r.role),
        not_adopted=not_adopted,
    )


@dataclass
class PracticeSummary:
    practice: Organisation
    adopted: int
    acknowledged: int
    due: int
    out_of_date: int

    @property
    def rate(self) -> int | None:
        return round(100 * self.acknowledged / self.due) if self.due else None


def practices_summary(user: Any) -> list[PracticeSummary]:
    today = dt.date.today()
    found = []
    for practice in practices_in(compliance_scope(user)):
        compliance = practice_compliance(practice)
        found.append(
            PracticeSummary(
                practice,
                adopted=len(compliance.policies),
                acknowledged=compliance.acknowledged,
                due=compliance.due,
                out_of_date=sum(
                    1 for p in compliance.policies if p.adoption.version.out_of_date(today)
                ),
            )
        )
    return found


# Reviews ---------------------------------------------------------------------------------------


def reviews_due(user: Any, today: dt.date, horizon_days: int) -> list[PolicyVersion]:
    """Published versions whose review falls due by the horizon, or is already past: of the
    policies the user manages, and of those running at the practices where they adopt."""
    until = today + dt.timedelta(days=horizon_days)
    running = Adoption.objects.filter(
        practice_id__in=adopt_scope(user), replaced_on__isnull=True
    ).values("policy_id")
    return list(
        PolicyVersion.objects.filter(
            Q(policy__organisation_id__in=manage_scope(user)) | Q(policy_id__in=running),
            status=VersionStatus.PUBLISHED,
            review_date__lte=until,
        )
        .select_related("policy", "policy__owner")
        .order_by("review_date", "policy__title")
    )
