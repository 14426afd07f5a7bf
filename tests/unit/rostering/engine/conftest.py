"""Fixtures for the rostering engine tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def curtois_dir(shared_dir: Path) -> Path:
    return shared_dir / "benchmarks" / "curtois"
