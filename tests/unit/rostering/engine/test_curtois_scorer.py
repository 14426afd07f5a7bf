"""The independent scorer against rosters scored by hand, rule by rule."""

from __future__ import annotations

import pytest
from rostering_tiny import tiny_instance

from openpcn.rostering.engine.curtois.scorer import score_roster

OFF = ""


def test_scorer_requests_and_cover_by_hand() -> None:
    instance = tiny_instance(
        staff="A,D=7,3360,0,5,1,1,1\nB,D=7,3360,0,5,1,1,1",
        shift_on="A,1,D,2",
        shift_off="A,2,D,3",
        cover="0,D,1,100,1\n1,D,2,100,1\n2,D,0,100,7",
    )
    roster = {
        "A": ["D", OFF, "D", OFF, OFF, OFF, OFF],
        "B": ["D", OFF, OFF, OFF, OFF, OFF, OFF],
    }
    score = score_roster(instance, roster)
    # A misses the day-1 request (2) and works the unwanted day 2 (3); day 0 is 1 over (1),
    # day 1 is 2 short (200), day 2 is 1 over at weight 7 (7).
    assert score.violations == ()
    assert (score.shift_on, score.shift_off, score.cover_under, score.cover_over) == (2, 3, 200, 8)
    assert score.objective == 213


@pytest.mark.parametrize(
    ("kwargs", "row", "words"),
    [
        ({"shifts": "D,480,N\nN,480,"}, ["D", "N", OFF, OFF, OFF, OFF, OFF], "may not follow"),
        ({"staff": "A,D=1,3360,0,5,1,1,1"}, ["D", "D", OFF, OFF, OFF, OFF, OFF], "maximum 1"),
        ({"staff": "A,D=7,3360,960,5,1,1,1"}, ["D", OFF, OFF, OFF, OFF, OFF, OFF], "minutes"),
        ({"staff": "A,D=7,900,0,5,1,1,1"}, ["D", "D", OFF, OFF, OFF, OFF, OFF], "minutes"),
        ({"staff": "A,D=7,3360,0,2,1,1,1"}, ["D", "D", "D", OFF, OFF, OFF, OFF], "maximum 2"),
        ({"staff": "A,D=7,3360,0,5,2,1,1"}, [OFF, "D", OFF, OFF, OFF, OFF, OFF], "minimum 2"),
        ({"staff": "A,D=7,3360,0,5,1,2,1"}, ["D", OFF, "D", OFF, OFF, OFF, OFF], "minimum 2"),
        ({"staff": "A,D=7,3360,0,5,1,1,0"}, [OFF, OFF, OFF, OFF, OFF, OFF, "D"], "weekends"),
        ({"days_off": "A,3"}, [OFF, OFF, OFF, "D", OFF, OFF, OFF], "day off"),
    ],
)
def test_scorer_finds_each_hard_rule(kwargs: dict[str, str], row: list[str], words: str) -> None:
    score = score_roster(tiny_instance(**kwargs), {"A": row})
    assert not score.feasible
    assert len(score.violations) == 1
    assert words in score.violations[0]


@pytest.mark.parametrize(
    "row",
    [
        ["D", OFF, OFF, OFF, OFF, OFF, OFF],  # a 1-day run on the first day
        [OFF, OFF, OFF, OFF, OFF, OFF, "D"],  # a 1-day run on the last day
        [OFF, "D", "D", OFF, OFF, OFF, OFF],  # 2 days: long enough
    ],
)
def test_scorer_min_runs_skip_the_edges(row: list[str]) -> None:
    instance = tiny_instance(staff="A,D=7,3360,0,5,2,1,1")
    assert score_roster(instance, {"A": row}).feasible


def test_scorer_days_off_runs_skip_the_edges() -> None:
    instance = tiny_instance(staff="A,D=7,3360,0,5,1,3,1")
    assert score_roster(instance, {"A": [OFF, "D", "D", "D", "D", OFF, OFF]}).feasible
    assert not score_roster(instance, {"A": ["D", OFF, OFF, "D", "D", OFF, OFF]}).feasible


def test_scorer_rejects_wrong_shape() -> None:
    score = score_roster(tiny_instance(), {"A": ["D", "Q"]})
    assert "7" in score.violations[0]
    assert any("unknown shift 'Q'" in v for v in score.violations)
