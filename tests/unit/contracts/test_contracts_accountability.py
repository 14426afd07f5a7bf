"""Who answers to whom for an obligation, on plain data, by hand."""

from __future__ import annotations

from openpcn.contracts.accountability import ContractFacts, DelegationFacts, branches

GMS = ContractFacts(1, "GMS contract", "The partners of Ashgrove", "NHS Synthetic ICB")
DELIVERY = ContractFacts(2, "Delivery sub-contract", "Alliance CIC", "The partners of Ashgrove", 1)
LOCUMS = ContractFacts(3, "Locum supply", "Locum Agency Ltd", "Alliance CIC", 2)
PHARMACY = ContractFacts(4, "Pharmacy services", "Pharmacy Co", "The partners of Ashgrove", 1)


def test_an_obligation_the_holder_delivers_itself() -> None:
    [route] = branches(GMS, "Clause 7.2", [])
    assert route.chain == ["NHS Synthetic ICB", "The partners of Ashgrove"]
    assert route.breach("Essential services") == [
        "The partners of Ashgrove answers to NHS Synthetic ICB under Clause 7.2 of GMS contract; "
        "it delivers the obligation itself."
    ]


def test_a_subcontracted_obligation_keeps_the_holder_accountable() -> None:
    [route] = branches(GMS, "Clause 7.2", [DelegationFacts(DELIVERY, "Clause 4.1")])
    assert route.chain == ["NHS Synthetic ICB", "The partners of Ashgrove", "Alliance CIC"]
    assert route.deliverer == "Alliance CIC"
    steps = route.breach("Essential services")
    assert steps[0] == (
        "Alliance CIC answers to The partners of Ashgrove under Clause 4.1 of Delivery sub-contract."
    )
    assert steps[1].startswith(
        "The partners of Ashgrove remains accountable to NHS Synthetic ICB for “Essential services” "
        "under Clause 7.2 of GMS contract"
    )


def test_nested_and_part_delegations_each_make_a_route() -> None:
    routes = branches(
        GMS,
        "Clause 7.2",
        [
            DelegationFacts(DELIVERY, "Clause 4.1"),
            DelegationFacts(LOCUMS, "Schedule 1", in_whole=False, part="GP sessions"),
            DelegationFacts(PHARMACY, "Clause 2", in_whole=False, part="medication reviews"),
        ],
    )
    chains = sorted(r.chain for r in routes)
    assert chains == [
        ["NHS Synthetic ICB", "The partners of Ashgrove", "Alliance CIC", "Locum Agency Ltd"],
        ["NHS Synthetic ICB", "The partners of Ashgrove", "Pharmacy Co"],
    ]
    nested = next(r for r in routes if r.deliverer == "Locum Agency Ltd")
    assert nested.links[-1].delivers == "GP sessions"
    assert [s.split(" answers to ")[0] for s in nested.breach("x")[:2]] == [
        "Locum Agency Ltd",
        "Alliance CIC",
    ]


def test_a_cycle_of_subcontracts_does_not_loop() -> None:
    looping = ContractFacts(1, "Loop", "A", "B", 2)
    back = ContractFacts(2, "Back", "B", "A", 1)
    routes = branches(looping, "c", [DelegationFacts(back, "d"), DelegationFacts(looping, "e")])
    assert len(routes) == 1
