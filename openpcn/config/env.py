"""Read settings from environment variables, failing with a hint rather than a KeyError."""

from __future__ import annotations

import os
from pathlib import Path


class MissingEnvironmentVariable(Exception):
    pass


def get(name: str, default: str | None = None, *, hint: str = "") -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise MissingEnvironmentVariable(f"Set {name}. {hint}".strip())
    return value


def get_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def get_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def get_path(name: str, default: Path) -> Path:
    return Path(os.environ.get(name, str(default))).resolve()
