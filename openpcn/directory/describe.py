"""ORUK values in plain words for pages and the printed list ("Thursdays and Fridays, 10am to 6pm")."""

from __future__ import annotations

import datetime as dt
from typing import Any

DAY_NAMES = {
    "MO": "Mondays",
    "TU": "Tuesdays",
    "WE": "Wednesdays",
    "TH": "Thursdays",
    "FR": "Fridays",
    "SA": "Saturdays",
    "SU": "Sundays",
}
ORDINALS = {"1": "first", "2": "second", "3": "third", "4": "fourth", "-1": "last"}


def _time(text: str) -> str:
    moment = dt.time.fromisoformat(text)
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def schedule(item: dict[str, Any]) -> str:
    """One ORUK schedule as a sentence; its own description when it has no rule."""
    parts = []
    days = [d.strip() for d in item.get("byday", "").split(",") if d.strip()]
    order = list(DAY_NAMES)
    if len(days) >= 3 and all(d in order for d in days):
        positions = [order.index(d) for d in days]
        if positions == list(range(positions[0], positions[0] + len(days))):
            # Three or more days in a row read as a range ("Monday to Friday").
            days = []
            parts.append(
                f"{DAY_NAMES[order[positions[0]]][:-1]} to {DAY_NAMES[order[positions[-1]]][:-1]}"
            )
    if days:
        named = []
        for code in days:
            prefix, day = code[:-2], code[-2:]
            name = DAY_NAMES.get(day, code)
            if prefix and item.get("freq") == "MONTHLY":
                name = f"the {ORDINALS.get(prefix, prefix)} {name[:-1]} of the month"
            named.append(name)
        parts.append(_join(named))
    if item.get("freq") == "WEEKLY" and item.get("interval") not in (None, 1):
        parts.append(f"every {item['interval']} weeks")
    if item.get("opens_at") and item.get("closes_at"):
        parts.append(f"{_time(item['opens_at'])} to {_time(item['closes_at'])}")
    text = ", ".join(parts)
    return text or item.get("description", "")


def address(item: dict[str, Any]) -> str:
    return ", ".join(item[key] for key in ("address_1", "city", "postal_code") if item.get(key))


def cost(document: dict[str, Any]) -> str:
    options = document.get("cost_options", [])
    if options:
        out = []
        for option in options:
            amount = option.get("amount")
            text = f"£{amount:,.2f}".replace(".00", "") if amount is not None else ""
            words = " ".join(x for x in (text, option.get("amount_description", "")) if x)
            label = option.get("option")
            out.append(f"{label}: {words}" if label and words else label or words)
        return "; ".join(out)
    return document.get("fees", "")
