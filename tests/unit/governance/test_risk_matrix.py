"""The NPSA 5x5 matrix, every cell against a table written out by hand (nhs-rules.md §3)."""

from __future__ import annotations

import pytest

from openpcn.governance import risks
from openpcn.governance.risks import Band

L, M, H, E = Band.LOW, Band.MODERATE, Band.HIGH, Band.EXTREME

# Rows: consequence 1 negligible .. 5 catastrophic; columns: likelihood 1 rare .. 5 almost certain.
SCORES = [
    [1, 2, 3, 4, 5],
    [2, 4, 6, 8, 10],
    [3, 6, 9, 12, 15],
    [4, 8, 12, 16, 20],
    [5, 10, 15, 20, 25],
]
BANDS = [
    [L, L, L, M, M],
    [L, M, M, H, H],
    [L, M, H, H, E],
    [M, H, H, E, E],
    [M, H, E, E, E],
]
CELLS = [(c, lk) for c in range(1, 6) for lk in range(1, 6)]


@pytest.mark.parametrize(("consequence", "likelihood"), CELLS)
def test_risk_matrix_cell(consequence: int, likelihood: int) -> None:
    assert risks.score(consequence, likelihood) == SCORES[consequence - 1][likelihood - 1]
    assert risks.band(consequence, likelihood) is BANDS[consequence - 1][likelihood - 1]


def test_risk_matrix_has_25_cells_in_four_bands() -> None:
    assert len(CELLS) == 25
    counts = {b: sum(row.count(b) for row in BANDS) for b in Band}
    assert counts == {L: 5, M: 7, H: 7, E: 6}


def test_risk_matrix_band_colours_and_names() -> None:
    assert [(b.label, b.colour, b.scores) for b in Band] == [
        ("Low", "green", (1, 3)),
        ("Moderate", "yellow", (4, 6)),
        ("High", "orange", (8, 12)),
        ("Extreme", "red", (15, 25)),
    ]
    assert risks.CONSEQUENCES[5] == "Catastrophic" and risks.LIKELIHOODS[5] == "Almost certain"


@pytest.mark.parametrize("bad", [0, 6, -1, 2.0, True, "3", None])
def test_risk_matrix_rejects_levels_outside_1_to_5(bad: object) -> None:
    with pytest.raises(ValueError, match="1 to 5"):
        risks.score(bad, 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="1 to 5"):
        risks.score(3, bad)  # type: ignore[arg-type]


def test_risk_matrix_heat_map_is_catastrophic_first_and_counts_cells() -> None:
    grid = risks.heat_map({(5, 1): 2, (1, 5): 1})
    assert [len(row) for row in grid] == [5] * 5
    assert [cell.consequence for cell in (row[0] for row in grid)] == [5, 4, 3, 2, 1]
    assert [cell.likelihood for cell in grid[0]] == [1, 2, 3, 4, 5]
    assert grid[0][0].count == 2 and grid[0][0].band is M
    assert grid[4][4].count == 1 and grid[4][4].score == 5
    assert sum(cell.count for row in grid for cell in row) == 3
