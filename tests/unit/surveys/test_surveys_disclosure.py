import random

import pytest

from openpcn.surveys import disclosure


@pytest.mark.parametrize(
    ("count", "rounded"),
    [(0, 0), (1, 0), (2, 0), (3, 5), (5, 5), (7, 5), (8, 10), (12, 10), (13, 15)],
)
def test_counts_round_to_the_nearest_five(count: int, rounded: int) -> None:
    assert disclosure.round_count(count) == rounded


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        disclosure.round_count(-1)


def test_groups_below_five_respondents_are_withheld() -> None:
    assert not disclosure.shown(4)
    assert disclosure.shown(5)


def test_percentages_come_from_rounded_counts() -> None:
    tallies = disclosure.tallies([("Agree", 7), ("Disagree", 3)])
    assert [(t.count, t.percent) for t in tallies] == [(5, 50), (5, 50)]


def test_percentages_of_nothing_are_none() -> None:
    assert disclosure.tallies([("Agree", 1)])[0].percent is None


def test_mean_needs_five_respondents() -> None:
    assert disclosure.mean([5, 4, 4, 3], 4) is None
    assert disclosure.mean([5, 4, 4, 3, 4], 5) == 4.0


def test_free_text_is_hidden_below_five_and_shuffled_above() -> None:
    texts = [f"comment {i}" for i in range(10)]
    assert disclosure.free_text(texts[:4], 4) == []
    shuffled = disclosure.free_text([*texts, "  "], 10, rng=random.Random(1))
    assert sorted(shuffled) == sorted(texts)
    assert shuffled != texts
