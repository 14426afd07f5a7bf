"""The population dashboards' charts: declarative Vega-Lite specs built with Altair.

Each chart is a pure function of plain data (no database access) and comes with what an
accessible chart needs besides the picture: a text alternative (also the spec's top-level
`description`) and a table view of the same figures. Values are fractions 0..1, shown as
percentages with one decimal; None means suppressed by disclosure control and shows as "*".

- `funnel_plot`: organisations' values against their denominators, with the target (the pooled
  average) and 95% / 99.8% Wilson limits (`statistics.funnel_limits`).
- `spc_chart`: an XmR chart per NHS "Making Data Count" (`statistics.xmr_chart`), with the
  variation icon and, given a target, the assurance icon, drawn here as small inline SVGs.
- `deciles_chart`: OpenPrescribing-style centile lines over time with the organisation's line.
- `breakdown_chart`: horizontal bars by IMD quintile or ethnic group, naming the slope index of
  inequality.

Specs are data (inline `values`, no URLs) and are rendered in the browser by vega-embed
(static/js/charts.js, templates/population/_chart.jinja). Altair declares each chart's skeleton,
built once per process for each set of parameters (indicator, direction, which layers are drawn);
the figures are put into a fresh copy of the skeleton on every call (see `_skeleton`).
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import altair as alt

from openpcn.population.engine import statistics
from openpcn.population.engine.statistics import PointType

# NHS identity colours (https://service-manual.nhs.uk/design-system/styles/colour).
NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_LIGHT_BLUE = "#41B6E6"
NHS_BLACK = "#212B32"
NHS_DARK_GREY = "#425563"
NHS_MID_GREY = "#768692"
NHS_RED = "#DA291C"
NHS_ORANGE = "#ED8B00"
NHS_WARM_YELLOW = "#FFB81C"
NHS_PURPLE = "#330072"
NHS_PINK = "#AE2573"

# Making Data Count colours.
MDC_IMPROVEMENT = "#489FDF"
MDC_CONCERN = "#FFB000"
MDC_COMMON = "#A6A6A6"
MDC_NEITHER = "#7030A0"

HEIGHT = 320
DATE_AXIS = alt.Axis(format="%b %Y", labelOverlap=True, labelSeparation=8)
LIMIT_SAMPLES = 60
SUPPRESSED = "*"

FLAG_LABELS = {
    "": "Within limits",
    "High (0.025)": "Above 95% limit",
    "High (0.001)": "Above 99.8% limit",
    "Low (0.025)": "Below 95% limit",
    "Low (0.001)": "Below 99.8% limit",
}
FLAG_ORDER = (
    "Above 99.8% limit",
    "Above 95% limit",
    "Within limits",
    "Below 95% limit",
    "Below 99.8% limit",
)

POINT_TYPE_LABELS: dict[PointType, str] = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improvement",
    "special_cause_concern": "Special cause: concern",
    "special_cause_neither": "Special cause: neither improvement nor concern",
}
POINT_TYPE_COLOURS: dict[PointType, str] = {
    "common_cause": MDC_COMMON,
    "special_cause_improvement": MDC_IMPROVEMENT,
    "special_cause_concern": MDC_CONCERN,
    "special_cause_neither": MDC_NEITHER,
}

IMD_LABELS = {
    "1": "1 (most deprived)",
    "2": "2",
    "3": "3",
    "4": "4",
    "5": "5 (least deprived)",
    "unknown": "Unknown",
}
BREAKDOWN_HEADERS = {"imd_quintile": "IMD quintile", "ethnicity6": "Ethnic group"}


@dataclass(frozen=True)
class Chart:
    key: str  # a stable html id fragment, e.g. "funnel-HYP_REG"
    title: str
    spec: dict[str, Any]  # Vega-Lite JSON
    text: str  # the text alternative: what the chart shows and what stands out
    columns: tuple[str, ...]  # the table view's headers
    rows: tuple[tuple[str, ...], ...]  # the table view's cells, formatted for display


@dataclass(frozen=True)
class Unit:
    """One organisation (or group) on a funnel plot or comparison; None = suppressed."""

    code: str
    name: str
    numerator: int | None
    denominator: int | None
    value: float | None
    highlighted: bool = False


@dataclass(frozen=True)
class Icon:
    """A Making Data Count icon: `svg` is inline SVG markup with role="img" and an aria-label."""

    key: str  # e.g. "improvement_high", "common_cause", "consistently_pass"
    label: str
    svg: str


@dataclass(frozen=True)
class SpcChart:
    chart: Chart
    variation: Icon  # "insufficient_data" when there are fewer than two points
    assurance: Icon | None  # only with a target (and a direction, unless hit and miss)


# Formatting -------------------------------------------------------------------------------------


def percent(value: float | None) -> str:
    """0.1234 → "12.3%"; None (suppressed) → "*"."""
    return SUPPRESSED if value is None else f"{100 * value:.1f}%"


def count(value: int | None) -> str:
    return SUPPRESSED if value is None else f"{value:,}"


def month_label(day: datetime.date, monthly: bool = True) -> str:
    return f"{day:%b %Y}" if monthly else f"{day.day} {day:%b %Y}"


def _labeller(days: Sequence[datetime.date]) -> Any:
    monthly = all(day.day == 1 for day in days)
    return lambda day: month_label(day, monthly)


def slug(text: str) -> str:
    """A stable html id fragment: letters, digits, '_' and '-'."""
    return re.sub(r"[^A-Za-z0-9_]+", "-", text).strip("-") or "chart"


def _points(difference: float) -> str:
    """A difference of fractions in percentage points, with a true minus sign."""
    text = f"{abs(100 * difference):.1f}"
    return f"−{text}" if difference < 0 and text != "0.0" else text


def _names(units: Sequence[Unit], limit: int = 3) -> str:
    names = [unit.name for unit in units]
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return names[0] if names else ""


class _Data:
    """Inline data sets for one chart, put into the spec after its skeleton has been copied.

    The skeleton's layers refer to named data (`alt.NamedData`); `inline` replaces each
    reference with the rows, so no organisation's figures ever pass through Altair or the cache.
    """

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {}

    def add(self, name: str, rows: list[dict[str, Any]]) -> None:
        # JSON has no NaN or infinity: a value that is not finite is shown as missing.
        self.rows[name] = [
            {
                k: None if isinstance(v, float) and not math.isfinite(v) else v
                for k, v in row.items()
            }
            for row in rows
        ]

    def inline(self, spec: Any) -> None:
        """Replace every {"name": …} data reference with {"values": rows}."""
        if isinstance(spec, dict):
            data = spec.get("data")
            if isinstance(data, dict) and data.get("name") in self.rows:
                spec["data"] = {"values": self.rows[data["name"]]}
            for layer in spec.get("layer", ()):
                self.inline(layer)


# Skeletons: each chart's Altair spec without its data, built once per distinct set of
# parameters (the `_*_skeleton` functions, cached) and kept as JSON text, so no caller can change
# the cached copy. Building a layered chart with Altair costs 20–60 ms of CPU (deep copies in
# `LayerChart`, `properties()` and `to_dict`, and schema validation); copying a skeleton and
# putting the data in costs well under a millisecond. A skeleton holds no figures: the rows are
# named data (see `_Data`), and the other values that depend on the data – the text alternative,
# the breakdown's group labels, the deciles chart's series label – are placeholders, filled in by
# `_finish`.
SKELETONS = 256  # per chart kind: indicators × the few variants each can take

_DESCRIPTION = "\ue000description"  # the text alternative
_LABELS = "\ue000labels"  # in a list, [_LABELS]: the breakdown's groups, in order
_SERIES_LABEL = "\ue000series_label"  # the deciles chart's own line

CONFIG: dict[str, Any] = {
    "font": "Frutiger W01, Arial, sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 13, "titleColor": NHS_BLACK},
    "legend": {
        "labelFontSize": 12,
        "titleFontSize": 13,
        "orient": "bottom",
        "direction": "vertical",
        "labelLimit": 320,
    },
}


def _skeleton(chart: Any) -> str:
    """The finished spec of an Altair chart built on named data, as JSON text."""
    spec: dict[str, Any] = chart.properties(
        width="container", height=HEIGHT, description=_DESCRIPTION
    ).to_dict(validate=False)
    spec.pop("config", None)  # Altair's default view size; width is the container's
    spec["config"] = CONFIG
    return json.dumps(spec)


def _finish(
    skeleton: str, data: _Data, text: str, fills: Sequence[tuple[Any, Any]] = ()
) -> dict[str, Any]:
    """A fresh spec from a skeleton: the text alternative, each (placeholder, value) of `fills`
    and the data put in. Placeholders are replaced in the JSON text in one pass, so a value that
    happens to contain a placeholder's text is left alone."""
    tokens = {json.dumps(_DESCRIPTION): json.dumps(text)}
    tokens.update((json.dumps(placeholder), json.dumps(value)) for placeholder, value in fills)
    pattern = "|".join(re.escape(token) for token in tokens)
    spec: dict[str, Any] = json.loads(re.sub(pattern, lambda m: tokens[m.group()], skeleton))
    data.inline(spec)
    return spec


