"""Demo business plans: each PCN's 2026/27 plan, agreed, with objectives at every stage."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpcn.governance import plan_actions
from openpcn.governance.models import Progress
from openpcn.organisations.queries import clinical_director

PLAN_YEAR = 2026

# (objective, measure, due, progress for the PCNs in turn)
OBJECTIVES = [
    (
        "Every member practice offers online consultation through core hours",
        "Share of practices with online requests open 08:00 to 18:30",
        dt.date(2026, 10, 1),
        [Progress.ACHIEVED, Progress.ON_TRACK, Progress.AT_RISK],
    ),
    (
        "Fill the ARRS sum: recruit to the roles in the workforce plan",
        "ARRS claims as a share of the ARRS sum",
        dt.date(2027, 3, 31),
        [Progress.ON_TRACK, Progress.AT_RISK, Progress.OFF_TRACK],
    ),
    (
        "Hypertension case-finding in the most deprived fifth",
        "Blood pressure recorded in the last 5 years, IMD quintile 1",
        dt.date(2027, 3, 31),
        [Progress.ON_TRACK, Progress.NOT_STARTED, Progress.ON_TRACK],
    ),
    (
        "Enhanced Access rota filled every week",
        "Weeks with the Enhanced Access minutes met",
        dt.date(2027, 3, 31),
        [Progress.AT_RISK, Progress.ON_TRACK, Progress.ACHIEVED],
    ),
]


def build_plans(demo: Any) -> None:
    for index, network in enumerate(demo.networks):
        plan = plan_actions.create_business_plan(
            by=None,
            network=network,
            year=PLAN_YEAR,
            title=f"{network.name} business plan 2026/27",
            summary="Access, workforce and reducing inequalities, agreed by the member practices.",
        )
        director = clinical_director(network)
        for title, measure, due, progress in OBJECTIVES:
            objective = plan_actions.add_objective(
                by=None,
                plan=plan,
                title=title,
                owner=director.person if director else None,
                measure=measure,
                due_date=due,
            )
            plan_actions.report_progress(
                by=None,
                objective=objective,
                progress=progress[index % len(progress)],
                note="Reported at the PCN board",
                on=dt.date(2026, 11, 20),
            )
        plan_actions.agree_business_plan(by=None, plan=plan, on=dt.date(2026, 4, 15))
