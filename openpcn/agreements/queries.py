"""Reads for the agreement pages: a PCN's versions, and one version as a reader sees it.

Schedule 1's members, Clinical Director and nominated payee, and Schedule 4's rules, are read
live as on the version's effective date, so the agreement never disagrees with the registry or
with the finance schedule the payments follow (ADR 0008).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.agreements.models import AgreementStatus, NetworkAgreement, Signatory
from openpcn.finance.distribution import rules_of, schedule_in_force
from openpcn.finance.models import DistributionMethod, FinanceSchedule, FundingStream
from openpcn.organisations.models import Organisation, Person, RoleHolding, RoleTitle
from openpcn.organisations.queries import clinical_director, practices_of

# Reading an agreement needs ORGANISATION_VIEW, as the PCN's registry page does: it is the PCN's
# constitution, shown to everyone who sees the PCN, and holds nothing the registry page does not.
READ = Permission.ORGANISATION_VIEW


def viewable_agreements(user: Any) -> QuerySet[NetworkAgreement]:
    return NetworkAgreement.objects.filter(
        network_id__in=covered_organisation_ids(user, READ)
    ).select_related("network")


def versions_of(network: Organisation) -> list[NetworkAgreement]:
    return list(NetworkAgreement.objects.filter(network=network).order_by("-version"))


def current_agreement(network: Organisation) -> NetworkAgreement | None:
    """The version in force (the latest signed), or failing that the latest draft."""
    versions = versions_of(network)
    signed = [v for v in versions if v.status == AgreementStatus.SIGNED]
    return signed[0] if signed else (versions[0] if versions else None)


def open_draft(network: Organisation) -> NetworkAgreement | None:
    return NetworkAgreement.objects.filter(network=network, status=AgreementStatus.DRAFT).first()


def partners_of(practice: Organisation, on: dt.date) -> list[Person]:
    """The GP partners of a practice on a day: the people who must sign for it."""
    ids = (
        RoleHolding.objects.current_on(on)
        .filter(organisation=practice, title=RoleTitle.GP_PARTNER)
        .values_list("person_id", flat=True)
    )
    return list(Person.objects.filter(pk__in=ids))


@dataclass
class PracticeSignatures:
    """One member practice's partners, and which of them have signed (person pk → signature)."""

    practice: Organisation
    partners: list[Person]
    signed: dict[int, Signatory] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return bool(self.partners) and all(p.pk in self.signed for p in self.partners)

    @property
    def outstanding(self) -> list[Person]:
        return [p for p in self.partners if p.pk not in self.signed]


@dataclass(frozen=True)
class FinanceRuleLine:
    stream: str
    method: str
    fixed: list[tuple[str, Any]]  # (practice name, £ a year) under a fixed-amounts rule


@dataclass
class AgreementView:
    agreement: NetworkAgreement
    members: list[Organisation]
    clinical_director: Person | None
    finance_schedule: FinanceSchedule | None
    finance_rules: list[FinanceRuleLine]
    practices: list[PracticeSignatures]

    @property
    def nominated_payee(self) -> Organisation | None:
        return self.finance_schedule.nominated_payee if self.finance_schedule else None

    @property
    def fully_signed(self) -> bool:
        return bool(self.practices) and all(p.complete for p in self.practices)

    @property
    def outstanding(self) -> list[tuple[Organisation, Person]]:
        return [(p.practice, person) for p in self.practices for person in p.outstanding]

    @property
    def signed_count(self) -> int:
        return sum(len(p.signed) for p in self.practices)

    @property
    def partner_count(self) -> int:
        return sum(len(p.partners) for p in self.practices)


def required_signatures(agreement: NetworkAgreement) -> list[PracticeSignatures]:
    """Every partner of every member practice as on the effective date, and who has signed."""
    day = agreement.effective_from
    recorded = list(
        Signatory.objects.filter(agreement=agreement).select_related("person", "practice")
    )
    result = []
    for practice in sorted(practices_of(agreement.network, day), key=lambda p: p.name):
        partners = partners_of(practice, day)
        signed = {s.person_id: s for s in recorded if s.practice_id == practice.pk}
        result.append(PracticeSignatures(practice, partners, signed))
    return result


def _clinical_director_on(network: Organisation, day: dt.date) -> Person | None:
    holding = (
        RoleHolding.objects.current_on(day)
        .filter(organisation=network, title=RoleTitle.CLINICAL_DIRECTOR)
        .select_related("person")
        .first()
    )
    if holding is None and day >= dt.date.today():
        # A version effective from today or later names the Clinical Director now in post.
        holding = clinical_director(network)
    return holding.person if holding is not None else None


def finance_schedule_on(network: Organisation, day: dt.date) -> FinanceSchedule | None:
    schedules = list(
        FinanceSchedule.objects.filter(network=network)
        .select_related("nominated_payee")
        .prefetch_related("rules__stream", "rules__fixed__practice")
    )
    found = schedule_in_force(schedules, day)
    return found if isinstance(found, FinanceSchedule) else None


def _rule_lines(schedule: FinanceSchedule | None) -> list[FinanceRuleLine]:
    if schedule is None:
        return []
    names = {s.code: s.name for s in FundingStream.objects.all()}
    methods = dict(DistributionMethod.choices)
    fixed_ids = {pk for rule in rules_of(schedule).values() for pk in rule.fixed}
    practices = dict(Organisation.objects.filter(pk__in=fixed_ids).values_list("pk", "name"))
    return [
        FinanceRuleLine(
            stream=names.get(code, code),
            method=str(methods.get(rule.method, rule.method)),
            fixed=sorted((practices.get(pk, str(pk)), amount) for pk, amount in rule.fixed.items()),
        )
        for code, rule in rules_of(schedule).items()
    ]


def agreement_view(agreement: NetworkAgreement) -> AgreementView:
    day = agreement.effective_from
    schedule = finance_schedule_on(agreement.network, day)
    return AgreementView(
        agreement=agreement,
        members=sorted(practices_of(agreement.network, day), key=lambda p: p.name),
        clinical_director=_clinical_director_on(agreement.network, day),
        finance_schedule=schedule,
        finance_rules=_rule_lines(schedule),
        practices=required_signatures(agreement),
    )
