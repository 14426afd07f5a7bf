"""Demo finance: what the finance pages need beyond the registry and workforce.

The registry records populations at 1 January 2025 and 2026, but the seeded rates are for 2023/24
and 2024/25, whose populations are taken at 1 January 2024; so each practice also gets a
1 January 2024 snapshot (its 2025 figures, 1.5% smaller), and each PCN a care home bed count.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from openpcn.finance import actions as finance_actions
from openpcn.finance.reference import ensure_reference_data
from openpcn.organisations import actions
from openpcn.organisations.models import PopulationSnapshot

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
