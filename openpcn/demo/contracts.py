"""Demo contracts: every practice's GMS contract, and one PCN run as a collaborative.

In the first PCN the practices keep their GMS contracts (the partners stay accountable to the
commissioner) but sub-contract delivery to the alliance's company, which employs the staff and
leases the Enhanced Access hub: the arrangement the accountability map is for.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from openpcn.contracts import actions
from openpcn.contracts.models import ContractKind, ObligationStatus, Tenure
from openpcn.organisations.models import Site

COMMISSIONER = "NHS Synthetic Integrated Care Board"
LANDLORD = "Riverdale Property Partnership (synthetic)"
COMPANY_SUFFIX = "Community Interest Company"
GMS_START = dt.date(2004, 4, 1)
SUBCONTRACT_START = dt.date(2024, 4, 1)

# (clause, obligation) in every GMS contract
GMS_OBLIGATIONS = [
    ("Clause 7.2", "Essential services to registered patients in core hours (08:00 to 18:30)"),
    ("Clause 17.4", "Data returns and the annual e-declaration to the commissioner"),
]


def build_contracts(demo: Any) -> None:
    company = f"{demo.alliance.name} {COMPANY_SUFFIX}"
    collaborative = {p.pk for p in demo.practices if demo.network_of[p.pk] == demo.networks[0]}
    for practice in demo.practices:
        partners = f"The partners of {practice.name}"
        gms = actions.record_contract(
            by=None,
            kind=ContractKind.GMS,
            title=f"GMS contract: {practice.name}",
            reference=f"GMS-{practice.ods_code}",
            holder=practice,
            holder_label=partners,
            counterparty_name=COMMISSIONER,
            start_date=GMS_START,
            notice_months=6,
        )
        obligations = [
            actions.add_obligation(
                by=None, contract=gms, clause=clause, description=text, recurrence="ongoing"
            )
            for clause, text in GMS_OBLIGATIONS
        ]
        if practice.pk not in collaborative:
            continue
        delivery = actions.record_contract(
            by=None,
            kind=ContractKind.SUBCONTRACT,
            title=f"Delivery sub-contract: {practice.name}",
            reference=f"SUB-{practice.ods_code}",
            holder=demo.alliance,
            holder_label=company,
            counterparty=practice,
            parent=gms,
            start_date=SUBCONTRACT_START,
            end_date=dt.date(2029, 3, 31),
            annual_value=Decimal("250000.00"),
            notice_months=12,
            notes="The company employs the practice's staff and provides its premises.",
        )
        actions.delegate_obligation(
            by=None, obligation=obligations[0], subcontract=delivery, clause="Clause 4.1"
        )
        actions.delegate_obligation(
            by=None,
            obligation=obligations[1],
            subcontract=delivery,
            clause="Schedule 2, paragraph 3",
            in_whole=False,
            part="preparing the data returns; the partners sign the e-declaration",
        )
    actions.record_contract(
        by=None,
        kind=ContractKind.HOSTING,
        title=f"Employment and hosting agreement: {demo.networks[0].name}",
        holder=demo.alliance,
        holder_label=company,
        counterparty=demo.networks[0],
        start_date=SUBCONTRACT_START,
        notice_months=6,
        notes="The company employs the PCN's ARRS staff and hosts them in the member practices.",
    )
    hub = Site.objects.filter(organisation=demo.networks[0], kind="hub").first()
    if hub is not None:
        lease = actions.record_contract(
            by=None,
            kind=ContractKind.LEASE,
            title=f"Lease: {hub.name}",
            holder=demo.alliance,
            holder_label=company,
            counterparty_name=LANDLORD,
            start_date=dt.date(2022, 10, 1),
            end_date=dt.date(2032, 9, 30),
            annual_value=Decimal("48000.00"),
            notice_months=6,
            site=hub,
        )
        lease_obligation = actions.add_obligation(
            by=None,
            contract=lease,
            clause="Clause 9",
            description="Keep the premises in repair and insured",
            recurrence="yearly",
        )
        actions.report_on_obligation(
            by=None,
            obligation=lease_obligation,
            status=ObligationStatus.AT_RISK,
            evidence="Roof survey overdue",
        )
        actions.record_premises(
            by=None,
            site=hub,
            tenure=Tenure.LEASED,
            lease=lease,
            annual_rent=Decimal("48000.00"),
            break_dates=[dt.date(2027, 9, 30)],
        )
    build_agreements(demo)


def build_agreements(demo: Any) -> None:
    """Each PCN's Network Agreement, signed by every partner; the first PCN has a second version
    (joining the collaborative) still awaiting its last two signatures."""
    from openpcn.contracts import agreement_actions
    from openpcn.contracts.agreements import agreement_view

    for index, network in enumerate(demo.networks):
        effective_from = _once_every_practice_has_a_partner(network)
        agreement = agreement_actions.draft_agreement(
            by=None,
            network=network,
            effective_from=effective_from,
            network_area=f"The registered populations of the member practices of {network.name}.",
            governance="The PCN board meets monthly; decisions by a majority of practices, one vote "
            "each; the Clinical Director is elected by the practices for three years.",
            local_terms="A practice joining or leaving bears its own costs; six months' notice.",
            activities="Enhanced Access from the hub; structured medication reviews; "
            "care home visits; the Capacity and Access improvement plan.",
            workforce="ARRS staff are employed by the alliance company and hosted by the practices.",
            external_arrangements="Community pharmacy and the community trust's neighbourhood team.",
        )
        for practice_signatories in agreement_view(agreement).signatories:
            for person in practice_signatories.partners:
                agreement_actions.record_signature(
                    by=None,
                    agreement=agreement,
                    person=person,
                    practice=practice_signatories.practice,
                    signed_on=effective_from - dt.timedelta(days=4),
                )
        if index == 0:
            second = agreement_actions.draft_agreement(
                by=None,
                network=network,
                effective_from=dt.date(2026, 10, 1),
                workforce="All staff, GPs included, are employed by the alliance company under the "
                "delivery sub-contracts; the practices keep their GMS contracts.",
            )
            outstanding = agreement_view(second).outstanding
            for practice, person in outstanding[:-2]:
                agreement_actions.record_signature(
                    by=None,
                    agreement=second,
                    person=person,
                    practice=practice,
                    signed_on=dt.date(2026, 9, 20),
                )


def _once_every_practice_has_a_partner(network: Any) -> dt.date:
    """The first of the month, from April 2024, by which each member practice has a partner to
    sign for it (the demo's partners join on different dates)."""
    from openpcn.organisations.models import RoleHolding, RoleTitle
    from openpcn.organisations.queries import practices_of

    firsts = [
        min(
            (
                h.start_date
                for h in RoleHolding.objects.filter(organisation=p, title=RoleTitle.GP_PARTNER)
            ),
            default=dt.date(2024, 4, 1),
        )
        for p in practices_of(network)
    ]
    day = max([dt.date(2024, 4, 1), *firsts])
    if day.day != 1:
        day = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return day
