"""Background tasks: validating an extract and refreshing indicators never run in a web request."""

from __future__ import annotations

from django_tasks import task


@task()
def import_extract(extract_id: int) -> None:
    from openpcn.population.imports import run_import

    run_import(extract_id)


@task()
def refresh_indicators(refresh_id: int) -> None:
    from openpcn.population.refresh import run_refresh

    run_refresh(refresh_id)
