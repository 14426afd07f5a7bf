"""Every role × permission pair, in the organisation the role is held in, above and outside it."""

import pytest

from openpcn.accounts.permissions import Permission
from openpcn.accounts.roles import ROLES
from openpcn.accounts.scope import has_permission
from tests.universe import ROLE_HOME

PAIRS = [(role, permission) for role in ROLES for permission in Permission]


@pytest.mark.parametrize(("role", "permission"), PAIRS, ids=[f"{r}-{p}" for r, p in PAIRS])
def test_permission_role_pair_in_home_organisation(universe, role, permission):
    user = universe.users[role]
    home = universe.orgs[ROLE_HOME[role]]
    expected = permission in ROLES[role].permissions
    assert has_permission(user, permission, organisation=home) is expected
    # The role reaches down to a practice it covers (every home covers practice p1)...
    assert has_permission(user, permission, organisation=universe.p1) is expected
    # ...and never into another alliance.
    assert has_permission(user, permission, organisation=universe.q1) is False
    assert has_permission(user, permission, organisation=universe.south) is False


def test_permission_pcn_role_covers_member_practices_not_other_pcns(universe):
    manager = universe.users["pcn_manager"]
    assert has_permission(manager, Permission.SITE_MANAGE, organisation=universe.p2)
    assert not has_permission(manager, Permission.SITE_MANAGE, organisation=universe.p3)
    assert not has_permission(manager, Permission.ORGANISATION_VIEW, organisation=universe.n2)
    assert not has_permission(manager, Permission.ORGANISATION_VIEW, organisation=universe.north)


def test_permission_practice_role_covers_only_its_practice(universe):
    manager = universe.users["practice_manager"]
    assert has_permission(manager, Permission.ORGANISATION_EDIT, organisation=universe.p1)
    assert not has_permission(manager, Permission.ORGANISATION_VIEW, organisation=universe.p2)
    assert not has_permission(manager, Permission.ORGANISATION_VIEW, organisation=universe.n1)


def test_permission_alliance_role_covers_places_networks_and_practices(universe):
    admin = universe.users["alliance_admin"]
    for key in ("north", "place", "n1", "n2", "p1", "p2", "p3"):
        assert has_permission(admin, Permission.ORGANISATION_EDIT, organisation=universe.orgs[key])


def test_permission_follows_practice_when_it_moves_pcn(universe):
    import datetime as dt

    from openpcn.organisations.actions import join_network

    manager = universe.users["pcn_manager"]
    join_network(by=None, practice=universe.p2, network=universe.n2, start_date=dt.date(2024, 4, 1))
    assert not has_permission(manager, Permission.ORGANISATION_VIEW, organisation=universe.p2)


def test_permission_ended_membership_grants_nothing(universe):
    import datetime as dt

    from openpcn.accounts.actions import end_membership

    user = universe.users["clinician"]
    end_membership(by=None, membership=user.memberships.get(), end_date=dt.date.today())
    assert not has_permission(user, Permission.ORGANISATION_VIEW, organisation=universe.p1)
