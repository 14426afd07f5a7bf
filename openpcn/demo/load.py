"""Load the whole demo: the registry, then the logins (later capabilities add their parts here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from openpcn.demo.appointments import build_appointments
from openpcn.demo.bank import build_bank
from openpcn.demo.boards import build_boards
from openpcn.demo.contracts import build_contracts
from openpcn.demo.development import build_development
from openpcn.demo.directory import build_directory
from openpcn.demo.education import build_education
from openpcn.demo.finance import build_finance
from openpcn.demo.governance import build_governance
from openpcn.demo.logins import DemoLogin, create_logins, existing_logins
from openpcn.demo.plans import build_plans
from openpcn.demo.policies import build_policies
from openpcn.demo.population import DEFAULT_MONTHS, DemoPopulation, build_population
from openpcn.demo.recruitment import build_recruitment
from openpcn.demo.registry import build_registry
from openpcn.demo.rostering import build_demand, monday_of, publish_demo_rota
from openpcn.demo.surveys import build_surveys
from openpcn.demo.workforce import build_workforce
from openpcn.organisations.models import Alliance
from openpcn.population.models import IndicatorRefresh, JobStatus

DEFAULT_SEED = 2026


@dataclass(frozen=True)
class DemoResult:
    created: bool
    logins: list[DemoLogin]
    population: DemoPopulation | None = None


def demo_is_loaded() -> bool:
    return Alliance.objects.filter(is_synthetic=True).exists()


def load_demo(
    *,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str, int], None] | None = None,
    rota: bool = False,
    population_patients: int | None = 0,
    population_months: int = DEFAULT_MONTHS,
) -> DemoResult:
    """Load the synthetic demo alliance once; loading again only returns the logins.

    With `rota`, the engine also plans and publishes a 4-week rota from this week's Monday (about
    a minute and a half); tests that do not need it leave it out.

    Population data (demo.population: agreements, a synthetic extract, an indicator refresh with
    `population_months` of history): `population_patients=0`, the default, loads none; `None`
    loads one synthetic patient for each on the registry's lists (390,000, as `openpcn demo`
    does); a number loads that many, spread over the practices by list size. Asked of a demo
    loaded earlier without population data, it is added then.
    """
    if demo_is_loaded():
        added = None
        if population_patients != 0 and not _has_population():
            added = build_population(
                Alliance.objects.get(is_synthetic=True),
                patients=population_patients,
                months=population_months,
                seed=seed,
                progress=progress,
            )
        return DemoResult(created=False, logins=existing_logins(seed=seed), population=added)
    with transaction.atomic():
        demo = build_registry(seed=seed, progress=progress)
        build_workforce(demo, seed=seed, progress=progress)
        build_demand(demo)
        build_bank(demo, seed=seed)
        build_finance(demo)
        build_boards(demo)
        build_contracts(demo)
        build_plans(demo)
        build_governance(demo)
        build_development(demo)
        build_surveys(demo)
        build_policies(demo)
        build_education(demo)
        build_directory(demo)
        build_appointments(demo)
        logins = create_logins(demo, seed=seed)
        build_recruitment(demo, seed=seed)  # its panels are the demo's users
    if rota:
        publish_demo_rota(demo, first_day=monday_of(dt.date.today()), progress=progress)
    population = None
    if population_patients != 0:
        population = build_population(
            demo,
            patients=population_patients,
            months=population_months,
            seed=seed,
            progress=progress,
        )
    return DemoResult(created=True, logins=logins, population=population)


def _has_population() -> bool:
    return IndicatorRefresh.objects.filter(
        alliance__is_synthetic=True, status=JobStatus.DONE
    ).exists()
