"""Load the whole demo: the registry, then the logins (later capabilities add their parts here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from openpcn.demo.bank import build_bank
from openpcn.demo.logins import DemoLogin, create_logins, existing_logins
from openpcn.demo.registry import build_registry
from openpcn.demo.rostering import build_demand, monday_of, publish_demo_rota
from openpcn.demo.workforce import build_workforce
from openpcn.organisations.models import Alliance

DEFAULT_SEED = 2026


@dataclass(frozen=True)
class DemoResult:
    created: bool
    logins: list[DemoLogin]


def demo_is_loaded() -> bool:
    return Alliance.objects.filter(is_synthetic=True).exists()


def load_demo(
    *,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str, int], None] | None = None,
    rota: bool = False,
) -> DemoResult:
    """Load the synthetic demo alliance once; loading again only returns the logins.

    With `rota`, the engine also plans and publishes a 4-week rota from this week's Monday (about
    a minute and a half); tests that do not need it leave it out.
    """
    if demo_is_loaded():
        return DemoResult(created=False, logins=existing_logins(seed=seed))
    with transaction.atomic():
        demo = build_registry(seed=seed, progress=progress)
        build_workforce(demo, seed=seed, progress=progress)
        build_demand(demo)
        build_bank(demo, seed=seed)
        logins = create_logins(demo, seed=seed)
    if rota:
        publish_demo_rota(demo, first_day=monday_of(dt.date.today()), progress=progress)
    return DemoResult(created=True, logins=logins)