# Funnel plot ------------------------------------------------------------------------------------


def _flag_colours(low_is_good: bool | None) -> list[str]:
    """Colours for FLAG_ORDER: the good side blue, the bad side orange, neither purple."""
    if low_is_good is None:
        high, low = (NHS_PURPLE, NHS_PINK), (NHS_PURPLE, NHS_PINK)
    elif low_is_good:
        high, low = (NHS_ORANGE, NHS_WARM_YELLOW), (NHS_DARK_BLUE, NHS_LIGHT_BLUE)
    else:
        high, low = (NHS_DARK_BLUE, NHS_LIGHT_BLUE), (NHS_ORANGE, NHS_WARM_YELLOW)
    return [high[0], high[1], NHS_MID_GREY, low[1], low[0]]


def _sample_denominators(low: int, high: int, samples: int = LIMIT_SAMPLES) -> list[int]:
    """About `samples` whole denominators from low to high, log-spaced (the curve bends early)."""
    low, high = max(1, low), max(1, high)
    if high <= low:
        return [low]
    ratio = math.log(high / low)
    picked = {round(low * math.exp(ratio * step / (samples - 1))) for step in range(samples)}
    return sorted(picked | {low, high})


def funnel_limit_rows(target: float, low: int, high: int) -> list[dict[str, Any]]:
    """The target and the 95% / 99.8% limits as long rows for line marks."""
    rows: list[dict[str, Any]] = []
    for denominator in _sample_denominators(low, high):
        limits = statistics.funnel_limits(target, denominator)
        if limits is None:
            continue
        for line, level, value in (
            ("target", "Average", target),
            ("upper_95", "95% limits", limits.upper_95),
            ("lower_95", "95% limits", limits.lower_95),
            ("upper_99_8", "99.8% limits", limits.upper_99_8),
            ("lower_99_8", "99.8% limits", limits.lower_99_8),
        ):
            rows.append({"denominator": denominator, "line": line, "level": level, "value": value})
    return rows


