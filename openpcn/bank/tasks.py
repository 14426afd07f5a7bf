"""Background tasks for the bank: offers emailed to each pool when the request reaches it."""

from __future__ import annotations

from django_tasks import task


@task()
def offer_to_pool(request_id: int, pool: int) -> int:
    from openpcn.bank.actions import offer_to_pool as send

    return send(request_id, pool)
