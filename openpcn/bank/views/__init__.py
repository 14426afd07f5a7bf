"""Bank pages: cover requests and timesheets, sessions to claim, the bank, payments and reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def when(start: dt.datetime, end: dt.datetime | None = None) -> str:
    """`Tue 1 Dec 2026, 09:00 to 13:00` in local time."""
    begins = timezone.localtime(start)
    text = f"{begins:%a} {begins.day} {begins:%b %Y}, {begins:%H:%M}"
    if end is not None:
        text += f" to {timezone.localtime(end):%H:%M}"
    return text


def clock(moment: dt.datetime | None) -> str:
    """`1 Dec 14:05` in local time, or a dash."""
    if moment is None:
        return "–"
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %H:%M}"


def money(value: Decimal | int | None) -> str:
    return "–" if value is None else f"£{value:,.2f}"


HELPERS = {"when": when, "clock": clock, "money": money}


def render_bank(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render a bank page with the helpers its templates use for times and money."""
    return render(request, template, {**HELPERS, **context}, status=status)
