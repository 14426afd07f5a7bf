"""Reads for the risk register pages, always narrowed to the organisations the user may see.

A user sees the risks of every organisation where they hold RISK_VIEW, and the risks escalated to
an alliance whose register they see.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.core.models import AuditEvent
from openpcn.governance import risks
from openpcn.governance.models import Risk, RiskStatus
from openpcn.organisations.models import Organisation, OrganisationKind, Person, RoleHolding


def register_scope(user: Any) -> set[int]:
    return covered_organisation_ids(user, Permission.RISK_VIEW)


def manage_scope(user: Any) -> set[int]:
    return covered_organisation_ids(user, Permission.RISK_MANAGE)


def visible_risks(user: Any) -> QuerySet[Risk]:
    scope = register_scope(user)
    return (
        Risk.objects.filter(Q(organisation_id__in=scope) | Q(escalated_to_id__in=scope))
        .select_related("organisation", "owner", "escalated_to")
        # The current score as a column, so the register can filter and sort by band.
        .annotate(score=F("current_consequence") * F("current_likelihood"))
    )


def register(
    user: Any,
    *,
    organisation: Organisation | None = None,
    band: risks.Band | None = None,
    status: str | None = "open",
) -> QuerySet[Risk]:
    """The register, highest current score first; an alliance's includes risks escalated to it."""
    found = visible_risks(user)
    if organisation is not None:
        found = found.filter(Q(organisation=organisation) | Q(escalated_to=organisation))
    if band is not None:
        low, high = band.scores
        found = found.filter(score__gte=low, score__lte=high)
    if status:
        found = found.filter(status=status)
    return found.order_by("-score", "review_date", "alliance_id", "number")


def heat_map(found: QuerySet[Risk]) -> list[list[risks.Cell]]:
    """The 5x5 grid with the count of the open risks among `found` at their current score."""
    counts = Counter(
        found.filter(status=RiskStatus.OPEN).values_list(
            "current_consequence", "current_likelihood"
        )
    )
    return risks.heat_map(dict(counts))


def register_organisations(user: Any) -> list[Organisation]:
    """The organisations the user may filter the register by: alliances first, then by name."""
    kinds = list(OrganisationKind.values)
    return sorted(
        Organisation.objects.filter(pk__in=register_scope(user)),
        key=lambda o: (kinds.index(o.kind), o.name),
    )


def risk_or_404(user: Any, pk: int) -> Risk:
    risk = visible_risks(user).filter(pk=pk).first()
    if risk is None:
        raise Http404("No such risk")
    return risk


def possible_owners(user: Any, current: Person | None = None) -> list[Person]:
    """People holding a current role in an organisation whose risks the user manages."""
    people = Person.objects.filter(
        pk__in=RoleHolding.objects.current()
        .filter(organisation_id__in=manage_scope(user))
        .values("person_id")
    )
    chosen = list(people.order_by("family_name", "given_name"))
    if current is not None and current not in chosen:
        chosen.append(current)
    return chosen


def history(risk: Risk) -> QuerySet[AuditEvent]:
    """The risk's audit events, oldest first (escalations are audited twice; this shows one)."""
    return AuditEvent.objects.filter(
        object_type=Risk._meta.label, object_id=str(risk.pk), organisation=risk.organisation
    ).order_by("at", "pk")
