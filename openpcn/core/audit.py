"""Recording audit events. Only actions call this; patient-level data is never passed in."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models
from django.forms.models import model_to_dict

from openpcn.core.models import AuditEvent

COMMAND_LINE = "command line"


def snapshot(obj: models.Model | None, *, exclude: tuple[str, ...] = ()) -> dict[str, Any] | None:
    """A JSON-safe copy of a model's fields, for the before/after of an audit event."""
    if obj is None:
        return None
    data = model_to_dict(obj, exclude=["password", *exclude])
    return {key: _json_safe(value) for key, value in data.items()}


def _json_safe(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return _json_safe(value.pk)
    if isinstance(value, list | tuple | set):
        return [_json_safe(v) for v in value]
    return value


def record(
    *,
    by: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_label: str | None = None,
    organisation: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    actor = by if by is not None and getattr(by, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor.get_username() if actor is not None else COMMAND_LINE,
        action=action,
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=(object_label or str(obj))[:255] if (object_label or obj) else "",
        organisation=organisation,
        before=before,
        after=after,
    )
