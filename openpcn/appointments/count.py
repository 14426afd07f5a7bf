"""Counting a Clinical Director vote, with no database: the member practices' ballots, weighted as
the Network Agreement's Schedule 1 says, the quorum, and who leads. A tie is reported as a tie;
nothing here breaks it (the PCN decides how, by a new vote)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ONE_PER_PRACTICE = "per_practice"
LIST_SIZE = "list_size"
QUORUM_OF_PRACTICES = "practices"
QUORUM_OF_LIST = "list_size"


@dataclass(frozen=True)
class Ballot:
    practice: int
    nominee: int


@dataclass(frozen=True)
class Tally:
    totals: dict[int, int]  # nominee → votes (or patients, when weighted)
    voting_practices: int
    eligible_practices: int
    voting_list: int
    eligible_list: int
    quorate: bool
    leaders: tuple[int, ...]  # the nominees with the most votes (more than one: a tie)

    @property
    def tied(self) -> bool:
        return self.quorate and len(self.leaders) > 1

    @property
    def winner(self) -> int | None:
        return self.leaders[0] if self.quorate and len(self.leaders) == 1 else None

    @property
    def cast(self) -> int:
        return sum(self.totals.values())


def count(
    ballots: Iterable[Ballot],
    *,
    nominees: Iterable[int],
    electorate: Mapping[int, int],  # member practice → registered list at the vote's date
    voting: str,
    quorum_basis: str,
    quorum_percent: int,
) -> Tally:
    """Count the ballots of the electorate's practices, one each, for the given nominees."""
    if voting not in (ONE_PER_PRACTICE, LIST_SIZE):
        raise ValueError(f"Unknown voting method {voting!r}")
    if quorum_basis not in (QUORUM_OF_PRACTICES, QUORUM_OF_LIST):
        raise ValueError(f"Unknown quorum basis {quorum_basis!r}")
    totals = {nominee: 0 for nominee in nominees}
    seen: set[int] = set()
    for ballot in ballots:
        if ballot.practice not in electorate:
            raise ValueError(f"Practice {ballot.practice} is not a member practice in this vote")
        if ballot.practice in seen:
            raise ValueError(f"Practice {ballot.practice} has voted twice")
        if ballot.nominee not in totals:
            raise ValueError(f"Nominee {ballot.nominee} was not nominated")
        seen.add(ballot.practice)
        totals[ballot.nominee] += electorate[ballot.practice] if voting == LIST_SIZE else 1
    voting_list = sum(electorate[p] for p in seen)
    eligible_list = sum(electorate.values())
    if quorum_basis == QUORUM_OF_PRACTICES:
        part, whole = len(seen), len(electorate)
    else:
        part, whole = voting_list, eligible_list
    # Whole numbers only: part/whole ≥ percent/100, without rounding.
    quorate = whole > 0 and part > 0 and part * 100 >= quorum_percent * whole
    best = max(totals.values(), default=0)
    leaders = tuple(sorted(n for n, v in totals.items() if v == best)) if best > 0 else ()
    return Tally(
        totals=totals,
        voting_practices=len(seen),
        eligible_practices=len(electorate),
        voting_list=voting_list,
        eligible_list=eligible_list,
        quorate=quorate,
        leaders=leaders,
    )
