"""ORUK's own example files import and come back out of the API as they went in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openpcn.directory.actions import import_feed

pytestmark = pytest.mark.django_db


def _import(universe, oruk_dir: Path, name: str) -> dict:  # type: ignore[no-untyped-def]
    content = (oruk_dir / "examples" / name).read_bytes()
    import_feed(by=None, alliance=universe.north, name=name, content=content)
    return json.loads(content)


def test_directory_service_example_round_trips(universe, oruk_dir, client) -> None:  # type: ignore[no-untyped-def]
    example = _import(universe, oruk_dir, "service_full.json")
    body = client.get(f"/directory/api/services/{example['id']}").json()
    assert body == example


def test_directory_service_at_location_example_round_trips(universe, oruk_dir, client) -> None:  # type: ignore[no-untyped-def]
    example = _import(universe, oruk_dir, "service_at_location_full.json")
    body = client.get(f"/directory/api/service_at_locations/{example['id']}").json()
    assert body == example


def test_directory_organization_example_round_trips_through_its_service(
    universe, oruk_dir, client
) -> None:  # type: ignore[no-untyped-def]
    example = _import(universe, oruk_dir, "organization_full.json")
    (service,) = example.pop("services")
    body = client.get(f"/directory/api/services/{service['id']}").json()
    assert body.pop("organization") == example
    assert body == service


def test_directory_list_examples_round_trip(universe, oruk_dir, client) -> None:  # type: ignore[no-untyped-def]
    services = _import(universe, oruk_dir, "service_list.json")
    links = _import(universe, oruk_dir, "service_at_location_list.json")
    page = client.get("/directory/api/services?per_page=1").json()
    assert page["contents"] == services["contents"]
    page = client.get("/directory/api/service_at_locations?per_page=1").json()
    assert page["contents"] == links["contents"]


def test_directory_taxonomy_examples_round_trip(universe, oruk_dir, client) -> None:  # type: ignore[no-untyped-def]
    taxonomy = _import(universe, oruk_dir, "taxonomy.json")
    term = _import(universe, oruk_dir, "taxonomy_term.json")
    assert client.get(f"/directory/api/taxonomies/{taxonomy['id']}").json() == taxonomy
    body = client.get(f"/directory/api/taxonomy_terms/{term['id']}").json()
    # The term was first read nested in its taxonomy, so it now also knows its taxonomy_id.
    assert body.pop("taxonomy_id") == taxonomy["id"]
    assert body == term
