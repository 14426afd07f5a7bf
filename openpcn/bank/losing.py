"""The answer to a losing claim, read in one query.

When a session is offered, many staff claim it at once and all but one lose. Their answer ("already
filled") is read with one hand-written query because building it with the ORM costs several times
the query itself (docs/benchmarks/bank-claims.md).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from openpcn.accounts.models import Membership, User
from openpcn.accounts.permissions import Permission
from openpcn.accounts.roles import ROLES
from openpcn.bank.models import Booking, CoverRequest, CoverStatus
from openpcn.organisations.models import Organisation
from openpcn.workforce.models import StaffMember

CLAIMING_ROLES = sorted(key for key, role in ROLES.items() if role.grants(Permission.BANK_CLAIM))


def _sql() -> str:
    roles = ", ".join(["%s"] * len(CLAIMING_ROLES))
    return f"""
        SELECT 1 FROM {CoverRequest._meta.db_table} c
        JOIN {Organisation._meta.db_table} p ON p.id = c.practice_id
        WHERE c.id = %s AND c.status = %s
          AND EXISTS (
            SELECT 1 FROM {Membership._meta.db_table} m
            JOIN {Organisation._meta.db_table} o ON o.id = m.organisation_id
            WHERE m.user_id = %s AND m.role IN ({roles})
              AND m.start_date <= %s AND (m.end_date IS NULL OR m.end_date > %s)
              AND (o.id = p.alliance_id OR o.alliance_id = p.alliance_id))
          AND NOT EXISTS (
            SELECT 1 FROM {Booking._meta.db_table} b
            JOIN {StaffMember._meta.db_table} s ON s.id = b.staff_id
            WHERE b.cover_request_id = c.id AND b.idempotency_key = %s AND s.person_id = %s)
    """  # noqa: S608 - table names from the models; every value is a parameter


def filled_by_someone_else(user: User, request_id: int, key: str, on: dt.date) -> bool:
    """The session is filled, not by this claim, and the user may claim in its alliance.

    False sends the claim down the full path, which gives every other answer (a retried winning
    claim gets its booking; someone outside the alliance gets "no such session").
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _sql(),
            [
                request_id,
                str(CoverStatus.FILLED),
                user.pk,
                *CLAIMING_ROLES,
                on,
                on,
                key,
                user.person_id,
            ],
        )
        return cursor.fetchone() is not None
