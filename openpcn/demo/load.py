"""Load the whole demo: the registry, then the logins (later capabilities add their parts here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from openpcn.demo.logins import DemoLogin, create_logins, existing_logins
from openpcn.demo.registry import build_registry
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
    *, seed: int = DEFAULT_SEED, progress: Callable[[str, int], None] | None = None
) -> DemoResult:
    """Load the synthetic demo alliance once; loading again only returns the logins."""
    if demo_is_loaded():
        return DemoResult(created=False, logins=existing_logins(seed=seed))
    with transaction.atomic():
        demo = build_registry(seed=seed, progress=progress)
        build_workforce(demo, seed=seed, progress=progress)
        logins = create_logins(demo, seed=seed)
    return DemoResult(created=True, logins=logins)
