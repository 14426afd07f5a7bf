"""The conflict matching and the vote rules, on hand-written cases (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from openpcn.boards.conflicts import Interest, Item, conflicts, parse_keywords, relates
from openpcn.boards.votes import VoteError, decide, is_quorate

DAY = dt.date(2026, 6, 1)


def interest(description: str = "", organisation: int | None = None, **extra) -> Interest:  # type: ignore[no-untyped-def]
    return Interest(
        declaration_id=extra.pop("pk", 1),
        person_id=extra.pop("person", 10),
        description=description,
        declared_on=extra.pop("declared_on", dt.date(2026, 1, 1)),
        valid_until=extra.pop("valid_until", dt.date(2026, 12, 31)),
        related_organisation_id=organisation,
    )


def test_boards_related_organisation_matches() -> None:
    item = Item(item_id=1, related_organisation_ids=frozenset({5, 6}))
    assert relates(interest("Partner", organisation=5), item)
    assert not relates(interest("Partner", organisation=7), item)
    assert not relates(interest("Partner"), item)


def test_boards_keywords_match_whole_words_in_any_case() -> None:
    item = Item(item_id=1, keywords=("Enhanced Access", "hub"))
    assert relates(interest("Director of the ENHANCED   access company"), item)
    assert relates(interest("Shareholder in Northway Hub Ltd"), item)
    assert not relates(interest("Known for hubris"), item)
    assert not relates(interest("Trustee of a hospice"), item)
    assert not relates(interest("Anything"), Item(item_id=2, keywords=("", " ")))


def test_boards_keywords_are_parsed_from_a_list() -> None:
    assert parse_keywords("hub, Enhanced  Access;\nHUB,, ") == ("hub", "Enhanced Access")
    assert parse_keywords("") == ()


def test_boards_only_current_interests_flag_items() -> None:
    item = Item(item_id=1, related_organisation_ids=frozenset({5}))
    other = Item(item_id=2, keywords=("pharmacy",))
    current = interest(organisation=5, pk=1)
    expired = interest(organisation=5, pk=2, valid_until=DAY - dt.timedelta(days=1))
    future = interest(organisation=5, pk=3, declared_on=DAY + dt.timedelta(days=1))
    last_day = interest("Owns a pharmacy", pk=4, valid_until=DAY)
    found = conflicts([item, other], [current, expired, future, last_day], on=DAY)
    assert found == {1: [current], 2: [last_day]}
    assert conflicts([item], [expired], on=DAY) == {}


def test_boards_quorum_and_majority() -> None:
    assert is_quorate(3, 3) and not is_quorate(2, 3)
    carried = decide(present_voting=3, quorum=3, votes_for=2, votes_against=1, abstentions=0)
    assert carried.carried
    tie = decide(present_voting=5, quorum=3, votes_for=2, votes_against=2, abstentions=1)
    assert not tie.carried
    abstaining = decide(present_voting=4, quorum=3, votes_for=1, votes_against=0, abstentions=3)
    assert abstaining.carried


def test_boards_votes_refused_without_quorum_or_when_they_do_not_add_up() -> None:
    with pytest.raises(
        VoteError, match="not quorate: 2 voting members present, and the quorum is 3"
    ):
        decide(present_voting=2, quorum=3, votes_for=2, votes_against=0, abstentions=0)
    with pytest.raises(VoteError, match="only 3 voting members"):
        decide(present_voting=3, quorum=2, votes_for=3, votes_against=1, abstentions=0)
    with pytest.raises(VoteError, match="negative"):
        decide(present_voting=3, quorum=2, votes_for=-1, votes_against=0, abstentions=0)
