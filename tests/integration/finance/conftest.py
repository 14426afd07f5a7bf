"""Finance reference data for every test, and a browser signed in with two-factor authentication."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _finance_reference(db):  # type: ignore[no-untyped-def]
    # A test that committed for real may have emptied the tables the migration seeded.
    from openpcn.finance.reference import ensure_reference_data
    from openpcn.workforce.reference import ensure_reference_data as ensure_roles

    ensure_roles()
    ensure_reference_data()
