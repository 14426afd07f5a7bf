"""The maturity comparison chart: one cell per PCN and area, faceted by place, with a table view."""

from __future__ import annotations

import datetime as dt

from openpcn.development.charts import PcnMaturity, maturity_comparison

AREAS = ["Leadership", "Data"]
STEPS = ["Foundation", "Step 1", "Step 2", "Step 3"]


def test_cells_per_pcn_and_area_by_place_with_a_table_and_text() -> None:
    chart = maturity_comparison(
        [
            PcnMaturity(
                "East",
                "E1",
                dt.date(2026, 5, 1),
                {"Leadership": ("Step 2", 2), "Data": ("Foundation", 0)},
            ),
            PcnMaturity(
                "East",
                "E2",
                dt.date(2026, 6, 1),
                {"Leadership": ("Step 2", 2), "Data": ("Step 1", 1)},
            ),
            PcnMaturity("West", "W1", None, {}),
        ],
        AREAS,
        STEPS,
    )
    values = chart.spec["data"]["values"]
    assert len(values) == 4 and {v["place"] for v in values} == {"East"}
    assert chart.spec["facet"]["row"]["field"] == "place"
    assert chart.spec["description"] == chart.text
    assert (
        "2 of 3 PCNs in 2 places" in chart.text
        and "Leadership: most often Step 2 (2 of 2)" in chart.text
    )
    assert chart.columns == ("PCN", "Place", "Assessed on", "Leadership", "Data")
    assert [row[0] for row in chart.rows] == ["E1", "E2", "W1"]
    assert chart.rows[2][2:] == ("Not assessed", "Not assessed", "Not assessed")
