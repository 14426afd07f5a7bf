"""Writes to the risk register. Each action checks permission, runs in a transaction and is audited.

RISK_MANAGE over the risk's own organisation is needed to record, rescore, review, close or
escalate it. A risk's target score may not be above its current score: the target is where the
planned actions should bring it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from openpcn.accounts.permissions import Permission
from openpcn.core import audit
from openpcn.core.actions import require_permission
from openpcn.governance import risks
from openpcn.governance.models import Risk, RiskCategory, RiskStatus
from openpcn.organisations.models import Organisation, OrganisationKind, Person

EDITABLE_RISK_FIELDS = frozenset(
    {
        "title",
        "description",
        "category",
        "owner",
        "controls",
        "actions",
        "current_consequence",
        "current_likelihood",
        "target_consequence",
        "target_likelihood",
        "review_date",
    }
)
_TEXT_FIELDS = ("title", "description", "controls", "actions")


def _alliance_of(organisation: Organisation) -> Organisation:
    if organisation.kind == OrganisationKind.ALLIANCE:
        return organisation
    if organisation.alliance_id is None:
        raise ValidationError(f"{organisation} belongs to no alliance, so keeps no risk register")
    return Organisation.objects.get(pk=organisation.alliance_id)


def _validate(risk: Risk) -> None:
    risk.title = risk.title.strip()
    if not risk.title:
        raise ValidationError("A risk needs a title")
    if risk.category not in RiskCategory.values:
        raise ValidationError(f"Unknown risk category {risk.category!r}")
    if risk.owner is not None and not isinstance(risk.owner, Person):
        raise ValidationError("A risk's owner is a person in the registry")
    for when in ("initial", "current", "target"):
        for axis in ("consequence", "likelihood"):
            try:
                risks.check_level(getattr(risk, f"{when}_{axis}"), f"{when} {axis}")
            except ValueError as error:
                raise ValidationError(str(error)) from error
    if risk.target_score > risk.current_score:
        raise ValidationError(
            f"The target score ({risk.target_score}) cannot be above the current score "
            f"({risk.current_score})"
        )
    if risk.review_date is not None and not isinstance(risk.review_date, dt.date):
        raise ValidationError("The review date must be a date")


@transaction.atomic
def record_risk(
    *,
    by: Any,
    organisation: Organisation,
    title: str,
    category: str,
    consequence: int,
    likelihood: int,
    target_consequence: int,
    target_likelihood: int,
    description: str = "",
    owner: Person | None = None,
    controls: str = "",
    actions: str = "",
    review_date: dt.date | None = None,
) -> Risk:
    """Record a new open risk; its initial and current scores are both consequence × likelihood."""
    require_permission(by, Permission.RISK_MANAGE, organisation=organisation)
    alliance = _alliance_of(organisation)
    # Lock the alliance so two risks recorded at once never take the same number.
    Organisation.objects.select_for_update().filter(pk=alliance.pk).first()
    last = Risk.objects.filter(alliance=alliance).aggregate(n=Max("number"))["n"] or 0
    risk = Risk(
        organisation=organisation,
        alliance=alliance,
        number=last + 1,
        title=title,
        description=description.strip(),
        category=category,
        owner=owner,
        controls=controls.strip(),
        actions=actions.strip(),
        initial_consequence=consequence,
        initial_likelihood=likelihood,
        current_consequence=consequence,
        current_likelihood=likelihood,
        target_consequence=target_consequence,
        target_likelihood=target_likelihood,
        review_date=review_date,
    )
    _validate(risk)
    risk.save()
    audit.record(
        by=by,
        action="record_risk",
        obj=risk,
        organisation=organisation,
        after=audit.snapshot(risk),
    )
    return risk


def _locked(risk: Risk) -> Risk:
    return Risk.objects.select_for_update().select_related("organisation").get(pk=risk.pk)


@transaction.atomic
def update_risk(*, by: Any, risk: Risk, **changes: Any) -> Risk:
    """Rescore or review an open risk: any of EDITABLE_RISK_FIELDS; the initial score never changes."""
    require_permission(by, Permission.RISK_MANAGE, organisation=risk.organisation)
    unknown = set(changes) - EDITABLE_RISK_FIELDS
    if unknown:
        raise ValidationError(f"These risk fields cannot be changed here: {sorted(unknown)}")
    locked = _locked(risk)
    if not locked.is_open:
        raise ValidationError(f"{locked.reference} is closed")
    before = audit.snapshot(locked)
    for field, value in changes.items():
        setattr(locked, field, value.strip() if field in _TEXT_FIELDS else value)
    _validate(locked)
    locked.save()
    audit.record(
        by=by,
        action="update_risk",
        obj=locked,
        organisation=locked.organisation,
        before=before,
        after=audit.snapshot(locked),
    )
    return locked


@transaction.atomic
def close_risk(*, by: Any, risk: Risk, note: str = "", on: dt.date | None = None) -> Risk:
    require_permission(by, Permission.RISK_MANAGE, organisation=risk.organisation)
    locked = _locked(risk)
    if not locked.is_open:
        raise ValidationError(f"{locked.reference} is already closed")
    before = audit.snapshot(locked)
    locked.status = RiskStatus.CLOSED
    locked.closed_on = on or dt.date.today()
    locked.closure_note = note.strip()
    locked.save()
    audit.record(
        by=by,
        action="close_risk",
        obj=locked,
        organisation=locked.organisation,
        before=before,
        after=audit.snapshot(locked),
    )
    return locked


@transaction.atomic
def escalate_risk(*, by: Any, risk: Risk, note: str = "", on: dt.date | None = None) -> Risk:
    """Escalate a practice, PCN or place risk to its alliance's board (its register shows it)."""
    require_permission(by, Permission.RISK_MANAGE, organisation=risk.organisation)
    locked = _locked(risk)
    if locked.organisation.kind == OrganisationKind.ALLIANCE:
        raise ValidationError(f"{locked.reference} is already on the alliance's own register")
    if not locked.is_open:
        raise ValidationError(f"{locked.reference} is closed")
    if locked.escalated_to_id is not None:
        raise ValidationError(f"{locked.reference} has already been escalated")
    before = audit.snapshot(locked)
    locked.escalated_to = locked.alliance
    locked.escalated_on = on or dt.date.today()
    locked.escalation_note = note.strip()
    locked.save()
    for organisation in (locked.organisation, locked.alliance):
        # Audited in both places, so the alliance's log shows what its board was sent.
        audit.record(
            by=by,
            action="escalate_risk",
            obj=locked,
            organisation=organisation,
            before=before,
            after=audit.snapshot(locked),
        )
    return locked
