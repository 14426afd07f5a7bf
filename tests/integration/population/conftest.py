"""A small synthetic extract for the test universe's North practices, and a private data folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from openpcn.population.engine import synthetic

AS_OF = synthetic.DEFAULT_AS_OF
NORTH_PRACTICES = (
    synthetic.PracticeSpec("P00001", "UN001", 1200),
    synthetic.PracticeSpec("P00002", "UN001", 900),
    synthetic.PracticeSpec("P00003", "UN002", 700),
)


@pytest.fixture(scope="session")
def _extract_tables():  # type: ignore[no-untyped-def]
    return synthetic.generate(2800, seed=7, as_of=AS_OF, practices=NORTH_PRACTICES)


@pytest.fixture
def extract_csv(tmp_path: Path, _extract_tables) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / "extract"
    synthetic.write(_extract_tables, folder, file_format="csv")
    (folder / "organisation_map.csv").unlink()
    return folder


@pytest.fixture(autouse=True)
def _private_data_dir(settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path / "data"


def upload_files(folder: Path) -> list[tuple[str, object]]:
    return [(path.name, path.open("rb")) for path in sorted(folder.iterdir())]


TODAY = dt.date.today()
