"""The population dashboards' charts, tested as data: Vega-Lite specs, text and table views."""

from __future__ import annotations

import copy
import datetime
import json
from typing import Any

import pytest
from altair.vegalite.v6.schema.core import Root

from openpcn.population import charts
from openpcn.population.charts import Chart, Unit
from openpcn.population.engine import statistics

MONTHS = [datetime.date(2024 + (m // 12), m % 12 + 1, 1) for m in range(20)]


def layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return list(spec.get("layer", [spec]))


def mark_type(layer: dict[str, Any]) -> str:
    mark = layer["mark"]
    return str(mark if isinstance(mark, str) else mark["type"])


def assert_valid(chart: Chart) -> None:
    """Valid Vega-Lite, described by its text alternative, as wide as its container, no URLs."""
    Root.validate(chart.spec)
    assert chart.spec["description"] == chart.text
    assert chart.spec["width"] == "container"
    assert chart.spec["$schema"].endswith("v6.4.1.json")
    assert '"url"' not in json.dumps(chart.spec)
    assert all(len(row) == len(chart.columns) for row in chart.rows)


def shift_series(low_is_high: bool = False) -> list[tuple[datetime.date, float | None]]:
    """12 points wobbling around 50%, then 8 around 70% (or 30%): a clear shift."""
    wobble = [0.01, -0.01, 0.005, -0.005]
    late = 0.3 if low_is_high else 0.7
    values = [0.5 + wobble[i % 4] for i in range(12)] + [late + wobble[i % 4] for i in range(8)]
    return list(zip(MONTHS, values, strict=True))


# Funnel plot ------------------------------------------------------------------------------------

UNITS = [
    Unit("A81001", "Alpha Surgery", 300, 500, 0.6),
    Unit("A81002", "Beta Practice", 1340, 2000, 0.67, highlighted=True),
    Unit("A81003", "Gamma Health Centre", 1950, 3000, 0.65),
    Unit("A81004", "Delta Medical", 920, 1000, 0.92),  # far above any limit at 1,000
    Unit("A81005", "Epsilon Surgery", None, 40, None),  # suppressed
]


def test_funnel_target_line_and_limits_match_the_engine() -> None:
    chart = charts.funnel_plot("Blood pressure to target", UNITS, 0.66, low_is_good=False)
    assert_valid(chart)
    lines = next(layer for layer in layers(chart.spec) if mark_type(layer) == "line")
    rows = lines["data"]["values"]
    assert {row["value"] for row in rows if row["line"] == "target"} == {0.66}
    denominators = sorted({row["denominator"] for row in rows})
    assert 40 <= len(denominators) <= 70
    assert denominators[0] <= 500 and denominators[-1] >= 3000
    for denominator in (denominators[0], denominators[len(denominators) // 2], 3000):
        limits = statistics.funnel_limits(0.66, denominator)
        assert limits is not None
        at = {row["line"]: row["value"] for row in rows if row["denominator"] == denominator}
        assert at["lower_95"] == pytest.approx(limits.lower_95)
        assert at["upper_95"] == pytest.approx(limits.upper_95)
        assert at["lower_99_8"] == pytest.approx(limits.lower_99_8)
        assert at["upper_99_8"] == pytest.approx(limits.upper_99_8)


def test_funnel_flags_and_suppression_in_the_table() -> None:
    chart = charts.funnel_plot("Blood pressure to target", UNITS, 0.66, low_is_good=False)
    assert chart.columns == ("Organisation", "Numerator", "Denominator", "Value", "Flag")
    table = {row[0]: row for row in chart.rows}
    assert table["Delta Medical"] == ("Delta Medical", "920", "1,000", "92.0%", "Above 99.8% limit")
    assert table["Beta Practice"][4] == "Within limits"
    assert table["Epsilon Surgery"] == ("Epsilon Surgery", "*", "40", "*", "*")
    assert "Delta Medical" in chart.text and "above 99.8% limit" in chart.text
    assert "1 is suppressed" in chart.text

    points = next(layer for layer in layers(chart.spec) if mark_type(layer) == "point")
    plotted = {row["code"]: row for row in points["data"]["values"]}
    assert "A81005" not in plotted  # suppressed units are left out of the chart
    assert plotted["A81004"]["flag"] == "Above 99.8% limit"
    assert points["encoding"]["color"]["field"] == "flag"


def test_funnel_labels_the_highlighted_unit_and_pools_a_missing_target() -> None:
    chart = charts.funnel_plot("Blood pressure to target", UNITS, None, low_is_good=None)
    assert_valid(chart)
    labels = [layer for layer in layers(chart.spec) if mark_type(layer) == "text"]
    assert [row["name"] for row in labels[0]["data"]["values"]] == ["Beta Practice"]
    pooled = (300 + 1340 + 1950 + 920) / (500 + 2000 + 3000 + 1000)
    lines = next(layer for layer in layers(chart.spec) if mark_type(layer) == "line")
    assert {r["value"] for r in lines["data"]["values"] if r["line"] == "target"} == {pooled}
    assert f"average of {100 * pooled:.1f}%" in chart.text
    assert chart.key == "funnel-Blood-pressure-to-target"
    assert charts.funnel_plot("x", UNITS, 0.5, None, key="funnel-HYP_REG").key == "funnel-HYP_REG"


def test_funnel_with_every_unit_suppressed_still_renders() -> None:
    chart = charts.funnel_plot("Blood pressure", [Unit("X", "X", None, None, None)], None, True)
    assert_valid(chart)
    assert chart.rows == (("X", "*", "*", "*", "*"),)


# SPC chart --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low_is_good", "series", "icon"),
    [
        (False, shift_series(), "improvement_high"),
        (True, shift_series(), "concern_high"),
        (None, shift_series(), "neither_high"),
        (True, shift_series(low_is_high=True), "improvement_low"),
        (False, shift_series(low_is_high=True), "concern_low"),
    ],
)
def test_spc_shift_is_special_cause_with_the_right_variation_icon(
    low_is_good: bool | None, series: list[tuple[datetime.date, float | None]], icon: str
) -> None:
    spc = charts.spc_chart("Flu vaccination", series, low_is_good)
    assert_valid(spc.chart)
    assert spc.variation.key == icon
    assert spc.assurance is None  # no target
    points = next(layer for layer in layers(spc.chart.spec) if mark_type(layer) == "point")
    late = [row["point_type"] for row in points["data"]["values"][-8:]]
    assert all(kind.startswith("Special cause") for kind in late)
    assert spc.chart.rows[-1][2].startswith("Special cause")
    assert spc.variation.label in spc.chart.text
    assert 'role="img"' in spc.variation.svg
    assert f'aria-label="{spc.variation.label}"' in spc.variation.svg


def test_spc_limits_and_mean_come_from_the_engine() -> None:
    series = shift_series()
    spc = charts.spc_chart("Flu vaccination", series, low_is_good=False)
    xmr = statistics.xmr_chart([v for _, v in series if v is not None], False)
    assert xmr is not None
    rules = next(layer for layer in layers(spc.chart.spec) if mark_type(layer) == "rule")
    values = {(row["line"], row.get("bound")): row["value"] for row in rules["data"]["values"]}
    assert values[("Mean", None)] == pytest.approx(xmr.mean)
    assert values[("Process limits", "upper")] == pytest.approx(xmr.upper_limit)
    assert values[("Process limits", "lower")] == pytest.approx(xmr.lower_limit)


def test_spc_common_cause_icon_is_grey() -> None:
    steady = [(month, 0.5 + (0.01 if i % 2 else -0.01)) for i, month in enumerate(MONTHS[:10])]
    spc = charts.spc_chart("Flu vaccination", steady, low_is_good=False)
    assert spc.variation.key == "common_cause"
    assert charts.MDC_COMMON in spc.variation.svg


@pytest.mark.parametrize(
    ("target", "low_is_good", "assurance"),
    [
        (0.5, False, "hit_and_miss"),  # inside the limits
        (0.3, False, "consistently_pass"),  # both limits above a target where high is good
        (0.3, True, "consistently_fail"),
        (0.7, True, "consistently_pass"),
        (0.7, False, "consistently_fail"),
        (0.7, None, None),  # no good side to pass or fail on
        (None, False, None),
    ],
)
def test_spc_assurance(target: float | None, low_is_good: bool | None, assurance: str) -> None:
    steady = [(month, 0.5 + (0.02 if i % 2 else -0.02)) for i, month in enumerate(MONTHS[:12])]
    spc = charts.spc_chart("Flu vaccination", steady, low_is_good, target=target)
    assert_valid(spc.chart)
    assert (spc.assurance.key if spc.assurance else None) == assurance
    if spc.assurance:
        assert spc.assurance.label in spc.chart.text
        assert 'role="img"' in spc.assurance.svg
    if target is not None:
        rules = next(layer for layer in layers(spc.chart.spec) if mark_type(layer) == "rule")
        assert {"line": "Target", "value": target} in rules["data"]["values"]


def test_spc_suppressed_points_are_gaps() -> None:
    series = shift_series()
    series[5] = (series[5][0], None)
    spc = charts.spc_chart("Flu vaccination", series, low_is_good=False)
    assert_valid(spc.chart)
    line = next(layer for layer in layers(spc.chart.spec) if mark_type(layer) == "line")
    gap = [row for row in line["data"]["values"] if row["date"] == series[5][0].isoformat()]
    assert gap[0]["value"] is None  # the line breaks here
    assert line["mark"]["invalid"].startswith("break-paths")
    points = next(layer for layer in layers(spc.chart.spec) if mark_type(layer) == "point")
    assert len(points["data"]["values"]) == 19
    assert spc.chart.rows[5] == ("Jun 2024", "*", "")
    xmr = statistics.xmr_chart([v for _, v in series if v is not None], False)
    rules = next(layer for layer in layers(spc.chart.spec) if mark_type(layer) == "rule")
    assert rules["data"]["values"][0]["value"] == pytest.approx(xmr.mean if xmr else 0)
    assert "1 suppressed value is a gap" in spc.chart.text


@pytest.mark.parametrize("count", [0, 1])
def test_spc_with_fewer_than_two_points_has_a_note_and_no_limits(count: int) -> None:
    series = [(MONTHS[0], 0.4), (MONTHS[1], None)][:count] + [(MONTHS[2], None)]
    spc = charts.spc_chart("Flu vaccination", series, low_is_good=False, target=0.5)
    assert_valid(spc.chart)
    assert spc.variation.key == "insufficient_data"
    assert spc.assurance is None
    assert "Not enough data" in spc.chart.spec["title"]["text"]
    rules = [layer for layer in layers(spc.chart.spec) if mark_type(layer) == "rule"]
    assert all(row["line"] == "Target" for layer in rules for row in layer["data"]["values"])


# Deciles chart ----------------------------------------------------------------------------------


def test_deciles_chart_lines_table_and_text() -> None:
    months = MONTHS[:3]
    deciles = {m: {c: c / 100 for c in range(10, 100, 10)} for m in months}
    deciles[months[1]][90] = None
    series = [(months[0], 0.33), (months[1], None), (months[2], 0.47)]
    chart = charts.deciles_chart("Statins", months, deciles, series, "North PCN")
    assert_valid(chart)
    assert chart.columns[:3] == ("Date", "North PCN", "10th centile")
    assert chart.rows[0][:3] == ("Jan 2024", "33.0%", "10.0%")
    assert chart.rows[1][1] == "*" and chart.rows[1][-1] == "*"
    assert "between the 40th and 50th centiles" in chart.text
    centiles, own = (layer for layer in layers(chart.spec) if mark_type(layer) == "line")
    scale = centiles["encoding"]["strokeDash"]["scale"]
    dashes = dict(zip(scale["domain"], scale["range"], strict=True))
    assert dashes["Median"] == [1, 0] and dashes["Deciles (10th to 90th centile)"] != [1, 0]
    assert len({row["series"] for row in centiles["data"]["values"]}) == 9
    assert own["mark"]["strokeWidth"] > centiles["mark"]["strokeWidth"]
    assert [row["value"] for row in own["data"]["values"]] == [0.33, None, 0.47]


@pytest.mark.parametrize(("value", "where"), [(0.05, "below the 10th"), (0.95, "above the 90th")])
def test_deciles_text_outside_the_range(value: float, where: str) -> None:
    deciles = {MONTHS[0]: {c: c / 100 for c in range(10, 100, 10)}}
    chart = charts.deciles_chart("Statins", MONTHS[:1], deciles, [(MONTHS[0], value)], "Us")
    assert where in chart.text


# Breakdown chart --------------------------------------------------------------------------------


def test_breakdown_by_imd_quintile() -> None:
    groups = [Unit(str(q), str(q), 50 + 5 * q, 100, (50 + 5 * q) / 100) for q in (5, 3, 1, 2, 4)]
    groups.append(Unit("unknown", "unknown", None, 3, None))
    chart = charts.breakdown_chart("Hypertension control", "imd_quintile", groups, 0.123, 1.21)
    assert_valid(chart)
    assert chart.columns == ("IMD quintile", "Numerator", "Denominator", "Value")
    assert [row[0] for row in chart.rows] == [
        "1 (most deprived)",
        "2",
        "3",
        "4",
        "5 (least deprived)",
        "Unknown",
    ]
    assert chart.rows[0][3] == "55.0%" and chart.rows[-1][3] == "*"
    assert "slope index of inequality is 12.3 percentage points" in chart.text
    assert "relative index of inequality is 1.21" in chart.text
    bars = next(layer for layer in layers(chart.spec) if mark_type(layer) == "bar")
    assert bars["encoding"]["x"]["axis"]["format"] == ".0%"
    assert bars["encoding"]["y"]["sort"][0] == "1 (most deprived)"


def test_breakdown_by_ethnicity_with_a_negative_sii_and_no_sii() -> None:
    groups = [
        Unit("White", "White", 60, 100, 0.6),
        Unit("Asian", "Asian or Asian British", 30, 50, 0.6),
        Unit("Other", "Other ethnic groups", None, 4, None),
    ]
    chart = charts.breakdown_chart("Flu", "ethnicity6", groups, -0.042, None)
    assert_valid(chart)
    assert [row[0] for row in chart.rows] == [
        "White",
        "Asian or Asian British",
        "Other ethnic groups",
    ]
    assert "−4.2 percentage points" in chart.text
    assert "1 suppressed" in chart.text
    without = charts.breakdown_chart("Flu", "ethnicity6", groups, None, None)
    assert "slope index" not in without.text


def test_values_that_are_not_finite_become_missing_in_the_spec() -> None:
    deciles = {MONTHS[0]: {c: float("nan") for c in range(10, 100, 10)}}
    chart = charts.deciles_chart("Statins", MONTHS[:1], deciles, [(MONTHS[0], 0.5)], "Us")
    json.dumps(chart.spec, allow_nan=False)


def test_formatting() -> None:
    assert charts.percent(0.1234) == "12.3%"
    assert charts.percent(None) == "*"
    assert charts.count(12345) == "12,345"
    assert charts.slug("Flu (65+) uptake") == "Flu-65-uptake"


# The template macros and the static files --------------------------------------------------------


def test_chart_macro_renders_figure_spec_text_and_table() -> None:
    from django.template import engines

    chart = charts.funnel_plot("Blood <pressure>", UNITS, 0.66, low_is_good=False)
    template = engines["jinja2"].env.from_string(  # type: ignore[attr-defined]
        '{% from "population/_chart.jinja" import chart, chart_scripts %}'
        "{{ chart(c) }}{{ chart_scripts() }}"
    )
    html = template.render(c=chart)
    key = chart.key
    assert f'data-vega-spec="spec-{key}"' in html
    start = html.index(f'<script type="application/json" id="spec-{key}">') + len(
        f'<script type="application/json" id="spec-{key}">'
    )
    assert json.loads(html[start : html.index("</script>", start)]) == chart.spec
    assert "<pressure>" not in html  # escaped in the caption, the text and the JSON
    assert f'<p id="text-{key}"' in html
    assert "Show as a table" in html and 'class="nhsuk-table"' in html
    assert '<th scope="row" class="nhsuk-table__header">Delta Medical</th>' in html
    assert '<td class="nhsuk-table__cell">Above 99.8% limit</td>' in html
    for script in (
        "vega/vega.min.js",
        "vega-lite/vega-lite.min.js",
        "vega-embed/vega-embed.min.js",
    ):
        assert f'src="/static/{script}"' in html
    assert 'src="/static/js/charts.js"' in html


def test_vega_builds_are_static_files() -> None:
    from django.conf import settings
    from django.contrib.staticfiles import finders

    assert finders.find("js/charts.js")
    if not (settings.BASE_DIR / "node_modules" / "vega-embed").is_dir():
        pytest.skip("node_modules is not installed (run `npm ci`)")
    for script in (
        "vega/vega.min.js",
        "vega-lite/vega-lite.min.js",
        "vega-embed/vega-embed.min.js",
    ):
        assert finders.find(script), script


# Cached skeletons: the Altair part is built once per parameter set, the data put in per call ----

SKELETONS = (
    charts._funnel_skeleton,
    charts._spc_skeleton,
    charts._deciles_skeleton,
    charts._breakdown_skeleton,
)

OTHER_UNITS = [
    Unit("B82001", "Zeta Surgery", 410, 700, 410 / 700),
    Unit("B82002", "Eta Practice", 2100, 2600, 2100 / 2600, highlighted=True),
    Unit("B82003", "Theta Medical", 900, 1500, 0.6),
    Unit("B82004", "Iota Health", None, 8, None),
]


def deciles_input(shift: float) -> tuple[Any, ...]:
    months = MONTHS[:6]
    deciles = {m: {c: shift + c / 200 for c in range(10, 100, 10)} for m in months}
    return months, deciles, [(m, shift + 0.3 + i / 50) for i, m in enumerate(months)]


def imd_groups(shift: int) -> list[Unit]:
    return [Unit(str(q), str(q), 40 + shift * q, 100, (40 + shift * q) / 100) for q in range(1, 6)]


ETHNIC_GROUPS = [
    Unit("White", "White", 60, 100, 0.6),
    Unit("Asian", "Asian or Asian British", None, 5, None),
    Unit("Other", "Other ethnic groups", 9, 30, 0.3),
]

# (builder, two calls with the same parameters but different data, the skeleton used)
BUILDS: dict[str, tuple[Any, Any, Any]] = {
    "funnel": (
        lambda: charts.funnel_plot("Blood pressure to target", UNITS, 0.66, False),
        lambda: charts.funnel_plot("Blood pressure to target", OTHER_UNITS, 0.7, False),
        charts._funnel_skeleton,
    ),
    "spc": (
        lambda: charts.spc_chart("Flu vaccination", shift_series(), False, 0.6).chart,
        lambda: charts.spc_chart("Flu vaccination", shift_series(True)[:15], False, 0.4).chart,
        charts._spc_skeleton,
    ),
    "deciles": (
        lambda: charts.deciles_chart("Statins", *deciles_input(0.0), "North PCN"),
        lambda: charts.deciles_chart("Statins", *deciles_input(0.1), "Alpha Surgery"),
        charts._deciles_skeleton,
    ),
    "imd": (
        lambda: charts.breakdown_chart("Flu", "imd_quintile", imd_groups(2), 0.08, 1.2),
        lambda: charts.breakdown_chart("Flu", "imd_quintile", imd_groups(-3), -0.12, 0.7),
        charts._breakdown_skeleton,
    ),
    "ethnicity": (
        lambda: charts.breakdown_chart("Flu", "ethnicity6", ETHNIC_GROUPS, None, None),
        lambda: charts.breakdown_chart("Flu", "ethnicity6", ETHNIC_GROUPS[::2], None, None),
        charts._breakdown_skeleton,
    ),
}


def without_data(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with every data-dependent place blanked: the rows, the text alternative, the
    breakdown's groups and the deciles chart's series label."""
    spec = copy.deepcopy(spec)
    spec["description"] = "…"
    for part in [spec, *spec.get("layer", [])]:
        if "values" in part.get("data", {}):
            part["data"]["values"] = "…"
        y = part.get("encoding", {}).get("y", {})
        if "sort" in y:  # the breakdown's groups
            y["sort"] = y["scale"]["domain"] = "…"
        for channel in ("color", "strokeDash"):
            domain = part.get("encoding", {}).get(channel, {}).get("scale", {}).get("domain")
            if domain and domain[:2] == ["Deciles (10th to 90th centile)", "Median"]:
                domain[2] = "…"  # the deciles chart's series label
    return spec


def test_each_chart_is_built_from_a_skeleton_without_figures() -> None:
    for skeleton in SKELETONS:
        skeleton.cache_clear()
    charts.funnel_plot("Blood pressure to target", UNITS, 0.66, False)
    cached = charts._funnel_skeleton(
        "Blood pressure to target", False, limits=True, no_limits=False, highlighted=True
    )
    assert charts._funnel_skeleton.cache_info().hits == 1
    assert '"values"' not in cached and "Beta Practice" not in cached and "0.66" not in cached
    charts.funnel_plot("Blood pressure to target", OTHER_UNITS, 0.7, False)
    assert charts._funnel_skeleton.cache_info().hits == 2  # another organisation: no new build


@pytest.mark.parametrize("name", BUILDS)
def test_specs_differ_only_in_their_data_and_equal_a_fresh_build(name: str) -> None:
    first, second, skeleton = BUILDS[name]
    skeleton.cache_clear()
    one = first()
    two = second()  # the same skeleton, from the cache
    assert skeleton.cache_info().hits >= 1
    assert one.spec != two.spec
    assert without_data(one.spec) == without_data(two.spec)
    for chart in (one, two):
        assert_valid(chart)
        assert "\ue000" not in json.dumps(chart.spec, ensure_ascii=False)  # no placeholder left
    skeleton.cache_clear()
    fresh_two = second()
    assert json.dumps(fresh_two.spec) == json.dumps(two.spec)  # same keys in the same order
    assert fresh_two == two
    skeleton.cache_clear()
    assert first() == one


@pytest.mark.parametrize("name", BUILDS)
def test_changing_a_returned_spec_does_not_change_the_next(name: str) -> None:
    first, second, _ = BUILDS[name]
    expected = copy.deepcopy(first().spec)
    for build in (first, second):
        spec = build().spec

        def scribble(node: Any) -> None:
            if isinstance(node, dict):
                for value in node.values():
                    scribble(value)
                node["scribbled"] = True
            elif isinstance(node, list):
                for value in node:
                    scribble(value)
                node.append("scribbled")

        scribble(spec)
        spec["description"] = "changed"
        spec["config"]["axis"]["titleColor"] = "red"
    assert first().spec == expected
    assert charts.CONFIG["axis"]["titleColor"] == charts.NHS_BLACK


def test_a_value_that_looks_like_a_placeholder_is_kept_as_it_is() -> None:
    label = charts._DESCRIPTION  # an (unlikely) organisation name: the placeholder's own text
    chart = charts.deciles_chart("Statins", *deciles_input(0.0), label)
    own = [layer for layer in layers(chart.spec) if mark_type(layer) == "line"][1]
    assert own["encoding"]["color"]["scale"]["domain"][2] == label
    assert chart.spec["description"] == chart.text
    groups = [Unit("a", charts._LABELS, 1, 2, 0.5), Unit("b", charts._DESCRIPTION, 1, 4, 0.25)]
    breakdown = charts.breakdown_chart("Flu", "ethnicity6", groups, None, None)
    bars = next(layer for layer in layers(breakdown.spec) if mark_type(layer) == "bar")
    assert bars["encoding"]["y"]["sort"] == [charts._LABELS, charts._DESCRIPTION]
    assert breakdown.spec["description"] == breakdown.text
