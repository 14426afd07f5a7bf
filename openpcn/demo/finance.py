"""Demo finance: what the finance pages need beyond the registry and workforce.

The registry records populations at 1 January 2025 and 2026, but the seeded rates are for 2023/24
and 2024/25, whose populations are taken at 1 January 2024; so each practice also gets a
1 January 2024 snapshot (its 2025 figures, 1.5% smaller), and each PCN a care home bed count, a
finance schedule and a year of payments to its practices (2024/25) in the ledger.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from openpcn.finance import actions as finance_actions
from openpcn.finance.entitlements import FinancialYear
from openpcn.finance.reference import ensure_reference_data
from openpcn.organisations import actions
from openpcn.organisations.models import PopulationSnapshot
from openpcn.organisations.queries import practices_of

FINANCE_SNAPSHOT_DATE = dt.date(2024, 1, 1)
_SHRINK = Decimal("0.985")
_CENT = Decimal("0.01")


def build_finance(demo: Any) -> None:
    ensure_reference_data()  # tests that commit for real empty the seeded tables
    for snapshot in PopulationSnapshot.objects.filter(
        practice__in=demo.practices, date=dt.date(2025, 1, 1)
    ).select_related("practice"):
        actions.record_population_snapshot(
            by=None,
            practice=snapshot.practice,
            date=FINANCE_SNAPSHOT_DATE,
            registered=int(snapshot.registered * _SHRINK),
            weighted=None
            if snapshot.weighted is None
            else (snapshot.weighted * _SHRINK).quantize(_CENT),
            adjusted=None
            if snapshot.adjusted is None
            else (snapshot.adjusted * _SHRINK).quantize(_CENT),
            source="synthetic demo (finance)",
        )
    for index, network in enumerate(demo.networks):
        for year in (2023, 2024):
            finance_actions.record_care_home_beds(
                by=None,
                network=network,
                year=year,
                beds=40 + 15 * (index % 4),
                source="synthetic demo",
            )
    build_distribution(demo)


DEMO_YEAR = FinancialYear(2024)


def build_distribution(demo: Any) -> int:
    """Each PCN's Schedule 4 from 1 April 2024, and its 2024/25 payments posted to the ledger.

    The PCNs differ as real ones do: most share Core and Capacity and Access by list, one by
    weighted population and one in equal shares; Enhanced Access is kept for the hubs; ARRS goes
    to each person's employer. Returns the number of months posted.
    """
    posted = 0
    for index, network in enumerate(demo.networks):
        members = sorted(practices_of(network, DEMO_YEAR.start), key=lambda p: p.name)
        if not members:
            continue
        share = ("registered", "registered", "weighted", "equal")[index % 4]
        finance_actions.agree_finance_schedule(
            by=None,
            network=network,
            valid_from=DEMO_YEAR.start,
            nominated_payee=members[0],
            agreed_on=dt.date(2024, 3, 15),
            rules={
                "core": share,
                "enhanced-access": "retained",
                "care-home-premium": "registered",
                "capacity-access": share,
                "arrs": "employer",
            },
            payment_day=15,
            holding_terms=f"{members[0].name} holds the PCN's income and pays it out by the 15th.",
            reference=f"{network.name} Network Agreement, Schedule 4 (synthetic)",
        )
        for month in DEMO_YEAR.months:
            finance_actions.post_payment_run(by=None, network=network, month=month)
            posted += 1
    return posted
