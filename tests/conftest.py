"""Suite-wide test set-up.

Tests under an `engine/` folder exercise the plain-Python engines: they are marked `engine` so the
PostgreSQL pass of scripts/test can skip them (they never touch the database).
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "engine" in Path(str(item.path)).parts:
            item.add_marker(pytest.mark.engine)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared reference folder (real NHS files, codelists, benchmarks)."""
    if not SHARED.is_dir():
        pytest.skip(f"../shared is not present at {SHARED}; CI always has it")
    return SHARED


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    # Real hashing costs ~0.3 s per user; tests check behaviour, not hashing strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    # Database ids are reused between tests, so a cached dashboard must not outlive its test.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def universe(db):  # type: ignore[no-untyped-def]
    """Two alliances, three PCNs, four practices and one user per role (tests/universe.py)."""
    from openpcn.workforce.reference import ensure_reference_data
    from tests.universe import build_universe

    ensure_reference_data()  # a test that committed for real may have emptied the tables
    return build_universe()
