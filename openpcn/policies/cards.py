"""The cards this app puts on the Resources page (core.resources)."""

from __future__ import annotations

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import has_permission
from openpcn.core.cards import Card
from openpcn.policies import queries
from openpcn.workforce.queries import own_staff_record

CARDS: list[Card] = [
    Card(
        "Policies and protocols",
        "policies:index",
        "The alliance's standard policies and clinical protocols, written once for every "
        "practice: search them, read the version your practice runs.",
        shown=queries.can_read_library,
    ),
    Card(
        "Policies to acknowledge",
        "policies:mine",
        "The policies that apply to your role: read and acknowledge them.",
        shown=lambda user: own_staff_record(user) is not None,
    ),
    Card(
        "Policy compliance",
        "policies:compliance",
        "Which practices have adopted which policies, and who has acknowledged them, with an "
        "evidence pack for CQC inspection.",
        shown=lambda user: has_permission(user, Permission.POLICY_COMPLIANCE_VIEW),
    ),
]
