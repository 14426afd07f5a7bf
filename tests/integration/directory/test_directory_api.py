"""The published ORUK API: every endpoint's response for the demo directory validates against the
ORUK schemas; paging, filters, distance, CORS and errors as the standard describes them."""

from __future__ import annotations

import pytest

from openpcn.demo.directory import build_directory
from openpcn.demo.registry import build_registry
from openpcn.directory.models import Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

pytestmark = pytest.mark.django_db

API = "/directory/api"


def test_directory_every_endpoint_validates_for_the_demo(
    client, oruk_response, problems_of
) -> None:  # type: ignore[no-untyped-def]
    demo = build_registry(seed=2026)
    build_directory(demo)
    checks = [("/", f"{API}/")]
    checks += [("/services", f"{API}/services?per_page=10&page={n}") for n in (1, 2, 3, 4)]
    checks += [("/service_at_locations", f"{API}/service_at_locations?per_page=100")]
    checks += [("/taxonomies", f"{API}/taxonomies"), ("/taxonomy_terms", f"{API}/taxonomy_terms")]
    checks += [("/services/{id}", f"{API}/services/{s.id}") for s in Service.objects.all()]
    checks += [
        ("/service_at_locations/{id}", f"{API}/service_at_locations/{s.id}")
        for s in ServiceAtLocation.objects.all()
    ]
    checks += [("/taxonomies/{id}", f"{API}/taxonomies/{t.id}") for t in Taxonomy.objects.all()]
    checks += [
        ("/taxonomy_terms/{id}", f"{API}/taxonomy_terms/{t.id}") for t in TaxonomyTerm.objects.all()
    ]
    assert len(checks) > 100
    for path, address in checks:
        response = client.get(address)
        assert response.status_code == 200, address
        assert response["Access-Control-Allow-Origin"] == "*"
        assert problems_of(oruk_response(path), response.json()) == [], address
    # The nested parts the schemas describe are really there to be checked.
    full = client.get(f"{API}/services/{Service.objects.first().id}").json()
    assert {"schedules", "service_at_locations", "organization", "contacts", "attributes"} <= set(
        full
    )
    listed = client.get(f"{API}/services?per_page=10").json()
    assert listed["total_items"] == Service.objects.count() and listed["size"] == 10


def test_directory_pages_follow_the_standards_envelope(load_small, client) -> None:  # type: ignore[no-untyped-def]
    load_small(12)
    first = client.get(f"{API}/services?per_page=5").json()
    assert {k: v for k, v in first.items() if k != "contents"} == {
        "total_items": 12,
        "total_pages": 3,
        "page_number": 1,
        "size": 5,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    last = client.get(f"{API}/services?per_page=5&page=3").json()
    assert (last["size"], last["first_page"], last["last_page"]) == (2, False, True)
    names = [
        s["name"]
        for p in (1, 2, 3)
        for s in client.get(f"{API}/services?per_page=5&page={p}").json()["contents"]
    ]
    assert len(set(names)) == 12  # no service on two pages
    beyond = client.get(f"{API}/services?per_page=5&page=4").json()
    assert beyond["empty"] is True and beyond["contents"] == []


def test_directory_api_names_a_bad_parameter_with_cors(load_small, client) -> None:  # type: ignore[no-untyped-def]
    load_small(1)
    response = client.get(f"{API}/services?page=two")
    assert response.status_code == 400
    assert "page" in response.json()["error"]
    assert response["Access-Control-Allow-Origin"] == "*"
    missing = client.get(f"{API}/services/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404 and missing["Access-Control-Allow-Origin"] == "*"
    assert client.get(API)["Access-Control-Allow-Origin"] == "*"  # the base URL, no redirect
    preflight = client.options(f"{API}/services", HTTP_ORIGIN="https://example.org")
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Origin"] == "*"


def test_directory_api_filters_by_search_and_taxonomy(load_small, client) -> None:  # type: ignore[no-untyped-def]
    bundle = load_small(6)
    names = lambda query: sorted(  # noqa: E731
        s["name"] for s in client.get(f"{API}/services?{query}").json()["contents"]
    )
    assert names("search=walk") == ["Health walk 01", "Health walk 03", "Health walk 05"]
    bank = next(t for t in bundle["taxonomy_terms"] if t["name"] == "Food bank")
    assert names(f"taxonomy_term_id={bank['id']}") == [
        "Food bank 00",
        "Food bank 02",
        "Food bank 04",
    ]
    taxonomy = bundle["taxonomies"][0]["id"]
    assert len(names(f"taxonomy_id={taxonomy}")) == 6
    assert names("day=saturday") == ["Health walk 01", "Health walk 03", "Health walk 05"]


def test_directory_api_finds_service_at_locations_within_proximity(load_small, client) -> None:  # type: ignore[no-untyped-def]
    load_small(4)
    near = client.get(f"{API}/service_at_locations?postcode=zz11aa&proximity=1000").json()
    assert {c["location"]["name"] for c in near["contents"]} == {"Brookside Hall"}
    wider = client.get(f"{API}/service_at_locations?postcode=ZZ1 1AA&proximity=6000").json()
    assert wider["total_items"] == 4
    # Nearest first: Brookside's two services, then Millbeck's (5.3 km away).
    assert [c["location"]["name"] for c in wider["contents"]][:2] == ["Brookside Hall"] * 2
    unknown = client.get(f"{API}/service_at_locations?postcode=ZZ9 9ZZ")
    assert unknown.status_code == 400 and "postcode" in unknown.json()["error"]
