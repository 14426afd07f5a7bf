"""Whether a board decision is carried: plain Python, no Django.

A decision needs a quorum: at least `quorum` voting members present. It is then carried by a
simple majority of the votes cast, for over against; abstentions are not votes cast, and a tie
is not carried (a chair's casting vote is recorded as a vote for or against, not modelled).
"""

from __future__ import annotations

from dataclasses import dataclass


class VoteError(ValueError):
    """The votes cannot be recorded as given; the message says why."""


@dataclass(frozen=True)
class Outcome:
    present_voting: int
    quorum: int
    votes_for: int
    votes_against: int
    abstentions: int

    @property
    def carried(self) -> bool:
        return self.votes_for > self.votes_against


def is_quorate(present_voting: int, quorum: int) -> bool:
    return present_voting >= quorum


def decide(
    *, present_voting: int, quorum: int, votes_for: int, votes_against: int, abstentions: int
) -> Outcome:
    """The outcome of a vote, or VoteError when there is no quorum or the numbers do not add up."""
    if quorum < 1:
        raise VoteError("A board's quorum is at least one voting member")
    if min(present_voting, votes_for, votes_against, abstentions) < 0:
        raise VoteError("Counts of members and votes cannot be negative")
    if not is_quorate(present_voting, quorum):
        raise VoteError(
            f"The meeting is not quorate: {present_voting} voting member"
            f"{'s' if present_voting != 1 else ''} present, and the quorum is {quorum}. "
            "No decision can be recorded without a quorum."
        )
    cast = votes_for + votes_against + abstentions
    if cast > present_voting:
        raise VoteError(
            f"{cast} votes and abstentions recorded, but only {present_voting} voting members "
            "are present"
        )
    return Outcome(present_voting, quorum, votes_for, votes_against, abstentions)
