"""The cards this app puts on the Resources page (core.resources)."""

from __future__ import annotations

from typing import Any

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import has_permission
from openpcn.core.cards import Card


def recruits(user: Any) -> bool:
    """Manages or approves vacancies somewhere, or sits on a panel."""
    from openpcn.recruitment.models import PanelMember

    return (
        has_permission(user, Permission.RECRUITMENT_MANAGE)
        or has_permission(user, Permission.VACANCY_APPROVE)
        or PanelMember.objects.filter(user_id=user.pk).exists()
    )


CARDS: list[Card] = [
    Card(
        "Vacancies and recruitment",
        "recruitment:list",
        "Vacancies across the alliance: approval, the public jobs page, applications, blind "
        "shortlisting, interviews, offers and hires.",
        shown=recruits,
    ),
    Card(
        "Equality monitoring",
        "recruitment:equality",
        "Candidates' protected characteristics in aggregate, at each stage from application to "
        "appointment, with small groups withheld.",
        shown=lambda user: has_permission(user, Permission.EQUALITY_REPORT_VIEW),
    ),
]
