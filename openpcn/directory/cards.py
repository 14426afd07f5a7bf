"""The cards this app puts on the Resources page (core.resources)."""

from __future__ import annotations

from openpcn.core.cards import Card

CARDS: list[Card] = []
