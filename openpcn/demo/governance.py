"""Demo risk register: plausible synthetic risks across the alliance, its PCNs and practices.

The first PCN and its first practice are where the demo's PCN and practice logins sit, so each
login sees risks of its own; one practice risk is escalated to the alliance board, one risk has
been rescored since it was recorded, and one is closed. Review dates are relative to today, so
one review is always overdue.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpcn.governance import actions


def build_governance(demo: Any) -> None:
    today = dt.date.today()
    alliance = demo.alliance
    first_network, second_network, third_network = demo.networks[:3]
    practices = [p for p in demo.practices if demo.network_of[p.pk] == first_network]
    first_practice = practices[0]
    other_practice = next(p for p in demo.practices if demo.network_of[p.pk] == second_network)

    def record(organisation: Any, owner: Any, review_in_days: int, **risk: Any) -> Any:
        return actions.record_risk(
            by=None,
            organisation=organisation,
            owner=owner,
            review_date=today + dt.timedelta(days=review_in_days),
            **risk,
        )

    record(
        alliance,
        demo.chief_executive,
        60,
        title="Data protection: a breach through shared clinical system access",
        category="information",
        description="Staff working across practices hold access to several practices' records.",
        consequence=5,
        likelihood=2,
        target_consequence=5,
        target_likelihood=1,
        controls="Data sharing agreements; role-based access; annual Data Security and "
        "Protection Toolkit submission.",
        actions="Quarterly access audit across the hubs.",
    )
    record(
        alliance,
        demo.finance_lead,
        45,
        title="Enhanced Access hub capacity over winter",
        category="operational",
        consequence=3,
        likelihood=4,
        target_consequence=3,
        target_likelihood=2,
        controls="Staff bank offered to all practices' clinicians.",
        actions="Recruit two bank GPs for Saturday sessions.",
    )
    record(
        first_network,
        demo.clinical_directors[0],
        14,
        title="Workforce gap: first contact physiotherapist post unfilled",
        category="workforce",
        consequence=4,
        likelihood=4,
        target_consequence=4,
        target_likelihood=2,
        controls="Locum physiotherapy two days a week.",
        actions="Re-advertise with a rotational post shared with the community trust.",
    )
    arrs = record(
        second_network,
        demo.pcn_managers[second_network.pk],
        30,
        title="ARRS underspend: funding unclaimed by year end",
        category="financial",
        consequence=3,
        likelihood=4,
        target_consequence=3,
        target_likelihood=1,
        actions="Monthly claim review with the finance officer.",
    )
    actions.update_risk(
        by=None,
        risk=arrs,
        current_likelihood=3,
        controls="Two pharmacy technicians started; claims made monthly.",
    )
    lease = record(
        first_practice,
        demo.practice_managers[first_practice.pk],
        90,
        title="Premises lease break clause exercisable by the landlord",
        category="premises",
        consequence=4,
        likelihood=3,
        target_consequence=4,
        target_likelihood=1,
        actions="Negotiate a lease extension; ask the ICB about estates funding.",
    )
    actions.escalate_risk(
        by=None, risk=lease, note="Losing the building would move 9,000 patients' care."
    )
    record(
        other_practice,
        demo.practice_managers[other_practice.pk],
        -10,
        title="Fire risk assessment out of date",
        category="compliance",
        consequence=3,
        likelihood=2,
        target_consequence=3,
        target_likelihood=1,
        actions="Book the assessor; check extinguishers and alarms meanwhile.",
    )
    record(
        practices[1] if len(practices) > 1 else first_practice,
        None,
        120,
        title="One practice nurse trained in cervical screening",
        category="clinical",
        consequence=2,
        likelihood=3,
        target_consequence=2,
        target_likelihood=2,
        actions="Train a second nurse; share sessions with a neighbouring practice.",
    )
    record(
        third_network,
        demo.pcn_managers[third_network.pk],
        180,
        title="Telephony contract renewal",
        category="operational",
        consequence=2,
        likelihood=1,
        target_consequence=1,
        target_likelihood=1,
        controls="Contract runs to next spring; supplier on the framework.",
    )
    fridge = record(
        first_practice,
        demo.practice_managers[first_practice.pk],
        30,
        title="Vaccine fridge temperature excursions",
        category="clinical",
        consequence=3,
        likelihood=3,
        target_consequence=3,
        target_likelihood=1,
    )
    actions.close_risk(by=None, risk=fridge, note="Fridge replaced; data logger fitted.")
