"""Reads for the development pages, always narrowed to the user's scope.

Development work is read with BOARD_VIEW rather than ORGANISATION_VIEW: a PCN's self-assessment and
a place's recommendations are leadership material, so finance officers and clinicians (who hold
ORGANISATION_VIEW only) do not see them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids, has_permission
from openpcn.development.models import (
    DevelopmentSession,
    MaturityArea,
    MaturityAssessment,
    MaturityRating,
    Recommendation,
    RecommendationAction,
    RecommendationStatus,
    Theme,
)
from openpcn.organisations.models import Organisation, OrganisationKind, Person, RoleHolding

READ = Permission.BOARD_VIEW
MANAGE = Permission.DEVELOPMENT_MANAGE


def read_scope(user: Any) -> set[int]:
    return covered_organisation_ids(user, READ)


def can_manage(user: Any, organisation: Organisation) -> bool:
    return has_permission(user, MANAGE, organisation=organisation)


def networks(user: Any) -> list[Organisation]:
    """The PCNs the user may read, by place then name (PCNs with no place last)."""
    found = Organisation.objects.filter(
        kind=OrganisationKind.NETWORK, pk__in=read_scope(user)
    ).select_related("place")
    return sorted(found, key=lambda n: (n.place is None, n.place.name if n.place else "", n.name))


def places(user: Any) -> list[Organisation]:
    return list(
        Organisation.objects.filter(kind=OrganisationKind.PLACE, pk__in=read_scope(user)).order_by(
            "name"
        )
    )


def _with_ratings(found: QuerySet[MaturityAssessment]) -> QuerySet[MaturityAssessment]:
    return found.prefetch_related(
        Prefetch("ratings", queryset=MaturityRating.objects.select_related("area", "step"))
    )


def assessments_of(network: Organisation) -> list[MaturityAssessment]:
    """A PCN's assessments, newest first."""
    return list(
        _with_ratings(MaturityAssessment.objects.filter(network=network)).order_by("-assessed_on")
    )


@dataclass
class LatestAssessment:
    network: Organisation
    place_name: str
    assessment: MaturityAssessment | None
    # Area key -> the step label and level given, for each area rated.
    steps: dict[str, tuple[str, int]] = field(default_factory=dict)


def latest_assessments(user: Any) -> list[LatestAssessment]:
    """The latest assessment of every PCN the user may read (None for those with none yet)."""
    pcns = networks(user)
    latest: dict[int, MaturityAssessment] = {}
    for assessment in _with_ratings(
        MaturityAssessment.objects.filter(network__in=pcns).order_by("network_id", "-assessed_on")
    ):
        latest.setdefault(assessment.network_id, assessment)
    rows = []
    for network in pcns:
        assessment = latest.get(network.pk)
        steps = (
            {r.area.key: (r.step.label, r.step.level) for r in assessment.ratings.all()}
            if assessment
            else {}
        )
        place_name = network.place.name if network.place else "No place"
        rows.append(LatestAssessment(network, place_name, assessment, steps))
    return rows


def areas() -> list[MaturityArea]:
    return list(MaturityArea.objects.all())


# --- sessions -----------------------------------------------------------------------------------


def sessions(user: Any) -> QuerySet[DevelopmentSession]:
    return (
        DevelopmentSession.objects.filter(organisation_id__in=read_scope(user))
        .select_related("organisation")
        .prefetch_related("facilitators", "attendees")
    )


def session_or_404(user: Any, pk: int) -> DevelopmentSession:
    session = sessions(user).filter(pk=pk).first()
    if session is None:
        raise Http404("No such session")
    return session


def may_read_notes(user: Any, session: DevelopmentSession) -> bool:
    """Everyone who may see the session reads its notes, unless it is confidential: then only
    its facilitators (by the registry person their account belongs to) do."""
    if not session.confidential:
        return True
    person_id = getattr(user, "person_id", None)
    return person_id is not None and any(p.pk == person_id for p in session.facilitators.all())


def people_for(organisation: Organisation) -> list[Person]:
    """People with a current role in the organisation, its PCNs (for a place) or its alliance."""
    orgs = {organisation.pk, organisation.alliance_id}
    if organisation.kind == OrganisationKind.PLACE:
        orgs |= set(Organisation.objects.filter(place=organisation).values_list("pk", flat=True))
    elif organisation.place_id:
        orgs.add(organisation.place_id)
    return list(
        Person.objects.filter(
            pk__in=RoleHolding.objects.current()
            .filter(organisation_id__in=orgs)
            .values("person_id")
        ).order_by("family_name", "given_name")
    )


# --- recommendations and the place reports -------------------------------------------------------


def recommendations(user: Any) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(place_id__in=read_scope(user))
        .select_related("place", "owner")
        .prefetch_related(
            "findings",
            Prefetch("actions", queryset=RecommendationAction.objects.select_related("who")),
        )
    )


def recommendation_or_404(user: Any, pk: int) -> Recommendation:
    found = recommendations(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No such recommendation")
    return found


@dataclass
class ThemeSection:
    theme: str
    label: str
    # (status value, status label, recommendations), statuses in their lifecycle order.
    by_status: list[tuple[str, str, list[Recommendation]]]

    @property
    def count(self) -> int:
        return sum(len(found) for _v, _l, found in self.by_status)


def by_theme_and_status(found: list[Recommendation]) -> list[ThemeSection]:
    """Recommendations grouped by theme, then by status, in the themes' and statuses' order."""
    grouped: dict[str, dict[str, list[Recommendation]]] = defaultdict(lambda: defaultdict(list))
    for recommendation in found:
        grouped[recommendation.theme][recommendation.status].append(recommendation)
    return [
        ThemeSection(
            theme,
            label,
            [
                (status, status_label, grouped[theme][status])
                for status, status_label in RecommendationStatus.choices
                if grouped[theme][status]
            ],
        )
        for theme, label in Theme.choices
    ]


def place_report(user: Any, place: Organisation) -> dict[str, Any]:
    found = list(recommendations(user).filter(place=place))
    return {
        "place": place,
        "sections": by_theme_and_status(found),
        "recommendations": found,
        "findings": list(place.development_findings.order_by("theme", "found_on", "pk")),
    }


def across_places(user: Any) -> list[tuple[Organisation, list[Recommendation]]]:
    """Each place's recommendations with what it learned, for the other places to read."""
    found = list(recommendations(user).order_by("place__name", "theme", "pk"))
    return [(place, [r for r in found if r.place_id == place.pk]) for place in places(user)]
