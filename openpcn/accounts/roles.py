"""Roles a user can hold in an organisation, each listing the permissions it grants there.

A role held in an alliance covers the alliance's places, PCNs and practices; a role held in a
place covers its PCNs and their practices; a role held in a PCN covers its current member
practices (see accounts.scope).
"""

from __future__ import annotations

from dataclasses import dataclass

from openpcn.accounts.permissions import Permission as P


@dataclass(frozen=True)
class Role:
    key: str
    name: str
    description: str
    permissions: frozenset[P]
    # Admin roles must use two-factor authentication.
    requires_two_factor: bool = False

    def grants(self, permission: P) -> bool:
        return permission in self.permissions


_READ_REGISTRY = frozenset(
    {
        P.ORGANISATION_VIEW,
        P.POPULATION_VIEW,
        P.PEOPLE_VIEW,
        P.BOARD_VIEW,
        P.OWN_WORK_VIEW,
        P.LEAVE_REQUEST,
    }
)

ALLIANCE_ADMIN = Role(
    key="alliance_admin",
    name="Alliance admin",
    description="Runs the platform for the alliance: registry, memberships, users and the audit log.",
    permissions=frozenset(P),
    requires_two_factor=True,
)
ALLIANCE_ANALYST = Role(
    key="alliance_analyst",
    name="Alliance analyst",
    description="Loads data extracts and runs indicators; reads the registry.",
    permissions=_READ_REGISTRY | {P.POPULATION_IMPORT, P.ANALYTICS_VIEW, P.ANALYTICS_RUN},
)
BOARD_MEMBER = Role(
    key="board_member",
    name="Board member",
    description="Sits on the alliance board: reads the registry, board papers, finance and intelligence.",
    permissions=_READ_REGISTRY
    | {
        P.FINANCE_VIEW,
        P.ANALYTICS_VIEW,
        P.RISK_VIEW,
        P.CONTRACT_VIEW,
        P.SURVEY_RESULTS_VIEW,
        P.POLICY_COMPLIANCE_VIEW,
        P.EQUALITY_REPORT_VIEW,
    },
)
PCN_MANAGER = Role(
    key="pcn_manager",
    name="PCN manager",
    description="Manages a PCN: its sites, people, membership records, rotas and cover.",
    permissions=_READ_REGISTRY
    | {
        P.SITE_MANAGE,
        P.PEOPLE_MANAGE,
        P.NETWORK_MEMBERSHIP_MANAGE,
        P.BOARD_MANAGE,  # the PCN's own board; alliance boards stay with alliance roles
        P.ROTA_VIEW,
        P.ROTA_PLAN,
        P.ROTA_PUBLISH,
        P.COVER_REQUEST,
        P.FINANCE_VIEW,
        P.ANALYTICS_VIEW,
        P.WORKFORCE_VIEW,
        P.WORKFORCE_MANAGE,
        P.LEAVE_APPROVE,
        P.BANK_MANAGE,
        P.TIMESHEET_APPROVE,
        P.RISK_VIEW,
        P.RISK_MANAGE,
        P.CONTRACT_VIEW,
        P.CONTRACT_MANAGE,
        P.PLAN_MANAGE,
        P.SURVEY_MANAGE,
        P.SURVEY_RESULTS_VIEW,
        P.DEVELOPMENT_MANAGE,
        P.POLICY_MANAGE,
        P.POLICY_COMPLIANCE_VIEW,
        P.EVENT_MANAGE,
        P.DIRECTORY_MANAGE,
        P.RECRUITMENT_MANAGE,
        P.APPOINTMENT_MANAGE,
    },
)
CLINICAL_DIRECTOR = Role(
    key="clinical_director",
    name="Clinical Director",
    description="Leads a PCN clinically: population intelligence, rotas and finance in view.",
    permissions=_READ_REGISTRY
    | {
        P.ROTA_VIEW,
        P.FINANCE_VIEW,
        P.ANALYTICS_VIEW,
        P.WORKFORCE_VIEW,
        P.RISK_VIEW,
        P.RISK_MANAGE,
        P.CONTRACT_VIEW,
        P.PLAN_MANAGE,
        P.SURVEY_RESULTS_VIEW,
        P.DEVELOPMENT_MANAGE,
        P.POLICY_MANAGE,  # approves clinical protocols
        P.POLICY_COMPLIANCE_VIEW,
        P.EVENT_MANAGE,
        P.VACANCY_APPROVE,
    },
)
PRACTICE_MANAGER = Role(
    key="practice_manager",
    name="Practice manager",
    description="Manages a practice: its sites and people, cover requests and its own figures.",
    permissions=_READ_REGISTRY
    | {
        P.ORGANISATION_EDIT,
        P.SITE_MANAGE,
        P.PEOPLE_MANAGE,
        P.ROTA_VIEW,
        P.COVER_REQUEST,
        P.ANALYTICS_VIEW,
        P.WORKFORCE_VIEW,
        P.WORKFORCE_MANAGE,
        P.LEAVE_APPROVE,
        P.TIMESHEET_APPROVE,
        P.DATA_SHARING_MANAGE,
        P.WORKLIST_VIEW,
        P.RISK_VIEW,
        P.RISK_MANAGE,
        P.CONTRACT_VIEW,
        P.CONTRACT_MANAGE,
        P.POLICY_ADOPT,
        P.POLICY_COMPLIANCE_VIEW,
        P.EVENT_MANAGE,  # the practice's own clinical meetings
        P.DIRECTORY_MANAGE,
        P.RECRUITMENT_MANAGE,
        P.APPOINTMENT_VOTE,
    },
)
FINANCE_OFFICER = Role(
    key="finance_officer",
    name="Finance officer",
    description="Keeps funding rules, entitlements, claims and payments.",
    permissions=frozenset(
        {
            P.ORGANISATION_VIEW,
            P.POPULATION_VIEW,
            P.FINANCE_VIEW,
            P.FINANCE_MANAGE,
            P.OWN_WORK_VIEW,
            P.LEAVE_REQUEST,
            P.WORKFORCE_VIEW,
            P.RISK_VIEW,
            P.CONTRACT_VIEW,
        }
    ),
    requires_two_factor=True,
)
CLINICIAN = Role(
    key="clinician",
    name="Clinician or staff member",
    description="Works in the alliance's practices: sees the organisation and their own work.",
    permissions=frozenset(
        {
            P.ORGANISATION_VIEW,
            P.ROTA_VIEW,
            P.OWN_WORK_VIEW,
            P.LEAVE_REQUEST,
            P.BANK_CLAIM,
            P.WORKLIST_VIEW,
            # Clinicians contact patients; the practice manager works from pseudonymous ids.
            P.PATIENT_IDENTIFIERS_VIEW,
        }
    ),
)

ROLES: dict[str, Role] = {
    role.key: role
    for role in (
        ALLIANCE_ADMIN,
        ALLIANCE_ANALYST,
        BOARD_MEMBER,
        PCN_MANAGER,
        CLINICAL_DIRECTOR,
        PRACTICE_MANAGER,
        FINANCE_OFFICER,
        CLINICIAN,
    )
}

ROLE_CHOICES = [(role.key, role.name) for role in ROLES.values()]


def get_role(key: str) -> Role:
    return ROLES[key]
