"""Shared helpers for the directory's integration tests: the ORUK schemas from ../shared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/"


@pytest.fixture(scope="session")
def oruk_dir(shared_dir: Path) -> Path:
    path = shared_dir / "standards" / "openreferral-uk"
    if not path.is_dir():
        pytest.skip(f"the ORUK standard's files are not at {path}")
    return path


@pytest.fixture(scope="session")
def oruk_response(oruk_dir: Path):  # type: ignore[no-untyped-def]
    """`oruk_response("/services")`: a validator for that endpoint's response, as openapi.json
    defines it (the schemas served from the local copies under the URLs it refers to)."""
    registry = Registry().with_resources(
        (
            BASE + p.relative_to(oruk_dir).as_posix(),
            Resource.from_contents(json.loads(p.read_text()), default_specification=DRAFT202012),
        )
        for p in (oruk_dir / "schema").rglob("*.json")
    )

    def response_validator(path: str) -> Draft202012Validator:
        if path == "/service_at_locations/{id}":
            # openapi.json points this at service.json by mistake (README caveat 1).
            schema = json.loads((oruk_dir / "schema/compiled/service_at_location.json").read_text())
            return Draft202012Validator(schema, format_checker=FormatChecker())
        pointer = (
            "/paths/"
            + path.replace("~", "~0").replace("/", "~1")
            + "/get/responses/200/content/application~1json/schema"
        )
        return Draft202012Validator(
            {"$ref": BASE + "schema/openapi.json#" + pointer},
            registry=registry,
            format_checker=FormatChecker(),
        )

    return response_validator


def problems(validator: Draft202012Validator, body: object) -> list[str]:
    return [
        "/".join(map(str, e.absolute_path)) + ": " + e.message for e in validator.iter_errors(body)
    ]
