"""The Resources page: one menu item for what the alliance does once for everyone (shared
policies, education and CPD, the directory of local services, recruitment), each app's cards
(its `cards.py`) shown to whoever may use them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from openpcn.core.cards import Card
from openpcn.directory.cards import CARDS as DIRECTORY
from openpcn.education.cards import CARDS as EDUCATION
from openpcn.policies.cards import CARDS as POLICIES
from openpcn.recruitment.cards import CARDS as RECRUITMENT

CARDS: list[Card] = [*POLICIES, *EDUCATION, *DIRECTORY, *RECRUITMENT]


def resource_cards(user: Any) -> list[Card]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [card for card in CARDS if card.shown(user)]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    cards = resource_cards(request.user)
    if not cards:
        raise Http404("No resources for you")
    return render(request, "core/resources.jinja", {"cards": cards})
