"""Background tasks: an uploaded ORUK feed is checked and loaded by a worker, never in a request."""

from __future__ import annotations

from django_tasks import task


@task()
def import_uploaded_feed(upload_id: int) -> str:
    from openpcn.directory.actions import run_upload

    return run_upload(upload_id).status
