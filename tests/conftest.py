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


@pytest.fixture
def verified_client(universe):  # type: ignore[no-untyped-def]
    """`verified_client("finance_officer")`: a fresh browser signed in through the sign-in and
    two-factor pages (admin roles must use two factors; for the others it does no harm)."""
    from django.test import Client
    from django.urls import reverse
    from django_otp.oath import totp

    from openpcn.accounts.actions import enrol_totp_device
    from tests.universe import PASSWORD

    def sign_in(role: str) -> Client:
        client = Client()
        user = universe.users[role]
        device = enrol_totp_device(
            by=None, user=user, key_hex="3132333435363738393031323334353637383930"
        )
        client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
        response = client.post(
            reverse("accounts:two_factor_verify"), {"token": f"{totp(device.bin_key):06d}"}
        )
        assert response.status_code == 302
        return client

    return sign_in
