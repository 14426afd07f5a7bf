"""The demo's rota demand: weekly session templates for all 47 practices, Enhanced Access at the two
hubs, bank holidays, and (optionally) a published 4-week rota planned by the engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from openpcn.demo.registry import DemoRegistry
from openpcn.organisations.models import Site
from openpcn.rostering import actions
from openpcn.rostering.models import DemandException, EnhancedAccessHub
from openpcn.rostering.sessions import SessionKind
from openpcn.workforce.models import Skill

# Sessions a practice needs per weekday session, by registered list size.
PATIENTS_PER_GP_SESSION = 4_000
PATIENTS_PER_NURSE_SESSION = 8_000
PATIENTS_PER_HCA_SESSION = 12_000
BANK_HOLIDAYS = [
    (dt.date(2026, 12, 25), "Christmas Day"),
    (dt.date(2026, 12, 28), "Boxing Day (substitute day)"),
    (dt.date(2027, 1, 1), "New Year's Day"),
]


def build_demand(demo: DemoRegistry) -> None:
    skills = {s.code: s for s in Skill.objects.all()}
    for practice in demo.practices:
        site = Site.objects.get(organisation=practice, kind="main")
        size = demo.list_sizes[practice.pk]
        for weekday in range(5):
            for session in (SessionKind.AM, SessionKind.PM):
                wanted = [
                    ("gp", max(1, round(size / PATIENTS_PER_GP_SESSION))),
                    ("nurse", max(1, round(size / PATIENTS_PER_NURSE_SESSION))),
                ]
                if session == SessionKind.AM:
                    wanted.append(("hca", round(size / PATIENTS_PER_HCA_SESSION)))
                for code, count in wanted:
                    if count:
                        actions.set_demand(
                            by=None,
                            site=site,
                            weekday=weekday,
                            session=session,
                            skill=skills[code],
                            count=count,
                        )
    for network in demo.networks:
        # The PCN's ARRS clinicians work from its largest practice.
        members = [p for p in demo.practices if demo.network_of[p.pk] == network]
        largest = max(members, key=lambda p: demo.list_sizes[p.pk])
        site = Site.objects.get(organisation=largest, kind="main")
        for weekday in range(5):
            for session in (SessionKind.AM, SessionKind.PM):
                actions.set_demand(
                    by=None,
                    site=site,
                    weekday=weekday,
                    session=session,
                    skill=skills["pharmacist"],
                    count=1,
                )
            actions.set_demand(
                by=None,
                site=site,
                weekday=weekday,
                session=SessionKind.AM,
                skill=skills["advanced-practitioner"],
                count=1,
            )
    hubs = list(
        Site.objects.filter(kind="hub", organisation__alliance=demo.alliance).order_by("pk")
    )
    for number, network in enumerate(demo.networks):
        EnhancedAccessHub.objects.create(network=network, site=hubs[0 if number < 4 else 1])
        actions.generate_enhanced_access_demand(
            by=None,
            network=network,
            on=dt.date(2026, 1, 1),
            skills=[skills["gp"], skills["nurse"]],
        )
    for date, reason in BANK_HOLIDAYS:
        DemandException.objects.create(organisation=demo.alliance, date=date, reason=reason)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def publish_demo_rota(
    demo: DemoRegistry,
    *,
    first_day: dt.date,
    weeks: int = 4,
    seconds_per_network: int = 8,
    progress: Callable[[str, int], None] | None = None,
) -> None:
    """Plan and publish a rota for each PCN in turn (the planner's usual unit)."""
    from openpcn.rostering.planning import run_plan

    tick = progress or (lambda _label, _n: None)
    for network in demo.networks:
        plan = actions.create_plan(
            by=None,
            scope=network,
            first_day=first_day,
            weeks=weeks,
            time_limit_seconds=seconds_per_network,
            enqueue=False,
        )
        run_plan(plan.pk)
        plan.refresh_from_db()
        actions.publish_plan(by=None, plan=plan, override_reason=_override_if_needed(plan))
        tick("Rotas", 1)


def _override_if_needed(plan) -> str:  # type: ignore[no-untyped-def]
    from openpcn.rostering.checks import breaches

    return "Synthetic demo rota published as planned" if breaches(plan) else ""
