"""Writes to Network Agreements: drafting a version and recording partners' signatures.

Drafting needs CONTRACT_MANAGE over the PCN; a signature is recorded by the same, for a partner of
a member practice only. When every partner has signed, the version is signed and the one before
it superseded. Checked, in a transaction and audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from openpcn.accounts.permissions import Permission
from openpcn.contracts.agreements import agreement_view, partners_of
from openpcn.contracts.models import (
    AgreementSignature,
    AgreementStatus,
    DirectorVoting,
    NetworkAgreement,
    QuorumBasis,
)
from openpcn.core import audit
from openpcn.core.actions import require_permission
from openpcn.organisations.models import Organisation, OrganisationKind, Person

SCHEDULE_FIELDS = (
    "network_area",
    "governance",
    "local_terms",
    "activities",
    "workforce",
    "external_arrangements",
)
# Schedule 1's structured terms for appointing the Clinical Director (appointments app counts by them).
DIRECTOR_TERMS = (
    "director_voting",
    "director_quorum_basis",
    "director_quorum_percent",
    "director_term_months",
)


def _whole_number(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"Schedule 1: {what} must be a whole number") from None


def _checked_director_terms(terms: dict[str, Any]) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    if "director_voting" in terms:
        if terms["director_voting"] not in DirectorVoting.values:
            raise ValidationError("Schedule 1: choose how practices' votes count")
        checked["director_voting"] = terms["director_voting"]
    if "director_quorum_basis" in terms:
        if terms["director_quorum_basis"] not in QuorumBasis.values:
            raise ValidationError("Schedule 1: choose what the quorum is a share of")
        checked["director_quorum_basis"] = terms["director_quorum_basis"]
    if "director_quorum_percent" in terms:
        percent = _whole_number(terms["director_quorum_percent"], "the quorum")
        if not 1 <= percent <= 100:
            raise ValidationError("Schedule 1: the quorum is a percentage from 1 to 100")
        checked["director_quorum_percent"] = percent
    if "director_term_months" in terms:
        months = _whole_number(terms["director_term_months"], "the term of office")
        if not 1 <= months <= 120:
            raise ValidationError("Schedule 1: the term of office is from 1 to 120 months")
        checked["director_term_months"] = months
    return checked


@transaction.atomic
def draft_agreement(
    *,
    by: Any,
    network: Organisation,
    effective_from: dt.date,
    director_terms: dict[str, Any] | None = None,
    **schedules: str,
) -> NetworkAgreement:
    """A new version, starting from the previous version's local schedules and Schedule 1's terms
    for appointing the Clinical Director (`director_terms` changes any of DIRECTOR_TERMS)."""
    require_permission(by, Permission.CONTRACT_MANAGE, organisation=network)
    if network.kind != OrganisationKind.NETWORK:
        raise ValidationError("A Network Agreement belongs to a PCN")
    unknown = set(schedules) - set(SCHEDULE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown schedule fields: {', '.join(sorted(unknown))}")
    Organisation.objects.select_for_update().filter(pk=network.pk).first()
    if NetworkAgreement.objects.filter(network=network, status=AgreementStatus.DRAFT).exists():
        raise ValidationError(f"{network} already has a draft awaiting signatures")
    previous = NetworkAgreement.objects.filter(network=network).order_by("-version").first()
    if previous is not None and effective_from < previous.effective_from:
        raise ValidationError(
            f"A new version cannot take effect before version {previous.version} "
            f"({previous.effective_from:%d %B %Y})"
        )
    values = {name: getattr(previous, name) if previous else "" for name in SCHEDULE_FIELDS}
    values.update({k: v.strip() for k, v in schedules.items()})
    unknown_terms = set(director_terms or {}) - set(DIRECTOR_TERMS)
    if unknown_terms:
        raise ValidationError(f"Unknown Schedule 1 terms: {', '.join(sorted(unknown_terms))}")
    if previous is not None:
        values.update({name: getattr(previous, name) for name in DIRECTOR_TERMS})
    values.update(_checked_director_terms(director_terms or {}))
    number = (
        NetworkAgreement.objects.filter(network=network).aggregate(n=Max("version"))["n"] or 0
    ) + 1
    agreement = NetworkAgreement.objects.create(
        network=network, version=number, effective_from=effective_from, **values
    )
    audit.record(
        by=by,
        action="draft_network_agreement",
        obj=agreement,
        organisation=network,
        after=audit.snapshot(agreement),
    )
    return agreement


@transaction.atomic
def record_signature(
    *,
    by: Any,
    agreement: NetworkAgreement,
    person: Person,
    practice: Organisation,
    signed_on: dt.date,
) -> AgreementSignature:
    agreement = (
        NetworkAgreement.objects.select_for_update().select_related("network").get(pk=agreement.pk)
    )
    require_permission(by, Permission.CONTRACT_MANAGE, organisation=agreement.network)
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(
            f"Version {agreement.version} is {agreement.get_status_display().lower()}"
        )
    view = agreement_view(agreement)
    if practice.pk not in {m.pk for m in view.members}:
        raise ValidationError(f"{practice} is not a member practice of {agreement.network}")
    if person not in partners_of(practice, agreement.effective_from):
        raise ValidationError(f"{person} is not a partner of {practice}: only partners sign for it")
    if AgreementSignature.objects.filter(
        agreement=agreement, person=person, practice=practice
    ).exists():
        raise ValidationError(f"{person} has already signed for {practice}")
    signature = AgreementSignature.objects.create(
        agreement=agreement, person=person, practice=practice, signed_on=signed_on
    )
    audit.record(
        by=by,
        action="sign_network_agreement",
        obj=signature,
        organisation=agreement.network,
        after=audit.snapshot(signature),
    )
    if agreement_view(agreement).fully_signed:
        NetworkAgreement.objects.filter(
            network=agreement.network, status=AgreementStatus.SIGNED
        ).update(status=AgreementStatus.SUPERSEDED)
        agreement.status = AgreementStatus.SIGNED
        agreement.save(update_fields=["status"])
        audit.record(
            by=by,
            action="network_agreement_signed",
            obj=agreement,
            organisation=agreement.network,
            after=audit.snapshot(agreement),
        )
    return signature
