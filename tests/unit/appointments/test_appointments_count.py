"""Counting a Clinical Director vote: weights, quorum, ties, and the checks on the ballots."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openpcn.appointments.count import Ballot, count


def _count(
    ballots, electorate, voting="per_practice", basis="practices", percent=50, nominees=(1, 2)
):  # type: ignore[no-untyped-def]
    return count(
        ballots,
        nominees=nominees,
        electorate=electorate,
        voting=voting,
        quorum_basis=basis,
        quorum_percent=percent,
    )


def test_one_vote_per_practice_counts_practices_not_patients() -> None:
    electorate = {10: 20_000, 11: 3_000, 12: 4_000}
    tally = _count([Ballot(10, 1), Ballot(11, 2), Ballot(12, 2)], electorate)
    assert tally.totals == {1: 1, 2: 2}
    assert tally.winner == 2


def test_weighted_by_list_size_the_large_practice_outweighs_two_small_ones() -> None:
    electorate = {10: 20_000, 11: 3_000, 12: 4_000}
    tally = _count([Ballot(10, 1), Ballot(11, 2), Ballot(12, 2)], electorate, voting="list_size")
    assert tally.totals == {1: 20_000, 2: 7_000}
    assert tally.winner == 1


def test_quorum_of_practices_is_a_share_of_member_practices_voting() -> None:
    electorate = {10: 20_000, 11: 3_000, 12: 4_000, 13: 1_000}
    two_of_four = _count([Ballot(10, 1), Ballot(11, 1)], electorate, percent=50)
    assert two_of_four.quorate and two_of_four.winner == 1
    one_of_four = _count([Ballot(10, 1)], electorate, percent=50)
    assert not one_of_four.quorate
    assert one_of_four.winner is None and not one_of_four.tied


def test_quorum_of_the_list_counts_patients_of_practices_voting() -> None:
    electorate = {10: 20_000, 11: 3_000, 12: 4_000, 13: 1_000}
    # One practice of four, but 20,000 of 28,000 patients (71%).
    tally = _count([Ballot(10, 2)], electorate, basis="list_size", percent=60)
    assert tally.quorate and tally.winner == 2
    assert not _count([Ballot(11, 2), Ballot(12, 2)], electorate, basis="list_size").quorate


def test_a_tie_is_reported_as_a_tie_with_no_winner() -> None:
    electorate = {10: 5_000, 11: 5_000}
    tally = _count([Ballot(10, 1), Ballot(11, 2)], electorate, voting="list_size")
    assert tally.tied
    assert tally.leaders == (1, 2)
    assert tally.winner is None


def test_a_practice_cannot_vote_twice_nor_from_outside_nor_for_someone_not_nominated() -> None:
    electorate = {10: 5_000, 11: 5_000}
    with pytest.raises(ValueError, match="twice"):
        _count([Ballot(10, 1), Ballot(10, 2)], electorate)
    with pytest.raises(ValueError, match="not a member practice"):
        _count([Ballot(99, 1)], electorate)
    with pytest.raises(ValueError, match="not nominated"):
        _count([Ballot(10, 7)], electorate)


electorates = st.dictionaries(
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=0, max_value=40_000),
    min_size=1,
    max_size=12,
)


@settings(deadline=None)  # the machine is shared; the property, not the speed, is under test
@given(
    electorate=electorates,
    choices=st.lists(st.integers(min_value=1, max_value=3), min_size=12, max_size=12),
    voted=st.lists(st.booleans(), min_size=12, max_size=12),
    percent=st.integers(min_value=1, max_value=100),
)
def test_weighted_totals_equal_the_list_sizes_of_the_practices_that_voted(  # type: ignore[no-untyped-def]
    electorate, choices, voted, percent
) -> None:
    practices = sorted(electorate)
    ballots = [Ballot(p, choices[i]) for i, p in enumerate(practices) if voted[i % len(voted)]]
    tally = _count(ballots, electorate, voting="list_size", percent=percent, nominees=(1, 2, 3))
    voters = {b.practice for b in ballots}
    assert sum(tally.totals.values()) == sum(electorate[p] for p in voters)
    assert tally.voting_list == sum(electorate[p] for p in voters)
    for nominee in (1, 2, 3):
        assert tally.totals[nominee] == sum(
            electorate[b.practice] for b in ballots if b.nominee == nominee
        )
    # A tie is never silently resolved: with several leaders there is no winner.
    best = max(tally.totals.values())
    leaders = [n for n, v in tally.totals.items() if v == best]
    if best > 0 and len(leaders) > 1:
        assert tally.winner is None and (tally.tied or not tally.quorate)
    if tally.winner is not None:
        assert tally.quorate and leaders == [tally.winner]