def funnel_plot(
    indicator_title: str,
    units: Sequence[Unit],
    target: float | None,
    low_is_good: bool | None,
    *,
    key: str | None = None,
) -> Chart:
    """Each organisation's value against its denominator, with the target and funnel limits.

    Without a target the pooled average of the units shown is used. Suppressed units are left
    out of the chart and listed in the table as "*".
    """
    data = _Data()
    shown = [u for u in units if u.value is not None and u.denominator and u.denominator > 0]
    if target is None:
        counted = [u for u in shown if u.numerator is not None]
        total = sum(u.denominator or 0 for u in counted)
        target = sum(u.numerator or 0 for u in counted) / total if total else None

    flags: dict[str, str] = {}
    for unit in units:
        if unit.value is None:
            flags[unit.code] = SUPPRESSED
        elif target is None or not unit.denominator:
            flags[unit.code] = "No limits"
        else:
            limits = statistics.funnel_limits(target, unit.denominator)
            flags[unit.code] = FLAG_LABELS[statistics.funnel_flag(unit.value, limits)]

    points = [
        {
            "code": u.code,
            "name": u.name,
            "denominator": u.denominator,
            "value": u.value,
            "value_label": percent(u.value),
            "numerator_label": count(u.numerator),
            "denominator_label": count(u.denominator),
            "flag": flags[u.code],
            "highlighted": u.highlighted,
        }
        for u in shown
    ]
    if target is not None and shown:
        denominators = [u.denominator or 1 for u in shown]
        lines = funnel_limit_rows(target, math.floor(min(denominators) * 0.8), max(denominators))
        data.add("lines", lines)
    data.add("points", points)
    highlighted = [row for row in points if row["highlighted"]]
    if highlighted:
        data.add("highlighted", highlighted)
    skeleton = _funnel_skeleton(
        indicator_title,
        low_is_good,
        limits="lines" in data.rows,
        no_limits=any(row["flag"] == "No limits" for row in points),
        highlighted=bool(highlighted),
    )

    text = _funnel_text(indicator_title, units, shown, flags, target)
    columns = ("Organisation", "Numerator", "Denominator", "Value", "Flag")
    rows = tuple(
        (u.name, count(u.numerator), count(u.denominator), percent(u.value), flags[u.code])
        for u in units
    )
    return Chart(
        key=key or f"funnel-{slug(indicator_title)}",
        title=f"{indicator_title}: funnel plot",
        spec=_finish(skeleton, data, text),
        text=text,
        columns=columns,
        rows=rows,
    )


