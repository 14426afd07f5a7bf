"""Background tasks (Django's task framework): rota planning never runs inside a web request."""

from __future__ import annotations

from django_tasks import task


@task()
def plan_rota(plan_id: int) -> None:
    from openpcn.rostering.planning import run_plan

    run_plan(plan_id)


@task()
def notify_rota_published(plan_id: int) -> int:
    from openpcn.rostering.actions import notify_staff
    from openpcn.rostering.models import RotaPlan

    return notify_staff(RotaPlan.objects.get(pk=plan_id))
