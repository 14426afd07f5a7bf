"""Writes for PCN development: self-assessments, sessions, findings, recommendations and actions.

Each checks DEVELOPMENT_MANAGE over the PCN or place it concerns, runs in a transaction and is
audited. A confidential session's notes never go into the audit log (admins read the log).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from openpcn.accounts.permissions import Permission
from openpcn.core import audit
from openpcn.core.actions import require_permission
from openpcn.development.models import (
    DevelopmentSession,
    Finding,
    MaturityArea,
    MaturityAssessment,
    MaturityRating,
    MaturityStep,
    Readiness,
    Recommendation,
    RecommendationAction,
    RecommendationStatus,
    SessionKind,
    Theme,
)
from openpcn.organisations.models import Organisation, OrganisationKind, Person

CONFIDENTIAL = "(confidential)"


def _actor_label(by: Any) -> str:
    return by.get_username() if by is not None else audit.COMMAND_LINE


def _require_kind(organisation: Organisation, *kinds: object, what: str) -> None:
    if organisation.kind not in kinds:
        raise ValidationError(what)


@transaction.atomic
def record_maturity_assessment(
    *,
    by: Any,
    network: Organisation,
    assessed_on: dt.date,
    ratings: Mapping[str, tuple[int, str]],
    summary: str = "",
) -> MaturityAssessment:
    """Record a PCN's self-assessment: `ratings` maps every area's key to (step level, evidence)."""
    require_permission(by, Permission.DEVELOPMENT_MANAGE, organisation=network)
    _require_kind(network, OrganisationKind.NETWORK, what="A maturity self-assessment is a PCN's")
    areas = {a.key: a for a in MaturityArea.objects.all()}
    steps = {s.level: s for s in MaturityStep.objects.all()}
    if set(ratings) != set(areas):
        missing = ", ".join(areas[k].name for k in sorted(set(areas) - set(ratings)))
        raise ValidationError(f"Rate every area of the matrix (missing: {missing or 'none'})")
    if any(level not in steps for level, _evidence in ratings.values()):
        raise ValidationError("Each area is rated on one of the matrix's steps")
    if MaturityAssessment.objects.filter(network=network, assessed_on=assessed_on).exists():
        raise ValidationError(f"{network} already has an assessment on {assessed_on:%d %B %Y}")
    assessment = MaturityAssessment.objects.create(
        network=network,
        assessed_on=assessed_on,
        summary=summary.strip(),
        recorded_by=_actor_label(by),
    )
    MaturityRating.objects.bulk_create(
        MaturityRating(
            assessment=assessment, area=areas[key], step=steps[level], evidence=evidence.strip()
        )
        for key, (level, evidence) in ratings.items()
    )
    audit.record(
        by=by,
        action="record_maturity_assessment",
        obj=assessment,
        organisation=network,
        after={
            **(audit.snapshot(assessment) or {}),
            "ratings": {key: level for key, (level, _e) in sorted(ratings.items())},
        },
    )
    return assessment


def _session_snapshot(session: DevelopmentSession) -> dict[str, Any]:
    data = audit.snapshot(session, exclude=("notes",)) or {}
    data["notes"] = CONFIDENTIAL if session.confidential else session.notes
    return data


@transaction.atomic
def record_session(
    *,
    by: Any,
    organisation: Organisation,
    kind: str,
    held_on: dt.date,
    title: str,
    facilitators: Iterable[Person],
    attendees: Iterable[Person] = (),
    notes: str = "",
    confidential: bool = False,
) -> DevelopmentSession:
    """Record a workshop or one-to-one conversation held with a place or a PCN."""
    require_permission(by, Permission.DEVELOPMENT_MANAGE, organisation=organisation)
    _require_kind(
        organisation,
        OrganisationKind.PLACE,
        OrganisationKind.NETWORK,
        what="A session is held with a place or a PCN",
    )
    if kind not in SessionKind.values:
        raise ValidationError(f"Unknown kind of session {kind!r}")
    if not title.strip():
        raise ValidationError("A session needs a title")
    facilitators = list(facilitators)
    if not facilitators:
        raise ValidationError("A session needs at least one facilitator")
    session = DevelopmentSession.objects.create(
        organisation=organisation,
        kind=kind,
        held_on=held_on,
        title=title.strip()[:200],
        notes=notes.strip(),
        confidential=confidential,
    )
    session.facilitators.set(facilitators)
    session.attendees.set(list(attendees))
    audit.record(
        by=by,
        action="record_session",
        obj=session,
        organisation=organisation,
        after=_session_snapshot(session),
    )
    return session


@transaction.atomic
def record_finding(
    *,
    by: Any,
    place: Organisation,
    theme: str,
    title: str,
    found_on: dt.date,
    detail: str = "",
    session: DevelopmentSession | None = None,
) -> Finding:
    require_permission(by, Permission.DEVELOPMENT_MANAGE, organisation=place)
    _require_kind(place, OrganisationKind.PLACE, what="Findings are tagged by place")
    if theme not in Theme.values:
        raise ValidationError(f"Unknown theme {theme!r}")
    if not title.strip():
        raise ValidationError("A finding needs a title")
    finding = Finding.objects.create(
        place=place,
        theme=theme,
        title=title.strip()[:200],
        detail=detail.strip(),
        found_on=found_on,
        session=session,
    )
    audit.record(
        by=by,
        action="record_finding",
        obj=finding,
        organisation=place,
        after=audit.snapshot(finding),
    )
    return finding


@transaction.atomic
def add_recommendation(
    *,
    by: Any,
    place: Organisation,
    theme: str,
    title: str,
    readiness: str,
    detail: str = "",
    owner: Person | None = None,
    findings: Iterable[Finding] = (),
    learning: str = "",
) -> Recommendation:
    require_permission(by, Permission.DEVELOPMENT_MANAGE, organisation=place)
    _require_kind(place, OrganisationKind.PLACE, what="Recommendations are made to a place")
    if theme not in Theme.values:
        raise ValidationError(f"Unknown theme {theme!r}")
    if readiness not in Readiness.values:
        raise ValidationError(f"Unknown readiness {readiness!r}")
    if not title.strip():
        raise ValidationError("A recommendation needs a title")
    findings = list(findings)
    if any(f.place_id != place.pk for f in findings):
        raise ValidationError("A recommendation draws on its own place's findings")
    recommendation = Recommendation.objects.create(
        place=place,
        theme=theme,
        title=title.strip()[:200],
        readiness=readiness,
        detail=detail.strip(),
        owner=owner,
        learning=learning.strip(),
    )
    recommendation.findings.set(findings)
    audit.record(
        by=by,
        action="add_recommendation",
        obj=recommendation,
        organisation=place,
        after=audit.snapshot(recommendation),
    )
    return recommendation


@transaction.atomic
def update_recommendation(
    *,
    by: Any,
    recommendation: Recommendation,
    status: str,
    evidence_of_impact: str | None = None,
    learning: str | None = None,
) -> Recommendation:
    """Move a recommendation on (proposed, agreed, in progress, done, dropped), with its impact."""
    recommendation = (
        Recommendation.objects.select_for_update().select_related("place").get(pk=recommendation.pk)
    )
    require_permission(by, Permission.DEVELOPMENT_MANAGE, organisation=recommendation.place)
    if status not in RecommendationStatus.values:
        raise ValidationError(f"Unknown status {status!r}")
    before = audit.snapshot(recommendation)
    recommendation.status = status
    if evidence_of_impact is not None:
        recommendation.evidence_of_impact = evidence_of_impact.strip()
    if learning is not None:
        recommendation.learning = learning.strip()
    recommendation.save(update_fields=["status", "evidence_of_impact", "learning"])
    audit.record(
        by=by,
        action="update_recommendation",
        obj=recommendation,
        organisation=recommendation.place,
        before=before,
        after=audit.snapshot(recommendation),
    )
    return recommendation


@transaction.atomic
def add_recommendation_action(
    *,
    by: Any,
    recommendation: Recommendation,
    what: str,
    who: Person | None = None,
    due: dt.date | None = None,
) -> RecommendationAction:
    require_permission(by, Permission.DEVELOPMENT_MANAGE, organisation=recommendation.place)
    if not what.strip():
        raise ValidationError("An action says what is to be done")
    action = RecommendationAction.objects.create(
        recommendation=recommendation, what=what.strip()[:300], who=who, due=due
    )
    audit.record(
        by=by,
        action="add_recommendation_action",
        obj=action,
        organisation=recommendation.place,
        after=audit.snapshot(action),
    )
    return action


@transaction.atomic
def complete_recommendation_action(
    *, by: Any, action: RecommendationAction, on: dt.date
) -> RecommendationAction:
    action = (
        RecommendationAction.objects.select_for_update()
        .select_related("recommendation__place")
        .get(pk=action.pk)
    )
    place = action.recommendation.place
    require_permission(by, Permission.DEVELOPMENT_MANAGE, organisation=place)
    if action.done_on is not None:
        raise ValidationError("The action is already done")
    before = audit.snapshot(action)
    action.done_on = on
    action.save(update_fields=["done_on"])
    audit.record(
        by=by,
        action="complete_recommendation_action",
        obj=action,
        organisation=place,
        before=before,
        after=audit.snapshot(action),
    )
    return action
