from openpcn.accounts.permissions import Permission
from openpcn.accounts.roles import ROLES


def test_roles_cover_every_role_the_issue_names():
    assert set(ROLES) == {
        "alliance_admin",
        "alliance_analyst",
        "board_member",
        "pcn_manager",
        "clinical_director",
        "practice_manager",
        "finance_officer",
        "clinician",
    }


def test_roles_admin_roles_require_two_factor():
    assert {key for key, role in ROLES.items() if role.requires_two_factor} == {
        "alliance_admin",
        "finance_officer",
    }


def test_roles_only_admin_manages_users_and_reads_audit():
    for key, role in ROLES.items():
        expected = key == "alliance_admin"
        assert role.grants(Permission.USER_MEMBERSHIP_MANAGE) is expected
        assert role.grants(Permission.AUDIT_VIEW) is expected


def test_roles_every_role_can_view_organisations():
    assert all(role.grants(Permission.ORGANISATION_VIEW) for role in ROLES.values())
