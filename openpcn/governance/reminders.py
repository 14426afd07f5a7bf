"""What falls due across governance for one user, within their scope: contract notice deadlines,
renewals and ends, obligations, risk reviews, declarations of interest to renew, board actions,
and Clinical Directors' terms of office ending (with board seats waiting to be handed over).

One list feeds the "Due soon" page and the emailed digest (`send_digests`), so both say the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse

DEFAULT_HORIZON_DAYS = 60


@dataclass(frozen=True)
class Reminder:
    due: dt.date
    kind: str
    what: str
    href: str

    def overdue(self, today: dt.date) -> bool:
        return self.due < today


def reminders_for(
    user: Any, today: dt.date, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> list[Reminder]:
    """Everything in the user's scope due by today + horizon (or already overdue), soonest first."""
    from openpcn.appointments.queries import due_items as appointment_due_items
    from openpcn.boards.models import ActionItem, ActionStatus
    from openpcn.boards.queries import visible_boards, visible_declarations
    from openpcn.contracts.queries import reminders as contract_reminders
    from openpcn.governance.models import RiskStatus
    from openpcn.governance.queries import visible_risks
    from openpcn.policies.queries import reviews_due as policy_reviews_due

    until = today + dt.timedelta(days=horizon_days)
    found = [
        Reminder(
            r.due,
            "Contract",
            f"{r.what}: {r.contract.title}",
            reverse("contracts:detail", args=[r.contract.pk]),
        )
        for r in contract_reminders(user, today, horizon_days)
    ]
    for risk in visible_risks(user).filter(
        status=RiskStatus.OPEN, review_date__isnull=False, review_date__lte=until
    ):
        found.append(
            Reminder(
                risk.review_date,
                "Risk review",
                f"{risk.reference} {risk.title}",
                reverse("governance:risk", args=[risk.pk]),
            )
        )
    for declaration in (
        visible_declarations(user)
        .filter(valid_until__gte=today - dt.timedelta(days=365), valid_until__lte=until)
        .select_related("person")
    ):
        found.append(
            Reminder(
                declaration.valid_until,
                "Declaration to renew",
                f"{declaration.person}: {declaration.interest[:80]}",
                reverse("boards:declarations"),
            )
        )
    for action in ActionItem.objects.filter(
        meeting__board__in=visible_boards(user),
        status=ActionStatus.OPEN,
        due_date__lte=until,
    ).select_related("meeting", "owner"):
        found.append(
            Reminder(
                action.due_date,
                "Board action",
                f"{action.description}" + (f" ({action.owner})" if action.owner else ""),
                reverse("boards:meeting", args=[action.meeting_id]),
            )
        )
    for item in appointment_due_items(user, until):
        found.append(
            Reminder(
                item.due,
                item.kind,
                item.what,
                reverse("appointments:detail", args=[item.appointment.pk]),
            )
        )
    for version in policy_reviews_due(user, today, horizon_days):
        found.append(
            Reminder(
                version.review_date,
                "Policy review",
                f"{version.policy.title}, version {version.number} (owner {version.policy.owner})",
                reverse("policies:policy", args=[version.policy_id]),
            )
        )
    return sorted(found, key=lambda r: (r.due, r.kind, r.what))


def digest_text(reminders: list[Reminder], today: dt.date, base_url: str) -> str:
    lines = ["What falls due soon in your organisations, and anything overdue:", ""]
    for r in reminders:
        flag = " (overdue)" if r.overdue(today) else ""
        lines.append(f"{r.due:%d %b %Y}{flag}  {r.kind}: {r.what}\n    {base_url}{r.href}")
    return "\n".join(lines)


def send_digests(today: dt.date, horizon_days: int = 30, *, dry_run: bool = False) -> int:
    """Email each active user with an address their own digest; returns how many were sent."""
    from openpcn.accounts.models import User

    base_url = settings.SITE_URL.rstrip("/")
    messages = []
    for user in User.objects.filter(is_active=True).exclude(email="").order_by("pk"):
        due = reminders_for(user, today, horizon_days)
        if not due:
            continue
        subject = f"OpenPCN: {len(due)} governance item{'s' if len(due) != 1 else ''} due"
        messages.append(
            (subject, digest_text(due, today, base_url), settings.DEFAULT_FROM_EMAIL, [user.email])
        )
    if dry_run:
        return len(messages)
    return send_mass_mail(messages, fail_silently=False)
