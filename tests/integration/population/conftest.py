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


def upload_folder(alliance, folder: Path, *, by=None, file_format: str = "csv"):  # type: ignore[no-untyped-def]
    """Upload every file in `folder` as an extract and run the import task in-process."""
    from openpcn.population import actions, imports

    files = [(path.name, path.open("rb")) for path in sorted(folder.iterdir())]
    try:
        extract = actions.upload_extract(
            by=by, alliance=alliance, file_format=file_format, files=files, enqueue=False
        )
    finally:
        for _, handle in files:
            handle.close()
    imports.run_import(extract.pk)
    extract.refresh_from_db()
    return extract


def refresh_extract(extract, *, by=None, months: int = 1, as_of: dt.date = AS_OF):  # type: ignore[no-untyped-def]
    """Request a refresh of a loaded extract and run it in-process."""
    from openpcn.population import actions, refresh

    run = actions.request_refresh(by=by, extract=extract, as_of=as_of, months=months, enqueue=False)
    refresh.run_refresh(run.pk)
    run.refresh_from_db()
    return run


@pytest.fixture
def north_refresh(universe, extract_csv):  # type: ignore[no-untyped-def]
    """North's extract loaded and refreshed (3 months) with P1 sharing alliance-wide, P3 with its
    PCN only and P2 not sharing at all."""
    from openpcn.population import actions

    extract = upload_folder(universe.north, extract_csv)
    for key, scope in (("p1", "alliance"), ("p3", "pcn")):
        actions.record_agreement(
            by=None,
            practice=universe.orgs[key],
            scope=scope,
            signed_by_name="Dr A Partner",
            signed_by_role="Caldicott Guardian",
            signed_on=TODAY - dt.timedelta(days=30),
        )
    return refresh_extract(extract, months=3)
