"""Who answers to whom for an obligation, from the contracts and sub-contracts that carry it.

An obligation sits in a contract (clause c): its holder answers to its counterparty. Each
sub-contract that takes it on (in whole or in part) has its own holder (who delivers) answering to
the contractor above it, under the sub-contract's clause; sub-contracts may be sub-contracted again,
and several may share one obligation in parts. Delegating the work never moves the accountability:
if the work fails, each deliverer answers to the one above, and the original holder still answers
to the counterparty of the original contract.

Plain data in, plain data out (no Django), so the map and the breach view are tested by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ContractFacts:
    key: int
    title: str
    holder: str
    counterparty: str
    parent_key: int | None = None


@dataclass(frozen=True)
class DelegationFacts:
    subcontract: ContractFacts
    clause: str
    in_whole: bool = True
    part: str = ""


@dataclass(frozen=True)
class Link:
    """`party` answers to `answers_to` under `clause` of `contract`."""

    party: str
    answers_to: str
    contract: str
    clause: str
    delivers: str = ""  # "all of it", or which part; empty for the accountable holder

    def sentence(self) -> str:
        return f"{self.party} answers to {self.answers_to} under {self.clause} of {self.contract}"


@dataclass(frozen=True)
class Branch:
    """One route from the accountable holder down to whoever delivers (or the holder alone)."""

    links: tuple[Link, ...]  # from the original contract down to the deliverer

    @property
    def chain(self) -> list[str]:
        """The parties from the top: counterparty ← holder ← sub-contractor ← …"""
        return [self.links[0].answers_to, *(link.party for link in self.links)]

    @property
    def deliverer(self) -> str:
        return self.links[-1].party

    def breach(self, obligation: str) -> list[str]:
        """What happens if the obligation fails on this branch, deliverer first."""
        steps = []
        for link in reversed(self.links[1:]):
            steps.append(f"{link.sentence()}.")
        top = self.links[0]
        if len(self.links) > 1:
            steps.append(
                f"{top.party} remains accountable to {top.answers_to} for “{obligation}” under "
                f"{top.clause} of {top.contract}: sub-contracting the work does not pass on the "
                "accountability."
            )
        else:
            steps.append(f"{top.sentence()}; it delivers the obligation itself.")
        return steps


def branches(
    contract: ContractFacts, clause: str, delegations: Sequence[DelegationFacts]
) -> list[Branch]:
    """Every route the obligation takes, following sub-contracts down from `contract`."""
    top = Link(contract.holder, contract.counterparty, contract.title, clause)
    below: dict[int | None, list[DelegationFacts]] = {}
    for d in delegations:
        below.setdefault(d.subcontract.parent_key, []).append(d)
    routes: list[Branch] = []

    def walk(key: int, links: tuple[Link, ...], seen: frozenset[int]) -> None:
        children = [d for d in below.get(key, []) if d.subcontract.key not in seen]
        if not children:
            routes.append(Branch(links))
            return
        for d in children:
            link = Link(
                d.subcontract.holder,
                d.subcontract.counterparty,
                d.subcontract.title,
                d.clause,
                "all of it" if d.in_whole else d.part,
            )
            walk(d.subcontract.key, (*links, link), seen | {d.subcontract.key})

    walk(contract.key, (top,), frozenset({contract.key}))
    return routes