@functools.lru_cache(maxsize=SKELETONS)
def _funnel_skeleton(
    indicator_title: str,
    low_is_good: bool | None,
    *,
    limits: bool,
    no_limits: bool,
    highlighted: bool,
) -> str:
    """The funnel plot's skeleton: with the target and limit lines or not, with the "No limits"
    flag or not, with the highlighted units ringed and named or not."""
    x = alt.X(
        "denominator:Q",
        title="Denominator (people)",
        axis=alt.Axis(format=",d"),
        scale=alt.Scale(padding=8),
    )
    y = alt.Y(
        "value:Q",
        title=indicator_title,
        axis=alt.Axis(format=".0%"),
        scale=alt.Scale(zero=False, padding=8),
    )
    layers: list[Any] = []
    if limits:
        layers.append(
            alt.Chart(alt.NamedData(name="lines"))
            .mark_line(strokeWidth=1.5, clip=True)
            .encode(
                x=x,
                y=y,
                detail="line:N",
                color=alt.Color(
                    "level:N",
                    title="Lines",
                    scale=alt.Scale(
                        domain=["Average", "95% limits", "99.8% limits"],
                        range=[NHS_BLUE, NHS_DARK_GREY, NHS_BLACK],
                    ),
                ),
                strokeDash=alt.StrokeDash(
                    "level:N",
                    title="Lines",
                    scale=alt.Scale(
                        domain=["Average", "95% limits", "99.8% limits"],
                        range=[[1, 0], [6, 3], [2, 2]],
                    ),
                ),
            )
        )
    tooltip = [
        alt.Tooltip("name:N", title="Organisation"),
        alt.Tooltip("value_label:N", title="Value"),
        alt.Tooltip("numerator_label:N", title="Numerator"),
        alt.Tooltip("denominator_label:N", title="Denominator"),
        alt.Tooltip("flag:N", title="Flag"),
    ]
    flag_domain = list(FLAG_ORDER)
    flag_colours = _flag_colours(low_is_good)
    flag_shapes = ["triangle-up", "triangle-up", "circle", "triangle-down", "triangle-down"]
    if no_limits:
        flag_domain.append("No limits")
        flag_colours.append(NHS_MID_GREY)
        flag_shapes.append("circle")
    layers.append(
        alt.Chart(alt.NamedData(name="points"))
        .mark_point(filled=True, size=70, opacity=0.9, stroke=NHS_BLACK, strokeWidth=0.5)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "flag:N",
                title="Flag",
                scale=alt.Scale(domain=flag_domain, range=flag_colours),
            ),
            shape=alt.Shape(
                "flag:N",
                title="Flag",
                scale=alt.Scale(domain=flag_domain, range=flag_shapes),
            ),
            tooltip=tooltip,
        )
    )
    if highlighted:
        ring = alt.Chart(alt.NamedData(name="highlighted")).encode(x=x, y=y, tooltip=tooltip)
        layers.append(ring.mark_point(size=220, strokeWidth=2.5, color=NHS_BLACK))
        layers.append(
            ring.mark_text(align="left", dx=10, dy=-10, fontWeight="bold", color=NHS_BLACK).encode(
                text="name:N"
            )
        )
    return _skeleton(
        alt.layer(*layers).resolve_scale(
            color="independent", shape="independent", strokeDash="independent"
        )
    )


def _funnel_text(
    title: str,
    units: Sequence[Unit],
    shown: Sequence[Unit],
    flags: Mapping[str, str],
    target: float | None,
) -> str:
    average = f" against the average of {percent(target)}" if target is not None else ""
    first = (
        f"Funnel plot of {title} for {len(shown)} "
        f"{'organisation' if len(shown) == 1 else 'organisations'}{average}, "
        "with 95% and 99.8% limits."
    )
    outside = []
    for label in FLAG_ORDER:
        if label == "Within limits":
            continue
        flagged = [u for u in shown if flags[u.code] == label]
        if flagged:
            outside.append(f"{label.lower()}: {_names(flagged)}")
    parts = []
    if outside:
        parts.append("Outside the limits – " + "; ".join(outside))
    elif shown and target is not None:
        parts.append("All are within the 95% limits")
    for unit in shown:
        if unit.highlighted:
            parts.append(f"{unit.name} is {percent(unit.value)} ({flags[unit.code].lower()})")
    suppressed = len(units) - len(shown)
    if suppressed:
        parts.append(
            f"{suppressed} {'is' if suppressed == 1 else 'are'} suppressed and not plotted"
        )
    return first + (" " + ". ".join(parts) + "." if parts else "")


# SPC (XmR) chart --------------------------------------------------------------------------------


def _svg(label: str, colour: str, ink: str, body: str) -> str:
    """A 40×40 icon: a filled circle in the MDC colour with `body` drawn in `ink` on it."""
    label = escape(label, quote=True)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40" '
        f'role="img" aria-label="{label}" focusable="false" class="openpcn-mdc-icon">'
        f"<title>{label}</title>"
        f'<circle cx="20" cy="20" r="18" fill="{colour}" stroke="{NHS_BLACK}" stroke-width="1"/>'
        f"{body.replace('INK', ink)}</svg>"
    )


def _letter(letter: str, arrow: str = "") -> str:
    """A bold letter, with a small arrow above ("up") or below ("down") it."""
    y = {"up": 28, "down": 22, "": 26}[arrow]
    parts = [
        f'<text x="20" y="{y}" text-anchor="middle" font-family="Arial, sans-serif" '
        f'font-size="16" font-weight="bold" fill="INK">{letter}</text>'
    ]
    if arrow == "up":
        parts.append('<path d="M20 6 l5 6 h-10 z" fill="INK"/>')
    elif arrow == "down":
        parts.append('<path d="M20 34 l5 -6 h-10 z" fill="INK"/>')
    return "".join(parts)


