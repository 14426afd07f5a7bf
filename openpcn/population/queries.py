"""Reading population figures for a dashboard: which figures a user may see, and how they show.

A practice's own staff see its figures as counted. Every other figure — another practice, a PCN,
a place or the alliance — goes through disclosure control (counts 1–7 suppressed, others rounded
to 5, rates from the rounded counts). A practice's individual figures appear outside it only if
its data-sharing agreement was active at the refresh: PCN-only agreements on its PCN's pages,
wider agreements everywhere in the alliance.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.http import Http404

from openpcn.accounts.permissions import Permission
from openpcn.accounts.roles import ROLES
from openpcn.accounts.scope import active_memberships, covered_organisation_ids
from openpcn.organisations.models import NetworkMembership, Organisation, OrganisationKind
from openpcn.population import access
from openpcn.population.engine.disclosure import publish_rate
from openpcn.population.engine.indicators import INDICATORS, Indicator
from openpcn.population.models import IndicatorFigure, IndicatorRefresh, JobStatus

INDICATOR_BY_ID = {indicator.id: indicator for indicator in INDICATORS}
# National ambitions an indicator is assured against (Core20PLUS5: 80% of hypertensives treated
# to target, 2024/25 operational planning guidance).
TARGETS = {"HYP_BP_CONTROL": 0.80}


@dataclass(frozen=True)
class Shown:
    """A figure as this viewer may see it: counts as text, the value (None when suppressed)."""

    numerator: str
    denominator: str
    value: float | None
    controlled: bool

    @property
    def suppressed(self) -> bool:
        return self.value is None and self.denominator != "0"


def show(numerator: int, denominator: int, *, raw: bool) -> Shown:
    if raw:
        value = numerator / denominator if denominator else None
        return Shown(str(numerator), str(denominator), value, False)
    published = publish_rate(numerator, denominator, controlled=True)
    value = float(published.value) if published.value not in ("", "*") else None
    return Shown(published.numerator, published.denominator, value, True)


def get_indicator_or_404(indicator_id: str) -> Indicator:
    try:
        return INDICATOR_BY_ID[indicator_id]
    except KeyError as error:
        raise Http404("No such indicator") from error


def alliance_of(organisation: Organisation) -> Organisation:
    if organisation.kind == OrganisationKind.ALLIANCE:
        return organisation
    return organisation.alliance


def latest_refresh(alliance: Organisation) -> IndicatorRefresh | None:
    return (
        IndicatorRefresh.objects.filter(alliance=alliance, status=JobStatus.DONE)
        .order_by("-finished_at", "-pk")
        .first()
    )


def viewable_organisations(user: Any) -> list[Organisation]:
    """Organisations whose population dashboards the user may open, alliance first."""
    order = {
        OrganisationKind.ALLIANCE: 0,
        OrganisationKind.PLACE: 1,
        OrganisationKind.NETWORK: 2,
        OrganisationKind.PRACTICE: 3,
    }
    organisations = Organisation.objects.filter(
        pk__in=covered_organisation_ids(user, Permission.ANALYTICS_VIEW)
    )
    return sorted(organisations, key=lambda o: (order.get(o.kind, 9), o.name))


@dataclass
class View:
    """One organisation's dashboards, for one viewer, from its alliance's latest refresh."""

    user: Any
    organisation: Organisation
    refresh: IndicatorRefresh
    _names: dict[int, str] = field(default_factory=dict)

    @cached_property
    def raw(self) -> bool:
        return access.sees_unrounded(self.user, self.organisation)

    @cached_property
    def alliance(self) -> Organisation:
        return alliance_of(self.organisation)

    @cached_property
    def practice_networks(self) -> dict[int, int]:
        """Practice id -> PCN id on the refresh's as-of date."""
        return dict(
            NetworkMembership.objects.current_on(self.refresh.as_of)
            .filter(network__alliance=self.alliance)
            .values_list("practice_id", "network_id")
        )

    @cached_property
    def organisations(self) -> dict[int, Organisation]:
        return {o.pk: o for o in Organisation.objects.filter(alliance=self.alliance)} | {
            self.alliance.pk: self.alliance
        }

    @cached_property
    def covered(self) -> set[int]:
        return covered_organisation_ids(self.user, Permission.ANALYTICS_VIEW)

    @cached_property
    def parents(self) -> list[Organisation]:
        """The organisations this one is compared with: its PCN (for a practice), place, alliance."""
        org = self.organisation
        chain: list[Organisation] = []
        if org.kind == OrganisationKind.PRACTICE:
            network_id = self.practice_networks.get(org.pk)
            if network_id is not None:
                chain.append(self.organisations[network_id])
        if org.kind in (OrganisationKind.PRACTICE, OrganisationKind.NETWORK):
            network = org if org.kind == OrganisationKind.NETWORK else (chain[0] if chain else None)
            if network is not None and network.place_id:
                chain.append(self.organisations[network.place_id])
        if org.kind != OrganisationKind.ALLIANCE:
            chain.append(self.alliance)
        return chain

    @cached_property
    def member_of(self) -> set[int]:
        """Organisations where the viewer holds a role granting ANALYTICS_VIEW themselves."""
        return {
            m.organisation_id
            for m in active_memberships(self.user)
            if ROLES[m.role].grants(Permission.ANALYTICS_VIEW)
        }

    @cached_property
    def visible_practices(self) -> set[int]:
        """Practices whose individual figures this viewer may see: those sharing alliance-wide,
        those sharing with a PCN the viewer works in, and the viewer's own practices."""
        by_code = {
            o.ods_code: o.pk
            for o in self.organisations.values()
            if o.kind == OrganisationKind.PRACTICE and o.ods_code
        }
        visible = {by_code[c] for c in self.refresh.shared_with_alliance if c in by_code}
        visible |= {
            by_code[c]
            for c in self.refresh.shared_with_pcn
            if c in by_code and self.practice_networks.get(by_code[c]) in self.member_of
        }
        visible |= {
            p for p in self.member_of if p in self.practice_networks or p in by_code.values()
        }
        return visible

    @property
    def shared_with_viewer(self) -> bool:
        """False for a practice page whose practice has not agreed to share with this viewer."""
        org = self.organisation
        return org.kind != OrganisationKind.PRACTICE or org.pk in self.visible_practices

    @cached_property
    def own_practices(self) -> set[int]:
        """The practices this organisation is made of (highlighted on charts)."""
        org = self.organisation
        if org.kind == OrganisationKind.PRACTICE:
            return {org.pk}
        if org.kind == OrganisationKind.NETWORK:
            return {p for p, n in self.practice_networks.items() if n == org.pk}
        if org.kind == OrganisationKind.PLACE:
            networks = {o.pk for o in self.organisations.values() if o.place_id == org.pk}
            return {p for p, n in self.practice_networks.items() if n in networks}
        return set(self.practice_networks)

    def label(self, organisation_id: int) -> str:
        """A practice's name where the viewer covers it; otherwise it stays anonymous."""
        org = self.organisations[organisation_id]
        if org.kind != OrganisationKind.PRACTICE or organisation_id in self.covered:
            return org.name
        return "Another practice"

    def shown(self, organisation_id: int, numerator: int, denominator: int) -> Shown:
        raw = self.raw and organisation_id == self.organisation.pk
        return show(numerator, denominator, raw=raw)

    # Figures

    def series(self, indicator: str) -> dict[int, dict[dt.date, tuple[int, int]]]:
        """Every organisation's monthly numerator and denominator for an indicator (all-patient)."""
        result: dict[int, dict[dt.date, tuple[int, int]]] = defaultdict(dict)
        rows = IndicatorFigure.objects.filter(
            refresh=self.refresh, indicator=indicator, breakdown=""
        ).values_list("organisation_id", "period", "numerator", "denominator")
        for org_id, period, numerator, denominator in rows:
            result[org_id][period] = (numerator, denominator)
        return result

    def latest(
        self, organisation_ids: list[int] | None = None
    ) -> dict[tuple[str, int], tuple[int, int]]:
        """(indicator, organisation) -> counts at the as-of date, for every indicator."""
        rows = IndicatorFigure.objects.filter(
            refresh=self.refresh, period=self.refresh.as_of, breakdown=""
        )
        if organisation_ids is not None:
            rows = rows.filter(organisation_id__in=organisation_ids)
        return {
            (indicator, org_id): (numerator, denominator)
            for indicator, org_id, numerator, denominator in rows.values_list(
                "indicator", "organisation_id", "numerator", "denominator"
            )
        }

    def groups(self, indicator: str, breakdown: str) -> list[tuple[str, int, int]]:
        return list(
            IndicatorFigure.objects.filter(
                refresh=self.refresh,
                indicator=indicator,
                organisation=self.organisation,
                period=self.refresh.as_of,
                breakdown=breakdown,
            )
            .order_by("group")
            .values_list("group", "numerator", "denominator")
        )

    def periods(self) -> list[dt.date]:
        return sorted(
            set(
                IndicatorFigure.objects.filter(
                    refresh=self.refresh, organisation=self.alliance, indicator=INDICATORS[0].id
                ).values_list("period", flat=True)
            )
        )


def view_for(user: Any, organisation_id: int) -> View | None:
    """The dashboards of an organisation the user may see (404 otherwise); None before a refresh."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or organisation.pk not in covered_organisation_ids(
        user, Permission.ANALYTICS_VIEW
    ):
        raise Http404("No such organisation")
    organisation = organisation.as_kind()
    refresh = latest_refresh(alliance_of(organisation))
    if refresh is None:
        return None
    return View(user, organisation, refresh)
