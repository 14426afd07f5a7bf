"""The Maturity Matrix comparison across PCNs and places: a Vega-Lite heat grid built with Altair.

A pure function of plain data, as the population charts are (population/charts.py), returning the
same `Chart` (spec, text alternative, table view), drawn by templates/population/_chart.jinja.
Each cell names its step in words, so the colour is never the only signal.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt

from openpcn.population.charts import CONFIG, NHS_BLACK, Chart

# Light to dark NHS blues, one per step (Foundation, Step 1, Step 2, Step 3).
STEP_COLOURS = ["#E8EDEE", "#41B6E6", "#005EB8", "#003087"]
NOT_RATED = "Not assessed"


@dataclass(frozen=True)
class PcnMaturity:
    place: str
    pcn: str
    assessed_on: dt.date | None
    # Area name -> (step label, step level), for each area rated.
    steps: dict[str, tuple[str, int]]


def maturity_comparison(
    pcns: Sequence[PcnMaturity], areas: Sequence[str], steps: Sequence[str]
) -> Chart:
    """Areas across, PCNs down, one block of PCNs per place; each cell the PCN's latest step."""
    values = [
        {
            "place": p.place,
            "pcn": p.pcn,
            "area": area,
            "step": p.steps[area][0],
            "level": p.steps[area][1],
        }
        for p in pcns
        for area in areas
        if area in p.steps
    ]
    # Long area names wrap onto lines below each place's block (Vega draws a list as lines).
    wrapped = {area: textwrap.wrap(area, 20) for area in areas}
    cells = alt.Chart().encode(
        x=alt.X(
            "area:N",
            title=None,
            sort=list(areas),
            axis=alt.Axis(
                labelAngle=0,
                labelLimit=0,
                labelExpr=f"{json.dumps(wrapped)}[datum.label]",
            ),
        ),
        y=alt.Y("pcn:N", title=None, axis=alt.Axis(labelLimit=240)),
    )
    grid = alt.layer(
        cells.mark_rect(stroke="white", strokeWidth=2).encode(
            color=alt.Color(
                "step:N",
                title="Step",
                scale=alt.Scale(domain=list(steps), range=STEP_COLOURS[: len(steps)]),
                sort=list(steps),
            ),
            tooltip=[
                alt.Tooltip("place:N", title="Place"),
                alt.Tooltip("pcn:N", title="PCN"),
                alt.Tooltip("area:N", title="Area"),
                alt.Tooltip("step:N", title="Step"),
            ],
        ),
        cells.mark_text(fontSize=12).encode(
            text="step:N",
            color=alt.condition("datum.level >= 2", alt.value("white"), alt.value(NHS_BLACK)),
        ),
        data=alt.Data(values=values),
    ).properties(width=alt.Step(120), height=alt.Step(30))
    text = _text(pcns, areas)
    chart = (
        grid.facet(
            row=alt.Row(
                "place:N",
                title=None,
                header=alt.Header(
                    labelAngle=0, labelOrient="top", labelAnchor="start", labelFontSize=14
                ),
            ),
        )
        .resolve_scale(y="independent")
        .resolve_axis(x="independent")
    )
    spec = chart.properties(description=text).to_dict(validate=False)
    spec.pop("config", None)
    spec["config"] = CONFIG
    rows = tuple(
        (
            p.pcn,
            p.place,
            p.assessed_on.strftime("%d %b %Y") if p.assessed_on else NOT_RATED,
            *(p.steps[a][0] if a in p.steps else NOT_RATED for a in areas),
        )
        for p in pcns
    )
    return Chart(
        key="maturity",
        title="Maturity Matrix: each PCN's latest self-assessment, by place",
        spec=spec,
        text=text,
        columns=("PCN", "Place", "Assessed on", *areas),
        rows=rows,
    )


def _text(pcns: Sequence[PcnMaturity], areas: Sequence[str]) -> str:
    assessed = [p for p in pcns if p.steps]
    place_count = len({p.place for p in pcns})
    if not assessed:
        return f"No self-assessments yet for the {len(pcns)} PCNs in {place_count} places."
    parts = [
        f"The latest Maturity Matrix self-assessment of {len(assessed)} of {len(pcns)} PCNs "
        f"in {place_count} places, one cell per area and PCN, grouped by place."
    ]
    for area in areas:
        given = Counter(p.steps[area][0] for p in assessed if area in p.steps)
        if given:
            step, count = sorted(given.items(), key=lambda item: (-item[1], item[0]))[0]
            parts.append(f"{area}: most often {step} ({count} of {sum(given.values())}).")
    return " ".join(parts)
