"""What each dashboard shows, as plain data and chart specs (the views only render these).

Everything is computed from one refresh's stored counts, so a page costs a few indexed queries
and some arithmetic on at most a few thousand numbers; results are cached per refresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from openpcn.accounts.scope import active_memberships
from openpcn.organisations.models import OrganisationKind
from openpcn.population import charts
from openpcn.population.engine import statistics
from openpcn.population.engine.indicators import INDICATORS, Indicator
from openpcn.population.models import IndicatorFigure
from openpcn.population.queries import TARGETS, Shown, View

IMD_GROUPS = ("1", "2", "3", "4", "5")
CACHE_SECONDS = 6 * 60 * 60


@dataclass(frozen=True)
class Row:
    """One line of a comparison table."""

    organisation_id: int
    name: str
    kind: str
    shown: Shown
    highlighted: bool = False


@dataclass(frozen=True)
class IndicatorSummary:
    indicator: Indicator
    shown: Shown | None
    comparators: list[tuple[str, Shown | None]]
    variation: charts.Icon | None
    assurance: charts.Icon | None


def _series_points(
    view: View, series: dict[dt.date, tuple[int, int]], organisation_id: int, periods: list[dt.date]
) -> list[tuple[dt.date, float | None]]:
    points = []
    for period in periods:
        counts = series.get(period)
        value = None if counts is None else view.shown(organisation_id, *counts).value
        points.append((period, value))
    return points


def spc_icons(
    values: list[float | None], low_is_good: bool | None, target: float | None
) -> tuple[charts.Icon, charts.Icon | None]:
    """The Making Data Count icons alone (no chart), for tables of many indicators."""
    present = [v for v in values if v is not None]
    xmr = statistics.xmr_chart(present, low_is_good)
    if xmr is None:
        return charts.variation_icon(None, True), None
    # A trend points its own way; otherwise the side of the mean the latest point is on.
    high = present[-1] > present[-2] if xmr.rules[-1] == "trend" else present[-1] >= xmr.mean
    return (
        charts.variation_icon(xmr.point_types[-1], high),
        charts.assurance_icon(target, xmr.lower_limit, xmr.upper_limit, low_is_good),
    )


def overview(view: View) -> list[IndicatorSummary]:
    """Every indicator for the organisation, against its PCN, place and alliance (cached)."""
    key = _cache_key(view, "overview")
    summaries = cache.get(key)
    if summaries is None:
        summaries = _overview(view)
        cache.set(key, summaries, CACHE_SECONDS)
    return summaries


def _overview(view: View) -> list[IndicatorSummary]:
    ids = [view.organisation.pk, *(p.pk for p in view.parents)]
    latest = view.latest(ids)
    periods = view.periods()
    monthly: dict[str, dict[dt.date, tuple[int, int]]] = {}
    for indicator, period, numerator, denominator in IndicatorFigure.objects.filter(
        refresh=view.refresh, organisation=view.organisation, breakdown=""
    ).values_list("indicator", "period", "numerator", "denominator"):
        monthly.setdefault(indicator, {})[period] = (numerator, denominator)
    summaries = []
    for indicator in INDICATORS:
        own = latest.get((indicator.id, view.organisation.pk))
        comparators: list[tuple[str, Shown | None]] = []
        for parent in view.parents:
            counts = latest.get((indicator.id, parent.pk))
            comparators.append(
                (parent.name, None if counts is None else view.shown(parent.pk, *counts))
            )
        points = _series_points(view, monthly.get(indicator.id, {}), view.organisation.pk, periods)
        variation, assurance = spc_icons(
            [value for _, value in points], indicator.low_is_good, TARGETS.get(indicator.id)
        )
        summaries.append(
            IndicatorSummary(
                indicator,
                None if own is None else view.shown(view.organisation.pk, *own),
                comparators,
                variation,
                assurance,
            )
        )
    return summaries


@dataclass(frozen=True)
class IndicatorPage:
    indicator: Indicator
    headline: Shown | None
    comparison: list[Row]
    funnel: charts.Chart
    spc: charts.SpcChart
    deciles: charts.Chart
    imd: charts.Chart
    ethnicity: charts.Chart
    target: float | None
    practices_left_out: int


def _cache_key(view: View, *parts: object) -> str:
    """Figures never change within a refresh. What a viewer sees depends only on their roles
    (which practices they may see, named or as counted) and the organisations those cover."""
    viewer = (
        sorted((m.organisation_id, m.role) for m in active_memberships(view.user)),
        sorted(view.covered),
    )
    digest = hashlib.sha1(repr(viewer).encode(), usedforsecurity=False).hexdigest()
    return ":".join(
        str(p) for p in ("population", view.refresh.pk, view.organisation.pk, *parts, digest)
    )


def indicator_page(view: View, indicator: Indicator) -> IndicatorPage:
    """One indicator in depth for the organisation (cached per refresh and kind of viewer)."""
    key = _cache_key(view, "indicator", indicator.id)
    page = cache.get(key)
    if page is None:
        page = _indicator_page(view, indicator)
        cache.set(key, page, CACHE_SECONDS)
    return page


def _indicator_page(view: View, indicator: Indicator) -> IndicatorPage:
    series = view.series(indicator.id)
    periods = view.periods()
    as_of = view.refresh.as_of
    org = view.organisation
    practices = sorted(
        (p for p in view.visible_practices if as_of in series.get(p, {})),
        key=lambda p: view.organisations[p].name,
    )

    alliance_counts = series.get(view.alliance.pk, {}).get(as_of)
    target = TARGETS.get(indicator.id)
    pooled = (
        alliance_counts[0] / alliance_counts[1] if alliance_counts and alliance_counts[1] else None
    )

    comparison: list[Row] = []
    for organisation in [org, *view.parents]:
        counts = series.get(organisation.pk, {}).get(as_of)
        if counts is not None:
            comparison.append(
                Row(
                    organisation.pk,
                    organisation.name,
                    organisation.get_kind_display(),
                    view.shown(organisation.pk, *counts),
                    organisation.pk == org.pk,
                )
            )
    if org.kind != OrganisationKind.PRACTICE:
        for practice in practices:
            if practice in view.own_practices:
                comparison.append(
                    Row(
                        practice,
                        view.label(practice),
                        "Practice",
                        view.shown(practice, *series[practice][as_of]),
                    )
                )

    units = []
    for practice in practices:
        shown = view.shown(practice, *series[practice][as_of])
        units.append(
            charts.Unit(
                code=str(practice),
                name=view.label(practice),
                numerator=_int(shown.numerator),
                denominator=_int(shown.denominator),
                value=shown.value,
                highlighted=practice in view.own_practices,
            )
        )
    funnel = charts.funnel_plot(
        indicator.title, units, pooled, indicator.low_is_good, key=f"funnel-{indicator.id}"
    )

    own_series = _series_points(view, series.get(org.pk, {}), org.pk, periods)
    spc = charts.spc_chart(
        indicator.title, own_series, indicator.low_is_good, target, key=f"spc-{indicator.id}"
    )

    deciles_by_month: dict[dt.date, dict[int, float | None]] = {}
    for period in periods:
        values = [
            view.shown(p, *series[p][period]).value
            for p in view.visible_practices
            if period in series.get(p, {})
        ]
        deciles_by_month[period] = statistics.deciles(values)
    deciles = charts.deciles_chart(
        indicator.title,
        periods,
        deciles_by_month,
        own_series,
        org.name,
        key=f"deciles-{indicator.id}",
    )

    imd = _breakdown(view, indicator, "imd_quintile")
    ethnicity = _breakdown(view, indicator, "ethnicity6")
    all_practices = {p for p in view.own_practices if as_of in series.get(p, {})}
    return IndicatorPage(
        indicator=indicator,
        headline=comparison[0].shown if comparison and comparison[0].highlighted else None,
        comparison=comparison,
        funnel=funnel,
        spc=spc,
        deciles=deciles,
        imd=imd,
        ethnicity=ethnicity,
        target=target,
        practices_left_out=len(all_practices - view.visible_practices),
    )


def _breakdown(view: View, indicator: Indicator, breakdown: str) -> charts.Chart:
    groups = []
    for group, numerator, denominator in view.groups(indicator.id, breakdown):
        shown = view.shown(view.organisation.pk, numerator, denominator)
        groups.append(
            charts.Unit(
                code=group,
                name=group,
                numerator=_int(shown.numerator),
                denominator=_int(shown.denominator),
                value=shown.value,
            )
        )
    sii = rii = None
    if breakdown == "imd_quintile":
        index = imd_slope_index(groups)
        if index is not None:
            sii, rii = index.sii, index.rii
    return charts.breakdown_chart(
        indicator.title, breakdown, groups, sii, rii, key=f"{breakdown}-{indicator.id}"
    )


def imd_slope_index(groups: list[charts.Unit]) -> statistics.SlopeIndex | None:
    """SII across the five IMD quintiles, from the figures as shown; None if any is missing."""
    by_group = {g.code: g for g in groups}
    pairs = []
    for quintile in IMD_GROUPS:
        group = by_group.get(quintile)
        if group is None or group.value is None or not group.denominator:
            return None
        pairs.append((group.value, float(group.denominator)))
    return statistics.slope_index_of_inequality(pairs)


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


# Core20PLUS5 -------------------------------------------------------------------------------------

CORE20PLUS5_AREAS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "Hypertension case-finding and optimal management",
        ("HYP_REG", "HYP_CASE_FINDING", "HYP_BP_RECORDED", "HYP_BP_CONTROL"),
        "80% of people with hypertension treated to target (2024/25)",
    ),
    (
        "Severe mental illness",
        ("SMI_REG",),
        "Annual health checks for 60% of people with SMI: the extract carries the register only",
    ),
    (
        "Chronic respiratory disease (children and young people: asthma)",
        ("AST_REG",),
        "COPD and vaccination uptake are not yet in the extract",
    ),
)
NOT_MEASURED = (
    ("Maternity", "Continuity of carer is recorded in maternity systems, not GP extracts"),
    ("Early cancer diagnosis", "Stage at diagnosis comes from the cancer registry"),
)


@dataclass(frozen=True)
class Core20Row:
    indicator: Indicator
    core20: Shown | None
    others: Shown | None
    gap: float | None  # Core20 minus everyone else, as a fraction


def core20plus5(view: View) -> dict[str, Any]:
    """Core20 (IMD quintile 1) against everyone else, for each PLUS5 area the extract supports."""
    key = _cache_key(view, "core20plus5")
    summary = cache.get(key)
    if summary is None:
        summary = _core20plus5(view)
        cache.set(key, summary, CACHE_SECONDS)
    return summary


def _core20plus5(view: View) -> dict[str, Any]:
    base_groups = {g: (n, d) for g, n, d in view.groups(INDICATORS[0].id, "imd_quintile")}
    core20_patients = base_groups.get("1", (0, 0))[1]
    all_patients = sum(d for _, d in base_groups.values())
    share = view.shown(view.organisation.pk, core20_patients, all_patients)
    areas = []
    for area, indicator_ids, ambition in CORE20PLUS5_AREAS:
        rows = []
        for indicator_id in indicator_ids:
            indicator = next(i for i in INDICATORS if i.id == indicator_id)
            groups = {g: (n, d) for g, n, d in view.groups(indicator_id, "imd_quintile")}
            core = groups.get("1")
            rest = [groups[g] for g in ("2", "3", "4", "5", "unknown") if g in groups]
            others = (sum(n for n, _ in rest), sum(d for _, d in rest)) if rest else None
            core_shown = None if core is None else view.shown(view.organisation.pk, *core)
            others_shown = None if others is None else view.shown(view.organisation.pk, *others)
            gap = (
                core_shown.value - others_shown.value
                if core_shown
                and others_shown
                and core_shown.value is not None
                and others_shown.value is not None
                else None
            )
            rows.append(Core20Row(indicator, core_shown, others_shown, gap))
        areas.append({"name": area, "ambition": ambition, "rows": rows})
    return {"share": share, "areas": areas, "not_measured": NOT_MEASURED}
