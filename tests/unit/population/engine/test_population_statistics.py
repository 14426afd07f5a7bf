"""Statistics against values worked out by hand (the working is in each comment)."""

from __future__ import annotations

import pytest

from openpcn.population.engine import statistics as st


def test_percent_ranks_follow_sql_percent_rank() -> None:
    # Non-null values 0.1, 0.2, 0.2, 0.4: (rank − 1)/(n − 1) = 0, 1/3, 1/3, 1; nulls get none.
    ranks = st.percent_ranks([0.1, 0.2, 0.2, None, 0.4])
    assert ranks == [0.0, pytest.approx(100 / 3), pytest.approx(100 / 3), None, 100.0]
    assert st.percent_ranks([0.5]) == [0.0]
    assert st.percent_ranks([None]) == [None]


def test_deciles_follow_percentile_cont() -> None:
    # 1..5: position = f × 4; 10th → 1.4, 50th → 3, 90th → 4.6 (linear interpolation).
    result = st.deciles([5, 1, 3, None, 2, 4])
    assert result[10] == pytest.approx(1.4)
    assert result[50] == pytest.approx(3.0)
    assert result[90] == pytest.approx(4.6)
    assert st.deciles([]) == {c: None for c in range(10, 100, 10)}


def test_wilson_limits_by_hand() -> None:
    # p = 0.5, n = 100, z = 1.96: (2np + z² ± z√(z² + 4np(1−p))) / 2(n + z²)
    # = (103.8415 ± 1.96 × 10.1903) / 207.683 = 0.40383, 0.59617
    low, high = st.wilson_limits(0.5, 100, st.Z_95)
    assert low == pytest.approx(0.40383, abs=1e-5)
    assert high == pytest.approx(0.59617, abs=1e-5)


def test_funnel_flags_at_both_levels() -> None:
    limits = st.funnel_limits(0.5, 100)
    assert limits is not None
    assert limits.lower_99_8 < limits.lower_95 < 0.5 < limits.upper_95 < limits.upper_99_8
    assert st.funnel_flag(0.5, limits) == ""
    assert st.funnel_flag(0.62, limits) == "High (0.025)"  # above 0.5962, below 99.8%
    assert st.funnel_flag(0.70, limits) == "High (0.001)"
    assert st.funnel_flag(0.39, limits) == "Low (0.025)"
    assert st.funnel_flag(0.30, limits) == "Low (0.001)"
    assert st.funnel_limits(0.5, 0) is None


def test_xmr_limits_and_common_cause() -> None:
    # Alternating 10, 12: mean 11, every moving range 2, limits 11 ± 2.66 × 2.
    chart = st.xmr_chart([10, 12] * 4, low_is_good=False)
    assert chart is not None
    assert (chart.mean, chart.mean_moving_range) == (11, 2)
    assert chart.lower_limit == pytest.approx(5.68)
    assert chart.upper_limit == pytest.approx(16.32)
    assert set(chart.point_types) == {"common_cause"}


def test_xmr_shift_and_single_point() -> None:
    # Nine 10s then 30: mean 12, mean MR 20/9, UCL 12 + 2.66 × 2.22 = 17.9 -> 30 is outside;
    # the nine 10s sit below the mean: a shift (≥ 7), on the low side = concern when high is good.
    chart = st.xmr_chart([10] * 9 + [30], low_is_good=False)
    assert chart is not None
    assert chart.rules == ("shift",) * 9 + ("single point",)
    assert chart.point_types == ("special_cause_concern",) * 9 + ("special_cause_improvement",)


def test_xmr_trend_beats_single_point() -> None:
    # 1..7: six rising steps; 1 and 7 are also outside 4 ± 2.66, but trend has priority.
    chart = st.xmr_chart([1, 2, 3, 4, 5, 6, 7], low_is_good=True)
    assert chart is not None
    assert chart.rules == ("trend",) * 7
    assert chart.point_types == ("special_cause_concern",) * 7  # rising when low is good
    assert st.xmr_chart([1, 2, 3, 4, 5, 6], low_is_good=True).rules == ("",) * 6  # type: ignore[union-attr]


def test_xmr_two_of_three_in_the_outer_third() -> None:
    # mean 10.8, mean MR 16/9 = 1.778: UCL 15.53, 2-sigma line 10.8 + 3.153 = 13.95;
    # the two 14s are beyond the 2-sigma line but inside the limit.
    chart = st.xmr_chart([10, 11, 9, 10, 11, 9, 10, 14, 14, 10], low_is_good=None)
    assert chart is not None
    assert chart.rules[7:9] == ("two of three", "two of three")
    assert chart.point_types[7] == "special_cause_neither"
    assert set(chart.point_types[:7]) == {"common_cause"}
    assert st.xmr_chart([1.0], low_is_good=None) is None


def test_imd_quintiles_from_deciles() -> None:
    assert [st.imd_quintile(d) for d in range(1, 11)] == [
        "1",
        "1",
        "2",
        "2",
        "3",
        "3",
        "4",
        "4",
        "5",
        "5",
    ]
    assert st.imd_quintile(None) == "unknown"
    assert st.imd_quintile(0) == "unknown"


def test_slope_index_two_groups() -> None:
    # Equal halves at ranks 0.25 and 0.75 with 0.2 and 0.4: slope 0.2/0.5 = 0.4, Y0 = 0.1,
    # RII = (0.1 + 0.4)/0.1 = 5.
    result = st.slope_index_of_inequality([(0.2, 50), (0.4, 50)])
    assert result is not None
    assert result.sii == pytest.approx(0.4)
    assert result.rii == pytest.approx(5.0)


def test_slope_index_five_quintiles_on_a_line() -> None:
    # Equal fifths at ranks 0.1 … 0.9 lying on y = 0.1 + 0.2 × rank: SII 0.2, RII 0.3/0.1 = 3.
    values = [0.12, 0.16, 0.20, 0.24, 0.28]
    result = st.slope_index_of_inequality([(v, 1000) for v in values])
    assert result is not None
    assert result.sii == pytest.approx(0.2)
    assert result.rii == pytest.approx(3.0)
    # Unequal populations move the ranks: a bigger first group pushes later ranks right.
    weighted = st.slope_index_of_inequality([(0.2, 300), (0.4, 100)])
    assert weighted is not None and weighted.sii == pytest.approx(0.4)  # ranks 0.375, 0.875
    assert st.slope_index_of_inequality([(0.2, 0), (0.4, 10)]) is None
