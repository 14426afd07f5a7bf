"""The Governance page: one menu item for the board, its risks, contracts and agreements, each
card shown to whoever holds the permission its pages need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import has_permission
from openpcn.governance.reminders import reminders_for


@dataclass(frozen=True)
class Card:
    title: str
    url_name: str
    description: str
    permission: Permission
    also: Permission | None = None  # a second permission that opens the page as well

    @property
    def href(self) -> str:
        return reverse(self.url_name)


CARDS = [
    Card(
        "The board",
        "organisations:board",
        "Who sits on the alliance board, and whom each member represents.",
        Permission.BOARD_VIEW,
    ),
    Card(
        "Boards and meetings",
        "boards:index",
        "Boards, their members and terms; meetings with agendas, papers, decisions and actions.",
        Permission.BOARD_VIEW,
    ),
    Card(
        "Declarations of interest",
        "boards:declarations",
        "The register of board members' interests, and which are due for renewal.",
        Permission.BOARD_VIEW,
    ),
    Card(
        "Risk register",
        "governance:register",
        "Risks scored on the NHS 5×5 matrix, their owners, controls and reviews, with a heat map.",
        Permission.RISK_VIEW,
    ),
    Card(
        "Business plans",
        "governance:plans",
        "Each PCN's plan for the year: objectives, owners and progress.",
        Permission.BOARD_VIEW,
    ),
    Card(
        "Contracts register",
        "contracts:register",
        "Contracts and sub-contracts, their terms, documents and obligations.",
        Permission.CONTRACT_VIEW,
    ),
    Card(
        "Accountability map",
        "contracts:map",
        "For each obligation, who answers to whom, and what happens if it fails.",
        Permission.CONTRACT_VIEW,
    ),
    Card(
        "Network Agreements",
        "contracts:agreements",
        "Each PCN's agreement: its schedules, members, Clinical Director, nominated payee and "
        "finance rules, versions and every partner's signature.",
        Permission.CONTRACT_VIEW,
    ),
    Card(
        "Premises",
        "contracts:premises",
        "Sites owned or leased: landlords, rent, lease ends and break dates.",
        Permission.CONTRACT_VIEW,
    ),
    Card(
        "PCN development",
        "development:index",
        "Maturity Matrix self-assessments compared across PCNs and places, workshops and "
        "conversations, findings and recommendations with place reports.",
        Permission.BOARD_VIEW,
    ),
    Card(
        "Confidential surveys",
        "surveys:list",
        "Surveys of Clinical Directors and staff whose answers no one can tie to a person; "
        "results only for groups of five or more, rounded.",
        Permission.SURVEY_RESULTS_VIEW,
        also=Permission.SURVEY_MANAGE,
    ),
    Card(
        "Clinical Director appointments",
        "appointments:index",
        "Nominations and the member practices' vote for each PCN's Clinical Director, counted as "
        "its Network Agreement says, with the result, the term of office and the board seat.",
        Permission.APPOINTMENT_MANAGE,
        also=Permission.APPOINTMENT_VOTE,
    ),
]

# Shown to anyone with another card: it lists only what their other cards' pages would show.
DUE_SOON = Card(
    "Due soon",
    "governance:due",
    "Notice deadlines, renewals, obligations, risk reviews, declarations to renew and board "
    "actions, across everything you can see.",
    Permission.BOARD_VIEW,
)


def governance_cards(user: Any) -> list[Card]:
    if not getattr(user, "is_authenticated", False):
        return []
    cards = [
        c
        for c in CARDS
        if has_permission(user, c.permission) or (c.also and has_permission(user, c.also))
    ]
    return [*cards, DUE_SOON] if cards else []


@login_required
def index(request: HttpRequest) -> HttpResponse:
    cards = governance_cards(request.user)
    if not cards:
        raise Http404("No governance pages for you")
    return render(request, "governance/index.jinja", {"cards": cards})


@login_required
def due(request: HttpRequest) -> HttpResponse:
    if not governance_cards(request.user):
        raise Http404("No governance pages for you")
    today = timezone.localdate()
    return render(
        request,
        "governance/due.jinja",
        {"reminders": reminders_for(request.user, today), "today": today},
    )
