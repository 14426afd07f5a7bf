"""The answer to a losing claim, read in one query.

When a session is offered, many staff claim it at once and all but one lose. Their answer ("already
filled") is read with one hand-written query because building it with the ORM costs several times
the query itself (docs/benchmarks/bank-claims.md, docs/adr/0015).
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.utils import timezone

from openpcn.accounts.models import Membership, User
from openpcn.accounts.permissions import Permission
from openpcn.accounts.roles import ROLES
from openpcn.bank.models import ApiToken, Booking, CoverRequest, CoverStatus
from openpcn.organisations.models import Organisation
from openpcn.workforce.models import StaffMember

CLAIMING_ROLES = sorted(key for key, role in ROLES.items() if role.grants(Permission.BANK_CLAIM))

# The claimer, as a signed-in user or as the holder of a live API token.
BY_USER = f"SELECT u.id, u.person_id FROM {User._meta.db_table} u WHERE u.id = %s AND u.is_active"  # noqa: S608 - table names from the models
# The user `u` of a live API token (params: the token's hash, now); the API authenticates with it too.
TOKEN_USER = (
    f"FROM {User._meta.db_table} u JOIN {ApiToken._meta.db_table} t ON t.user_id = u.id "  # noqa: S608 - table names from the models
    "WHERE t.token_hash = %s AND t.revoked_at IS NULL AND t.expires_at > %s AND u.is_active"
)
BY_TOKEN = f"SELECT u.id, u.person_id {TOKEN_USER}"


def _sql(claimer: str) -> str:
    roles = ", ".join(["%s"] * len(CLAIMING_ROLES))
    return f"""
        WITH claimer AS ({claimer})
        SELECT 1 FROM claimer, {CoverRequest._meta.db_table} c
        JOIN {Organisation._meta.db_table} p ON p.id = c.practice_id
        WHERE c.id = %s AND c.status = %s
          AND EXISTS (
            SELECT 1 FROM {Membership._meta.db_table} m
            JOIN {Organisation._meta.db_table} o ON o.id = m.organisation_id
            WHERE m.user_id = claimer.id AND m.role IN ({roles})
              AND m.start_date <= %s AND (m.end_date IS NULL OR m.end_date > %s)
              AND (o.id = p.alliance_id OR o.alliance_id = p.alliance_id))
          AND NOT EXISTS (
            SELECT 1 FROM {Booking._meta.db_table} b
            JOIN {StaffMember._meta.db_table} s ON s.id = b.staff_id
            WHERE b.cover_request_id = c.id AND b.idempotency_key = %s
              AND s.person_id = claimer.person_id)
    """  # noqa: S608 - table names from the models; every value is a parameter


SQL_BY_USER, SQL_BY_TOKEN = _sql(BY_USER), _sql(BY_TOKEN)
STATEMENTS = {
    SQL_BY_USER: "openpcn_bank_filled_by_user",
    SQL_BY_TOKEN: "openpcn_bank_filled_by_token",
}


def _filled(sql: str, who: list[object], request_id: int, key: str, on: dt.date) -> bool:
    params = [*who, request_id, str(CoverStatus.FILLED), *CLAIMING_ROLES, on, on, key]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, params)
            return cursor.fetchone() is not None
        # Prepared once per connection: planning the query cost three times running it.
        name = STATEMENTS[sql]
        # Remembered on this thread's connection wrapper for the session it has open now: a new
        # session after a reconnect prepares again (and PREPARE outlives a rollback).
        session, done = getattr(connection, "_openpcn_prepared", (None, set[str]()))
        if session is not connection.connection:
            session, done = connection.connection, set()
            connection._openpcn_prepared = (session, done)  # type: ignore[attr-defined]
        if name not in done:
            numbered = iter(range(1, len(params) + 1))
            cursor.execute(
                f"PREPARE {name} AS " + re.sub("%s", lambda _: f"${next(numbered)}", sql)
            )
            done.add(name)
        cursor.execute(f"EXECUTE {name}({', '.join(['%s'] * len(params))})", params)
        return cursor.fetchone() is not None


def filled_by_someone_else(user: User, request_id: int, key: str, on: dt.date) -> bool:
    """The session is filled, not by this claim, and the user may claim in its alliance.

    False sends the claim down the full path, which gives every other answer (a retried winning
    claim gets its booking; someone outside the alliance gets "no such session").
    """
    return _filled(SQL_BY_USER, [user.pk], request_id, key, on)


# Waits while a claim in flight holds the session's row lock (FOR UPDATE blocks KEY SHARE); after the
# wait PostgreSQL re-reads the row, so no row means the session was filled (or is gone) meanwhile.
OPEN_AFTER_CLAIMS_IN_FLIGHT = (
    f"SELECT 1 FROM {CoverRequest._meta.db_table} WHERE id = %s AND status = %s FOR KEY SHARE"  # noqa: S608 - table name from the model
)


def _open_after_claims_in_flight(request_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(OPEN_AFTER_CLAIMS_IN_FLIGHT, [request_id, str(CoverStatus.OPEN)])
        return cursor.fetchone() is not None


def filled_for_token(token_hash: str, request_id: int, key: str, now: dt.datetime) -> bool:
    """As filled_by_someone_else, for the holder of a live API token (bank.middleware).

    If the session looks open, wait for any claim on it in flight: in a burst the others then get
    their answer here in two more queries instead of queueing through the full path for the lock.
    """
    who, on = [token_hash, now], timezone.localdate(now)
    if _filled(SQL_BY_TOKEN, who, request_id, key, on):
        return True
    if connection.vendor != "postgresql" or _open_after_claims_in_flight(request_id):
        return False
    return _filled(SQL_BY_TOKEN, who, request_id, key, on)