def variation_icon(point_type: PointType | None, high: bool) -> Icon:
    """The Making Data Count variation icon for the latest point (None: too few points)."""
    side = "high" if high else "low"
    arrow = "up" if high else "down"
    letter = "H" if high else "L"
    words = "higher" if high else "lower"
    if point_type is None:
        label = "Not enough data to assess variation"
        body = '<path d="M11 20 h18" stroke="INK" stroke-width="3" stroke-linecap="round"/>'
        return Icon("insufficient_data", label, _svg(label, "#FFFFFF", NHS_DARK_GREY, body))
    if point_type == "common_cause":
        label = "Common cause variation: no significant change"
        dots = "".join(f'<circle cx="{x}" cy="20" r="2.5" fill="INK"/>' for x in (11, 17, 23, 29))
        return Icon("common_cause", label, _svg(label, MDC_COMMON, NHS_BLACK, dots))
    if point_type == "special_cause_improvement":
        label = f"Special cause variation: improvement, {words} values"
        return Icon(
            f"improvement_{side}",
            label,
            _svg(label, MDC_IMPROVEMENT, NHS_BLACK, _letter(letter, arrow)),
        )
    if point_type == "special_cause_concern":
        label = f"Special cause variation: concern, {words} values"
        return Icon(
            f"concern_{side}", label, _svg(label, MDC_CONCERN, NHS_BLACK, _letter(letter, arrow))
        )
    label = f"Special cause variation: neither improvement nor concern, {words} values"
    return Icon(
        f"neither_{side}", label, _svg(label, MDC_NEITHER, "#FFFFFF", _letter(letter, arrow))
    )


def assurance_icon(
    target: float | None, lower: float, upper: float, low_is_good: bool | None
) -> Icon | None:
    """Hit and miss (target inside the limits), consistently pass or consistently fail."""
    if target is None:
        return None
    if lower <= target <= upper:
        label = "Assurance: hit and miss – the target may or may not be met"
        wave = (
            '<path d="M9 21 q5.5 -9 11 0 t11 0" fill="none" stroke="INK" stroke-width="3" '
            'stroke-linecap="round"/>'
        )
        return Icon("hit_and_miss", label, _svg(label, MDC_COMMON, NHS_BLACK, wave))
    if low_is_good is None:
        return None
    good_side = upper < target if low_is_good else lower > target
    if good_side:
        label = "Assurance: the process will consistently pass the target"
        return Icon(
            "consistently_pass", label, _svg(label, MDC_IMPROVEMENT, NHS_BLACK, _letter("P"))
        )
    label = "Assurance: the process will consistently fail the target"
    return Icon("consistently_fail", label, _svg(label, MDC_CONCERN, NHS_BLACK, _letter("F")))


def _last_side_high(values: Sequence[float], mean: float, rule: str) -> bool:
    """The latest point's side: the direction of a trend, else above or below the mean."""
    if rule == "trend" and len(values) >= 2:
        return values[-1] > values[-2]
    return values[-1] >= mean


def spc_chart(
    indicator_title: str,
    points: Sequence[tuple[datetime.date, float | None]],
    low_is_good: bool | None,
    target: float | None = None,
    *,
    key: str | None = None,
) -> SpcChart:
    """An XmR chart per NHS Making Data Count; suppressed (None) points are gaps in the line.

    The limits are computed from the points present. With fewer than two, the chart carries a
    note and no limits.
    """
    data = _Data()
    ordered = sorted(points, key=lambda point: point[0])
    label_of = _labeller([day for day, _ in ordered])
    present = [(day, value) for day, value in ordered if value is not None]
    values = [value for _, value in present]
    xmr = statistics.xmr_chart(values, low_is_good)
    types: dict[datetime.date, PointType] = {}
    rules: dict[datetime.date, str] = {}
    if xmr is not None:
        for (day, _), point_type, rule in zip(present, xmr.point_types, xmr.rules, strict=True):
            types[day] = point_type
            rules[day] = rule

    def describe(day: datetime.date) -> str:
        if day not in types:
            return ""
        rule = rules[day]
        return POINT_TYPE_LABELS[types[day]] + (f" ({rule})" if rule else "")

    series = [
        {
            "date": day.isoformat(),
            "label": label_of(day),
            "value": value,
            "value_label": percent(value),
            "point_type": POINT_TYPE_LABELS[types[day]] if day in types else "Not assessed",
            "rule": rules.get(day, ""),
        }
        for day, value in ordered
    ]
    reference: list[dict[str, Any]] = []
    if xmr is not None:
        reference += [
            {"line": "Mean", "value": xmr.mean},
            {"line": "Process limits", "value": xmr.upper_limit, "bound": "upper"},
            {"line": "Process limits", "value": xmr.lower_limit, "bound": "lower"},
        ]
    if target is not None:
        reference.append({"line": "Target", "value": target})
    if reference:
        data.add("reference", reference)
    data.add("series", series)
    data.add("points", [row for row in series if row["value"] is not None])
    skeleton = _spc_skeleton(
        indicator_title, low_is_good, reference=bool(reference), limits=xmr is not None
    )

    if xmr is None:
        variation = variation_icon(None, True)
        assurance = None
    else:
        last_day = present[-1][0]
        variation = variation_icon(
            types[last_day], _last_side_high(values, xmr.mean, rules[last_day])
        )
        assurance = assurance_icon(target, xmr.lower_limit, xmr.upper_limit, low_is_good)
    text = _spc_text(indicator_title, ordered, present, xmr, variation, assurance, target, label_of)
    columns = ("Date", "Value", "Variation")
    rows = tuple((label_of(day), percent(value), describe(day)) for day, value in ordered)
    return SpcChart(
        chart=Chart(
            key=key or f"spc-{slug(indicator_title)}",
            title=f"{indicator_title} over time",
            spec=_finish(skeleton, data, text),
            text=text,
            columns=columns,
            rows=rows,
        ),
        variation=variation,
        assurance=assurance,
    )


