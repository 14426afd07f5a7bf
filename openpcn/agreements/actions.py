"""Writes to Network Agreements: drafting a version, editing its schedules, recording partners'
signatures. Each needs AGREEMENT_MANAGE over the PCN, runs in a transaction and is audited.

A version becomes signed when every partner of every member practice (as on its effective date)
has signed; the version it replaces is then superseded, and kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from openpcn.accounts.permissions import Permission
from openpcn.agreements.models import (
    SCHEDULE_FIELDS,
    AgreementStatus,
    NetworkAgreement,
    Signatory,
)
from openpcn.agreements.queries import partners_of, required_signatures
from openpcn.core import audit
from openpcn.core.actions import require_permission
from openpcn.organisations.models import Organisation, OrganisationKind, Person
from openpcn.organisations.queries import practices_of


def _clean_schedules(schedules: dict[str, str]) -> dict[str, str]:
    unknown = set(schedules) - set(SCHEDULE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown schedule fields: {', '.join(sorted(unknown))}")
    return {name: (value or "").strip() for name, value in schedules.items()}


def _lock_network(network: Organisation) -> None:
    # Two managers drafting at once would both pick the same next version number.
    Organisation.objects.select_for_update().filter(pk=network.pk).first()


@transaction.atomic
def draft_agreement(
    *, by: Any, network: Organisation, effective_from: dt.date, **schedules: str
) -> NetworkAgreement:
    """Start the next version of the PCN's agreement, its local schedules copied from the latest
    version and then replaced by any given here."""
    require_permission(by, Permission.AGREEMENT_MANAGE, organisation=network)
    if network.kind != OrganisationKind.NETWORK:
        raise ValidationError("A Network Agreement belongs to a PCN")
    given = _clean_schedules(schedules)
    _lock_network(network)
    versions = NetworkAgreement.objects.filter(network=network)
    if versions.filter(status=AgreementStatus.DRAFT).exists():
        raise ValidationError(
            "A draft version is already awaiting signatures: edit it, or have it signed first"
        )
    latest = versions.order_by("-version").first()
    if latest is not None and effective_from <= latest.effective_from:
        raise ValidationError(
            f"A new version must take effect after version {latest.version} "
            f"({latest.effective_from:%d %B %Y})"
        )
    copied = {name: getattr(latest, name) for name in SCHEDULE_FIELDS} if latest else {}
    number = (versions.aggregate(top=Max("version"))["top"] or 0) + 1
    agreement = NetworkAgreement.objects.create(
        network=network,
        version=number,
        effective_from=effective_from,
        **{**copied, **given},
    )
    audit.record(
        by=by,
        action="agreement.draft",
        obj=agreement,
        organisation=network,
        after=audit.snapshot(agreement, exclude=("id",)),
    )
    return agreement


@transaction.atomic
def update_schedules(*, by: Any, agreement: NetworkAgreement, **schedules: str) -> NetworkAgreement:
    """Change a draft's local schedules (before any partner has signed what they say)."""
    require_permission(by, Permission.AGREEMENT_MANAGE, organisation=agreement.network)
    agreement = NetworkAgreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.is_draft:
        raise ValidationError("Only a draft can be changed: draft a new version instead")
    if agreement.signatories.exists():
        raise ValidationError("Partners have signed this text: it can no longer be changed")
    given = _clean_schedules(schedules)
    before = audit.snapshot(agreement)
    for name, value in given.items():
        setattr(agreement, name, value)
    agreement.save(update_fields=list(given) or None)
    audit.record(
        by=by,
        action="agreement.update_schedules",
        obj=agreement,
        organisation=agreement.network,
        before=before,
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
) -> Signatory:
    """Record that a partner of a member practice signed the draft for that practice; the last
    signature makes the version signed and supersedes the one before."""
    require_permission(by, Permission.AGREEMENT_MANAGE, organisation=agreement.network)
    agreement = NetworkAgreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.is_draft:
        raise ValidationError(f"Version {agreement.version} is {agreement.get_status_display()}")
    day = agreement.effective_from
    if practice.pk not in {p.pk for p in practices_of(agreement.network, day)}:
        raise ValidationError(f"{practice} is not a member practice of {agreement.network}")
    if person.pk not in {p.pk for p in partners_of(practice, day)}:
        raise ValidationError(f"{person} is not a partner of {practice}, so cannot sign for it")
    if signed_on > timezone.localdate():
        raise ValidationError("A signature cannot be dated in the future")
    if Signatory.objects.filter(agreement=agreement, practice=practice, person=person).exists():
        raise ValidationError(f"{person} has already signed for {practice}")
    signature = Signatory.objects.create(
        agreement=agreement,
        practice=practice,
        person=person,
        signed_on=signed_on,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(
        by=by,
        action="agreement.record_signature",
        obj=signature,
        organisation=agreement.network,
        after=audit.snapshot(signature, exclude=("id",)),
    )
    practices = required_signatures(agreement)
    if practices and all(p.complete for p in practices):
        _sign(by=by, agreement=agreement)
    return signature


def _sign(*, by: Any, agreement: NetworkAgreement) -> None:
    """Every partner has signed: this version is in force and the signed one before it ends."""
    last = agreement.signatories.aggregate(last=Max("signed_on"))["last"]
    for older in NetworkAgreement.objects.select_for_update().filter(
        network=agreement.network, status=AgreementStatus.SIGNED, version__lt=agreement.version
    ):
        before = audit.snapshot(older)
        older.status = AgreementStatus.SUPERSEDED
        older.save(update_fields=["status"])
        audit.record(
            by=by,
            action="agreement.supersede",
            obj=older,
            organisation=agreement.network,
            before=before,
            after=audit.snapshot(older),
        )
    before = audit.snapshot(agreement)
    agreement.status = AgreementStatus.SIGNED
    agreement.signed_on = last
    agreement.save(update_fields=["status", "signed_on"])
    audit.record(
        by=by,
        action="agreement.sign",
        obj=agreement,
        organisation=agreement.network,
        before=before,
        after=audit.snapshot(agreement),
    )
