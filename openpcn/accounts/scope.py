"""Who may do what, where: `has_permission` and the organisations a user's roles cover.

A role held in an alliance covers the alliance and every place, PCN and practice in it; a role
held in a place covers its PCNs and their current practices; a role held in a PCN covers its
current member practices; a role held in a practice covers that practice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress

from django.db.models import Q, QuerySet
from django.http import Http404

from openpcn.accounts.models import Membership, User
from openpcn.accounts.permissions import Permission
from openpcn.accounts.roles import ROLES
from openpcn.organisations.models import NetworkMembership, Organisation, OrganisationKind

# Within one web request the same user's scope is asked about many times (navigation, the page,
# its checks); ScopeMemoMiddleware gives request.user a memo so each answer is read once.
_MEMO = "_openpcn_scope_memo"


@contextmanager
def remembered_for_request(user: object) -> Iterator[None]:
    """Memoise the user's memberships and covered organisations until the block ends."""
    if not getattr(user, "is_authenticated", False):
        yield
        return
    setattr(user, _MEMO, {})
    try:
        yield
    finally:
        with suppress(AttributeError):
            delattr(user, _MEMO)


def remember_on(user: object) -> None:
    """Memoise on a user object that lives for one request only (an API token's user)."""
    setattr(user, _MEMO, {})


def _memo(user: object) -> dict[tuple[object, ...], object] | None:
    return getattr(user, _MEMO, None)


def active_memberships(user: User, on: dt.date | None = None) -> list[Membership]:
    on = on or dt.date.today()
    memo = _memo(user)
    key = ("memberships", on)
    if memo is not None and key in memo:
        return memo[key]  # type: ignore[return-value]
    memberships = list(
        Membership.objects.filter(user=user, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .select_related("organisation")
    )
    if memo is not None:
        memo[key] = memberships
    return memberships


def _covered_ids(organisations: Iterable[Organisation], on: dt.date) -> set[int]:
    ids: set[int] = set()
    network_ids: set[int] = set()
    for org in organisations:
        ids.add(org.pk)
        if org.kind == OrganisationKind.ALLIANCE:
            ids.update(Organisation.objects.filter(alliance=org).values_list("pk", flat=True))
        elif org.kind == OrganisationKind.PLACE:
            place_networks = set(
                Organisation.objects.filter(place=org).values_list("pk", flat=True)
            )
            ids.update(place_networks)
            network_ids.update(place_networks)
        elif org.kind == OrganisationKind.NETWORK:
            network_ids.add(org.pk)
    if network_ids:
        ids.update(
            NetworkMembership.objects.current_on(on)
            .filter(network_id__in=network_ids)
            .values_list("practice_id", flat=True)
        )
    return ids


def covered_organisation_ids(
    user: User, permission: Permission, *, on: dt.date | None = None
) -> set[int]:
    """Ids of every organisation where the user's roles grant `permission`."""
    if not user.is_authenticated or not user.is_active:
        return set()
    on = on or dt.date.today()
    memo = _memo(user)
    key = ("covered", permission, on)
    if memo is not None and key in memo:
        return set(memo[key])  # type: ignore[call-overload]
    granting = [
        m.organisation for m in active_memberships(user, on) if ROLES[m.role].grants(permission)
    ]
    covered = _covered_ids(granting, on)
    if memo is not None:
        memo[key] = frozenset(covered)
    return covered


def has_permission(
    user: User, permission: Permission, *, organisation: Organisation | None = None
) -> bool:
    """True when one of the user's roles grants `permission` in (or above) `organisation`.

    With no organisation, true when the user holds the permission anywhere.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if organisation is None:
        return any(ROLES[m.role].grants(permission) for m in active_memberships(user))
    return organisation.pk in covered_organisation_ids(user, permission)


def organisations_for(user: User, permission: Permission) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=covered_organisation_ids(user, permission))


def get_organisation_or_404(user: User, permission: Permission, **lookup: object) -> Organisation:
    """The organisation matching `lookup`, or a 404 when it is missing or outside the user's scope."""
    organisation = Organisation.objects.filter(**lookup).first()
    if organisation is None or not has_permission(user, permission, organisation=organisation):
        raise Http404("No such organisation")
    return organisation.as_kind()
