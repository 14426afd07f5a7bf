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


@pytest.fixture
def problems_of():  # type: ignore[no-untyped-def]
    """`problems_of(validator, body)`: each schema error as 'json/path: message'."""

    def check(validator: Draft202012Validator, body: object) -> list[str]:
        return [
            "/".join(map(str, e.absolute_path)) + ": " + e.message
            for e in validator.iter_errors(body)
        ]

    return check


def _id(*parts: object) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, "test/" + "/".join(map(str, parts))))


# Two venues 5.3 km apart on the same latitude (0.08 degrees of longitude at 53.7°N).
VENUES = {"Brookside Hall": (53.70, -2.80, "ZZ1 1AA"), "Millbeck Hall": (53.70, -2.72, "ZZ1 1BB")}


@pytest.fixture
def small_feed():  # type: ignore[no-untyped-def]
    """`small_feed(n)`: an ORUK bundle with a needs taxonomy and n services at two venues."""

    def build(n: int = 3) -> dict:
        taxonomy = _id("taxonomy")
        food, bank, walk = _id("food"), _id("food bank"), _id("walking")
        terms = [
            {"id": food, "name": "Food", "description": "Food", "taxonomy_id": taxonomy},
            {
                "id": bank,
                "name": "Food bank",
                "description": "Food parcels",
                "parent_id": food,
                "taxonomy_id": taxonomy,
            },
            {"id": walk, "name": "Walking group", "description": "Walks", "taxonomy_id": taxonomy},
        ]
        venues = list(VENUES.items())
        services = []
        for i in range(n):
            venue, (lat, lon, postcode) = venues[i % 2]
            term = {"id": bank, "name": "Food bank", "description": "Food parcels"}
            if i % 2:
                term = {"id": walk, "name": "Walking group", "description": "Walks"}
            services.append(
                {
                    "id": _id("service", i),
                    "name": f"{'Food bank' if i % 2 == 0 else 'Health walk'} {i:02d}",
                    "description": "Parcels of food" if i % 2 == 0 else "A gentle walk",
                    "status": "active",
                    "organization": {
                        "id": _id("org"),
                        "name": "Riverdale Community Trust",
                        "description": "A charity",
                    },
                    "schedules": [
                        {
                            "id": _id("schedule", i),
                            "freq": "WEEKLY",
                            "byday": "TU" if i % 2 == 0 else "SA",
                            "opens_at": "10:00:00",
                            "closes_at": "12:00:00",
                        }
                    ],
                    "service_at_locations": [
                        {
                            "id": _id("sal", i),
                            "location": {
                                "id": _id("location", venue),
                                "location_type": "physical",
                                "name": venue,
                                "latitude": lat,
                                "longitude": lon,
                                "addresses": [
                                    {
                                        "id": _id("address", venue),
                                        "address_1": "1 High Street",
                                        "city": "Riverdale",
                                        "state_province": "Riverdale",
                                        "postal_code": postcode,
                                        "country": "GB",
                                        "address_type": "physical",
                                    }
                                ],
                            },
                        }
                    ],
                    "attributes": [{"id": _id("attribute", i), "taxonomy_term": term}],
                }
            )
        return {
            "taxonomies": [{"id": taxonomy, "name": "Needs", "description": "Needs"}],
            "taxonomy_terms": terms,
            "services": services,
        }

    return build


@pytest.fixture
def load_small(universe, small_feed):  # type: ignore[no-untyped-def]
    """Import `small_feed(n)` into North's directory, with the two venues' postcodes."""
    import json as _json

    from openpcn.directory.actions import import_feed, load_postcodes

    def load(n: int = 3) -> dict:
        bundle = small_feed(n)
        import_feed(
            by=None, alliance=universe.north, name="small.json", content=_json.dumps(bundle)
        )
        rows = "".join(f"{p},{lat},{lon}\n" for lat, lon, p in VENUES.values())
        load_postcodes(by=None, name="postcodes.csv", content="pcds,lat,long\n" + rows)
        return bundle

    return load