@functools.lru_cache(maxsize=SKELETONS)
def _spc_skeleton(
    indicator_title: str, low_is_good: bool | None, *, reference: bool, limits: bool
) -> str:
    """The XmR chart's skeleton: with reference lines (mean, limits, target) or not, and with
    the note in place of limits when there are too few points."""
    x = alt.X("date:T", title=None, scale=alt.Scale(type="utc"), axis=DATE_AXIS)
    y = alt.Y(
        "value:Q", title=indicator_title, axis=alt.Axis(format=".0%"), scale=alt.Scale(zero=False)
    )
    layers: list[Any] = []
    if reference:
        domain = ["Mean", "Process limits", "Target"]
        layers.append(
            alt.Chart(alt.NamedData(name="reference"))
            .mark_rule(strokeWidth=1.5)
            .encode(
                y=alt.Y("value:Q"),
                color=alt.Color(
                    "line:N",
                    title="Lines",
                    scale=alt.Scale(domain=domain, range=[NHS_BLACK, NHS_MID_GREY, NHS_RED]),
                ),
                strokeDash=alt.StrokeDash(
                    "line:N",
                    title="Lines",
                    scale=alt.Scale(domain=domain, range=[[1, 0], [6, 3], [2, 2]]),
                ),
            )
        )
    tooltip = [
        alt.Tooltip("label:N", title="Date"),
        alt.Tooltip("value_label:N", title="Value"),
        alt.Tooltip("point_type:N", title="Variation"),
    ]
    layers.append(
        alt.Chart(alt.NamedData(name="series"))
        .mark_line(color=NHS_MID_GREY, strokeWidth=2, invalid="break-paths-show-domains")
        .encode(x=x, y=y)
    )
    shown_types: list[PointType] = (
        ["common_cause", "special_cause_neither"]
        if low_is_good is None
        else ["common_cause", "special_cause_improvement", "special_cause_concern"]
    )
    layers.append(
        alt.Chart(alt.NamedData(name="points"))
        .mark_point(filled=True, size=60, opacity=1, stroke=NHS_DARK_GREY, strokeWidth=0.75)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "point_type:N",
                title="Variation",
                scale=alt.Scale(
                    domain=[POINT_TYPE_LABELS[t] for t in shown_types],
                    range=[POINT_TYPE_COLOURS[t] for t in shown_types],
                ),
            ),
            tooltip=tooltip,
        )
    )
    chart = alt.layer(*layers).resolve_scale(color="independent", strokeDash="independent")
    if not limits:
        chart = chart.properties(
            title=alt.Title(
                "Not enough data for process limits: an XmR chart needs at least two values",
                anchor="start",
                fontSize=13,
                fontWeight="normal",
                color=NHS_DARK_GREY,
            )
        )
    return _skeleton(chart)


def _spc_text(
    title: str,
    ordered: Sequence[tuple[datetime.date, float | None]],
    present: Sequence[tuple[datetime.date, float]],
    xmr: statistics.XmRChart | None,
    variation: Icon,
    assurance: Icon | None,
    target: float | None,
    label_of: Any,
) -> str:
    if not present:
        return f"{title} over time: no values to show."
    span = (
        f"from {label_of(ordered[0][0])} to {label_of(ordered[-1][0])}"
        if len(ordered) > 1
        else f"in {label_of(ordered[0][0])}"
    )
    last_day, last_value = present[-1]
    first = f"{title} {span}; the latest value, at {label_of(last_day)}, is {percent(last_value)}"
    gaps = len(ordered) - len(present)
    gap_text = (
        f" {gaps} suppressed {'value is a gap' if gaps == 1 else 'values are gaps'} in the line."
        if gaps
        else ""
    )
    if xmr is None:
        return f"{first}.{gap_text} Not enough data for process limits."
    first += (
        f", against a mean of {percent(xmr.mean)} and process limits of "
        f"{percent(xmr.lower_limit)} to {percent(xmr.upper_limit)}"
    )
    if target is not None:
        first += f" (target {percent(target)})"
    second = variation.label + (f". {assurance.label}" if assurance else "")
    return f"{first}. {second}.{gap_text}"


# Deciles chart ----------------------------------------------------------------------------------


def _ordinal(number: int) -> str:
    return f"{number}th"  # 10th … 90th


