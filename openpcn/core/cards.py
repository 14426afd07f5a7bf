"""A card on a hub page: a capability's front door, shown to whoever may use it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class Card:
    title: str
    url_name: str
    description: str
    shown: Callable[[Any], bool]  # given the signed-in user

    @property
    def href(self) -> str:
        return reverse(self.url_name)
