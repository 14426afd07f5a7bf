"""Everything a user can be allowed to do. Roles (roles.py) grant these within an organisation."""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    ORGANISATION_VIEW = "organisation_view"
    ORGANISATION_EDIT = "organisation_edit"
    NETWORK_MEMBERSHIP_MANAGE = "network_membership_manage"
    SITE_MANAGE = "site_manage"
    POPULATION_VIEW = "population_view"
    POPULATION_IMPORT = "population_import"
    PEOPLE_VIEW = "people_view"
    PEOPLE_MANAGE = "people_manage"
    BOARD_VIEW = "board_view"
    BOARD_MANAGE = "board_manage"
    USER_MEMBERSHIP_MANAGE = "user_membership_manage"
    AUDIT_VIEW = "audit_view"
    FINANCE_VIEW = "finance_view"
    FINANCE_MANAGE = "finance_manage"
    ROTA_VIEW = "rota_view"
    ROTA_PLAN = "rota_plan"
    COVER_REQUEST = "cover_request"
    ANALYTICS_VIEW = "analytics_view"
    ANALYTICS_RUN = "analytics_run"
    OWN_WORK_VIEW = "own_work_view"
    WORKFORCE_VIEW = "workforce_view"
    WORKFORCE_MANAGE = "workforce_manage"
    LEAVE_REQUEST = "leave_request"
    LEAVE_APPROVE = "leave_approve"
    ROTA_PUBLISH = "rota_publish"
    BANK_CLAIM = "bank_claim"
    BANK_MANAGE = "bank_manage"
    TIMESHEET_APPROVE = "timesheet_approve"
    DATA_SHARING_MANAGE = "data_sharing_manage"
    # Patient-level worklists: granted only through a role held in the practice itself.
    WORKLIST_VIEW = "worklist_view"
    # NHS numbers on those worklists (when the extract gives them): likewise practice-held only.
    PATIENT_IDENTIFIERS_VIEW = "patient_identifiers_view"
    CONTRACT_VIEW = "contract_view"
    CONTRACT_MANAGE = "contract_manage"
    PLAN_MANAGE = "plan_manage"
    RISK_VIEW = "risk_view"
    RISK_MANAGE = "risk_manage"
    SURVEY_MANAGE = "survey_manage"
    # Survey results, always through disclosure control (surveys.disclosure).
    SURVEY_RESULTS_VIEW = "survey_results_view"
    # Maturity self-assessments, development sessions, findings and recommendations.
    DEVELOPMENT_MANAGE = "development_manage"
    # Write, approve and publish policies and protocols in an organisation (the alliance's standard).
    POLICY_MANAGE = "policy_manage"
    # Adopt a published policy for a practice, as is or with a recorded local variation.
    POLICY_ADOPT = "policy_adopt"
    # Who has acknowledged which policies: by practice, role and person.
    POLICY_COMPLIANCE_VIEW = "policy_compliance_view"
    # Education events: create, take the register, read attendance and feedback.
    EVENT_MANAGE = "event_manage"
    # The directory of local services (Open Referral UK): import, edit, review.
    DIRECTORY_MANAGE = "directory_manage"
    # Vacancies, applications, panels and offers.
    RECRUITMENT_MANAGE = "recruitment_manage"
    # Approve a vacancy before it opens.
    VACANCY_APPROVE = "vacancy_approve"
    # Candidates' equality monitoring, only ever in aggregate and through disclosure control.
    EQUALITY_REPORT_VIEW = "equality_report_view"
    # Run a Clinical Director appointment: nominations, the vote, the result.
    APPOINTMENT_MANAGE = "appointment_manage"
    # Cast a member practice's vote in a Clinical Director appointment.
    APPOINTMENT_VOTE = "appointment_vote"