def deciles_chart(
    indicator_title: str,
    months: Sequence[datetime.date],
    deciles_by_month: Mapping[datetime.date, Mapping[int, float | None]],
    series: Sequence[tuple[datetime.date, float | None]],
    series_label: str,
    *,
    key: str | None = None,
) -> Chart:
    """OpenPrescribing style: the 10th … 90th centiles over time (dashed, the median solid) and
    the organisation's own line in bold."""
    data = _Data()
    months = sorted(months)
    label_of = _labeller(months)
    own = dict(series)
    centiles = list(range(10, 100, 10))
    rows_data: list[dict[str, Any]] = []
    for month in months:
        by_centile = deciles_by_month.get(month, {})
        for centile in centiles:
            value = by_centile.get(centile)
            rows_data.append(
                {
                    "date": month.isoformat(),
                    "label": label_of(month),
                    "series": f"c{centile}",
                    "line": "Median" if centile == 50 else "Deciles (10th to 90th centile)",
                    "name": "Median" if centile == 50 else f"{_ordinal(centile)} centile",
                    "value": value,
                    "value_label": percent(value),
                }
            )
        rows_data.append(
            {
                "date": month.isoformat(),
                "label": label_of(month),
                "series": "own",
                "line": series_label,
                "name": series_label,
                "value": own.get(month),
                "value_label": percent(own.get(month)),
            }
        )
    centile_rows = [row for row in rows_data if row["series"] != "own"]
    own_rows = [row for row in rows_data if row["series"] == "own"]
    data.add("centiles", centile_rows)
    data.add("own", own_rows)
    data.add("own_points", [row for row in own_rows if row["value"] is not None])
    text = _deciles_text(indicator_title, months, deciles_by_month, own, series_label, label_of)
    columns = ("Date", series_label, *(f"{_ordinal(c)} centile" for c in centiles))
    rows = tuple(
        (
            label_of(month),
            percent(own.get(month)),
            *(percent(deciles_by_month.get(month, {}).get(c)) for c in centiles),
        )
        for month in months
    )
    return Chart(
        key=key or f"deciles-{slug(indicator_title)}",
        title=f"{indicator_title}: {series_label} against the deciles",
        spec=_finish(
            _deciles_skeleton(indicator_title), data, text, [(_SERIES_LABEL, series_label)]
        ),
        text=text,
        columns=columns,
        rows=rows,
    )


@functools.lru_cache(maxsize=SKELETONS)
def _deciles_skeleton(indicator_title: str) -> str:
    """The deciles chart's skeleton; the organisation's name (the series label) is filled in."""
    domain = ["Deciles (10th to 90th centile)", "Median", _SERIES_LABEL]
    encoding: dict[str, Any] = {
        "x": alt.X("date:T", title=None, scale=alt.Scale(type="utc"), axis=DATE_AXIS),
        "y": alt.Y("value:Q", title=indicator_title, axis=alt.Axis(format=".0%")),
        "detail": alt.Detail("series:N"),
        "color": alt.Color(
            "line:N",
            title=None,
            scale=alt.Scale(domain=domain, range=[NHS_BLUE, NHS_BLUE, NHS_RED]),
        ),
        "strokeDash": alt.StrokeDash(
            "line:N", title=None, scale=alt.Scale(domain=domain, range=[[4, 3], [1, 0], [1, 0]])
        ),
        "tooltip": [
            alt.Tooltip("label:N", title="Date"),
            alt.Tooltip("name:N", title="Line"),
            alt.Tooltip("value_label:N", title="Value"),
        ],
    }
    return _skeleton(
        alt.layer(
            alt.Chart(alt.NamedData(name="centiles"))
            .mark_line(strokeWidth=1.25, invalid="break-paths-show-domains")
            .encode(**encoding),
            alt.Chart(alt.NamedData(name="own"))
            .mark_line(strokeWidth=3.5, invalid="break-paths-show-domains")
            .encode(**encoding),
            alt.Chart(alt.NamedData(name="own_points"))
            .mark_point(filled=True, size=30, color=NHS_RED)
            .encode(x=encoding["x"], y=encoding["y"], tooltip=encoding["tooltip"]),
        )
    )


def _deciles_text(
    title: str,
    months: Sequence[datetime.date],
    deciles_by_month: Mapping[datetime.date, Mapping[int, float | None]],
    own: Mapping[datetime.date, float | None],
    series_label: str,
    label_of: Any,
) -> str:
    if not months:
        return f"{title}: no months to show."
    span = (
        f"from {label_of(months[0])} to {label_of(months[-1])}"
        if len(months) > 1
        else f"in {label_of(months[0])}"
    )
    first = (
        f"{series_label}'s {title} against the 10th to 90th centiles of all organisations {span}."
    )
    latest = next((m for m in reversed(months) if own.get(m) is not None), None)
    if latest is None:
        return first + f" No values for {series_label} are shown (suppressed or missing)."
    value = own[latest]
    assert value is not None
    known = {c: v for c, v in deciles_by_month.get(latest, {}).items() if v is not None}
    where = ""
    if known:
        below = [c for c, v in sorted(known.items()) if v <= value]
        above = [c for c, v in sorted(known.items()) if v > value]
        if not below:
            where = f", below the {_ordinal(min(known))} centile"
        elif not above:
            where = f", above the {_ordinal(max(known))} centile"
        else:
            where = f", between the {_ordinal(below[-1])} and {_ordinal(above[0])} centiles"
        if 50 in known:
            where += f" (median {percent(known[50])})"
    return first + f" In {label_of(latest)} it was {percent(value)}{where}."


