"""Background tasks (Django's task framework): rota planning never runs inside a web request."""

from __future__ import annotations

from django_tasks import task


@task()
def plan_rota(plan_id: int) -> None:
    from openpcn.rostering.planning import run_plan

    run_plan(plan_id)