# Breakdown chart --------------------------------------------------------------------------------


def _by(breakdown: str) -> str:
    """ "IMD quintile", "ethnic group" or "group", as in "… by ethnic group"."""
    header = BREAKDOWN_HEADERS.get(breakdown, "Group")
    return header if breakdown == "imd_quintile" else header.lower()


def group_label(breakdown: str, group: Unit) -> str:
    if breakdown == "imd_quintile":
        return IMD_LABELS.get(group.code, group.name)
    return group.name


def breakdown_chart(
    indicator_title: str,
    breakdown: str,
    groups: Sequence[Unit],
    sii: float | None,
    rii: float | None,
    *,
    key: str | None = None,
) -> Chart:
    """Horizontal bars of the value in each group (IMD quintile 1 … 5 and unknown, or ethnic
    group); suppressed groups have no bar, "suppressed" beside their label and "*" in the table.
    """
    data = _Data()
    if breakdown == "imd_quintile":
        order = {code: index for index, code in enumerate(IMD_LABELS)}
        groups = sorted(groups, key=lambda g: order.get(g.code, len(order)))
    labels = [group_label(breakdown, g) for g in groups]
    bar_rows = [
        {
            "group": label,
            "value": g.value,
            "value_label": percent(g.value) if g.value is not None else "suppressed",
            "numerator_label": count(g.numerator),
            "denominator_label": count(g.denominator),
            "highlighted": g.highlighted,
        }
        for g, label in zip(groups, labels, strict=True)
    ]
    data.add("bars", bar_rows)
    header = BREAKDOWN_HEADERS.get(breakdown, "Group")
    text = _breakdown_text(indicator_title, breakdown, groups, labels, sii, rii)
    columns = (header, "Numerator", "Denominator", "Value")
    rows = tuple(
        (label, count(g.numerator), count(g.denominator), percent(g.value))
        for g, label in zip(groups, labels, strict=True)
    )
    return Chart(
        key=key or f"breakdown-{slug(indicator_title)}-{slug(breakdown)}",
        title=f"{indicator_title} by {_by(breakdown)}",
        spec=_finish(
            _breakdown_skeleton(indicator_title, header), data, text, [([_LABELS], labels)]
        ),
        text=text,
        columns=columns,
        rows=rows,
    )


@functools.lru_cache(maxsize=SKELETONS)
def _breakdown_skeleton(indicator_title: str, header: str) -> str:
    """The breakdown's skeleton; the groups (the y axis' order and domain) are filled in."""
    y = alt.Y("group:N", title=header, sort=[_LABELS], scale=alt.Scale(domain=[_LABELS]))
    tooltip = [
        alt.Tooltip("group:N", title=header),
        alt.Tooltip("value_label:N", title="Value"),
        alt.Tooltip("numerator_label:N", title="Numerator"),
        alt.Tooltip("denominator_label:N", title="Denominator"),
    ]
    base = alt.Chart(alt.NamedData(name="bars")).encode(y=y, tooltip=tooltip)
    bars = base.mark_bar(color=NHS_BLUE, invalid="filter").encode(
        x=alt.X("value:Q", title=indicator_title, axis=alt.Axis(format=".0%")),
        color=alt.Color(
            "highlighted:N",
            legend=None,
            scale=alt.Scale(domain=[False, True], range=[NHS_BLUE, NHS_DARK_BLUE]),
        ),
    )
    labels_layer = (
        base.mark_text(align="left", dx=4, color=NHS_BLACK)
        .encode(x=alt.X("position:Q"), text="value_label:N")
        .transform_calculate(position="isValid(datum.value) ? datum.value : 0")
    )
    return _skeleton(alt.layer(bars, labels_layer))


def _breakdown_text(
    title: str,
    breakdown: str,
    groups: Sequence[Unit],
    labels: Sequence[str],
    sii: float | None,
    rii: float | None,
) -> str:
    by = _by(breakdown)
    known = [
        (label, g.value) for g, label in zip(groups, labels, strict=True) if g.value is not None
    ]
    if not known:
        first = f"{title} by {by}: every group is suppressed."
    elif len(known) == 1:
        first = f"{title} by {by}: only {known[0][0]} is shown, at {percent(known[0][1])}."
    else:
        high = max(known, key=lambda item: item[1])
        low = min(known, key=lambda item: item[1])
        first = (
            f"{title} by {by}: highest in {high[0]} at {percent(high[1])}, "
            f"lowest in {low[0]} at {percent(low[1])}."
        )
    suppressed = len(groups) - len(known)
    if suppressed:
        first = first[:-1] + f" ({suppressed} suppressed)."
    if sii is None:
        return first
    second = f" The slope index of inequality is {_points(sii)} percentage points"
    if breakdown == "imd_quintile" and sii != 0:
        direction = "higher" if sii > 0 else "lower"
        second += f" (the fitted value is {direction} in the least deprived areas)"
    if rii is not None:
        second += f"; the relative index of inequality is {rii:.2f}"
    return first + second + "."
