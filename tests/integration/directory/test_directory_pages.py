"""Directory pages: search by need, term, text and distance; the printable list; editing and
reviewing (DIRECTORY_MANAGE, audited); past-review entries; the Resources cards; scope."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from openpcn.core.models import AuditEvent
from openpcn.directory.actions import import_feed
from openpcn.directory.models import Provider, Service
from openpcn.organisations import actions as organisation_actions

pytestmark = pytest.mark.django_db


def _names(html: str) -> list[str]:
    return re.findall(r'<h3 class="nhsuk-heading-s[^"]*"><a href="[^"]+">([^<]+)</a>', html)


def test_directory_search_by_text_need_and_term(load_small, verified_client) -> None:  # type: ignore[no-untyped-def]
    bundle = load_small(4)
    client = verified_client("clinician")
    html = client.get("/directory/", {"q": "gentle walk"}).content.decode()
    assert _names(html) == ["Health walk 01", "Health walk 03"]
    food = next(t for t in bundle["taxonomy_terms"] if t["name"] == "Food")
    # The need "Food" finds services tagged with its narrower term "Food bank".
    html = client.get("/directory/", {"need": food["id"]}).content.decode()
    assert _names(html) == ["Food bank 00", "Food bank 02"]
    bank = next(t for t in bundle["taxonomy_terms"] if t["name"] == "Food bank")
    html = client.get("/directory/", {"term": bank["id"], "q": "02"}).content.decode()
    assert _names(html) == ["Food bank 02"]


def test_directory_search_leaves_out_services_outside_the_persons_age(
    load_small, verified_client
) -> None:  # type: ignore[no-untyped-def]
    from openpcn.directory.actions import update_service

    load_small(2)
    walk = Service.objects.get(name="Health walk 01")
    update_service(by=None, service=walk, minimum_age=60)
    client = verified_client("clinician")
    assert _names(client.get("/directory/", {"age": "45"}).content.decode()) == ["Food bank 00"]
    html = client.get("/directory/", {"age": "72"}).content.decode()
    assert _names(html) == ["Food bank 00", "Health walk 01"]


def test_directory_search_by_distance_from_postcode_or_site(
    universe, load_small, verified_client
) -> None:  # type: ignore[no-untyped-def]
    load_small(4)
    # A practice site next to Millbeck Hall, 5.3 km east of Brookside Hall.
    site = organisation_actions.add_site(
        by=None,
        organisation=universe.p1,
        name="P1 Surgery",
        kind="main",
        latitude=Decimal("53.70100"),
        longitude=Decimal("-2.72000"),
    )
    client = verified_client("clinician")
    html = client.get("/directory/", {"site": site.pk, "within": "1"}).content.decode()
    assert _names(html) == ["Health walk 01", "Health walk 03"]
    assert "0.1 miles" in html
    html = client.get("/directory/", {"postcode": "zz1 1aa", "within": "5"}).content.decode()
    assert _names(html) == ["Food bank 00", "Food bank 02", "Health walk 01", "Health walk 03"]
    assert "near ZZ1 1AA" in html
    html = client.get("/directory/", {"postcode": "ZZ1 1AA", "within": "1"}).content.decode()
    assert _names(html) == ["Food bank 00", "Food bank 02"]
    # A service given only by telephone is not limited by distance: it follows the nearby ones.
    import_feed(
        by=None,
        alliance=universe.north,
        name="phone.json",
        content=json.dumps(
            {
                "id": "5d0d6c52-0000-4000-8000-0000000000b1",
                "name": "Telephone befriending",
                "status": "active",
                "organization_id": str(Provider.objects.get().id),
                "service_at_locations": [
                    {
                        "id": "5d0d6c52-0000-4000-8000-0000000000b2",
                        "location": {
                            "id": "5d0d6c52-0000-4000-8000-0000000000b3",
                            "location_type": "virtual",
                            "name": "By telephone",
                        },
                    }
                ],
            }
        ),
    )
    html = client.get("/directory/", {"postcode": "ZZ1 1AA", "within": "1"}).content.decode()
    assert _names(html) == ["Food bank 00", "Food bank 02", "Telephone befriending"]
    assert "By telephone (no need to travel)" in html
    html = client.get("/directory/", {"postcode": "ZZ9 9ZZ"}).content.decode()
    assert "not in the directory&#39;s postcode table" in html


def test_directory_printable_list_has_the_chosen_services(load_small, verified_client) -> None:  # type: ignore[no-untyped-def]
    bundle = load_small(4)
    client = verified_client("clinician")
    chosen = bundle["services"][2]["id"]
    html = client.get("/directory/print/", {"q": "food", "pick": chosen}).content.decode()
    assert "Local services that may help you" in html
    assert "Food bank 02" in html and "Food bank 00" not in html
    assert "Tuesdays, 10am to 12pm" in html
    assert "1 High Street, Riverdale ZZ1 1AA" in html
    assert "directory/print.css" in html  # the print stylesheet


def test_directory_editing_is_audited_and_needs_directory_manage(
    load_small, universe, verified_client
) -> None:  # type: ignore[no-untyped-def]
    load_small(1)
    service = Service.objects.get()
    form = {
        "name": "Brookside Food Bank",
        "description": "Food parcels with a referral voucher.",
        "status": "active",
        "review_date": "2027-06-30",
    }
    clinician = verified_client("clinician")
    assert clinician.post(f"/directory/services/{service.id}/edit/", form).status_code == 403
    outsider = verified_client("south_admin")
    assert outsider.get(f"/directory/services/{service.id}/").status_code == 404
    manager = verified_client("pcn_manager")
    response = manager.post(f"/directory/services/{service.id}/edit/", form)
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.name, service.review_date) == ("Brookside Food Bank", dt.date(2027, 6, 30))
    event = AuditEvent.objects.get(action="update_directory_service")
    assert event.actor == universe.users["pcn_manager"]
    assert event.before["name"] == "Food bank 00" and event.after["name"] == "Brookside Food Bank"
    assert event.after["terms"] == []  # no term ticked: the food bank term was taken off
    assert event.before["terms"] == ["Food bank"]
    # The API shows the edit at once.
    api = manager.get(f"/directory/api/services/{service.id}").json()
    assert api["name"] == "Brookside Food Bank" and "attributes" not in api


def test_directory_entry_past_review_is_shown_and_can_be_reviewed(
    load_small, universe, verified_client
) -> None:  # type: ignore[no-untyped-def]
    from openpcn.directory.actions import update_service

    load_small(1)
    service = Service.objects.get()
    update_service(by=None, service=service, review_date=dt.date.today() - dt.timedelta(days=3))
    client = verified_client("practice_manager")
    assert (
        "Past its review date" in client.get(f"/directory/services/{service.id}/").content.decode()
    )
    assert "Past its review date" in client.get("/directory/manage/").content.decode()
    next_year = (dt.date.today() + dt.timedelta(days=365)).isoformat()
    client.post(f"/directory/services/{service.id}/reviewed/", {"next_review": next_year})
    service.refresh_from_db()
    assert service.assured_date == dt.date.today() and not service.review_overdue()
    assert AuditEvent.objects.filter(action="review_directory_service").count() == 1
    assert (
        "Past its review date"
        not in client.get(f"/directory/services/{service.id}/").content.decode()
    )


def test_directory_opening_time_added_on_the_page(load_small, verified_client) -> None:  # type: ignore[no-untyped-def]
    load_small(1)
    service = Service.objects.get()
    client = verified_client("pcn_manager")
    client.post(
        f"/directory/services/{service.id}/schedules/",
        {"days": ["MO", "WE"], "opens_at": "09:30", "closes_at": "11:00"},
    )
    body = client.get(f"/directory/api/services/{service.id}").json()
    assert {
        "freq": "WEEKLY",
        "byday": "MO,WE",
        "opens_at": "09:30:00",
        "closes_at": "11:00:00",
    }.items() <= body["schedules"][1].items()
    assert AuditEvent.objects.filter(action="add_directory_schedule").count() == 1


def test_directory_cards_on_the_resources_page(universe, verified_client) -> None:  # type: ignore[no-untyped-def]
    clinician = verified_client("clinician").get("/resources/").content.decode()
    assert (
        "Local services directory" in clinician and "Manage the services directory" not in clinician
    )
    manager = verified_client("pcn_manager").get("/resources/").content.decode()
    assert "Local services directory" in manager and "Manage the services directory" in manager


def test_directory_feed_urls_are_linked_only_when_they_are_web_addresses(
    load_small, universe, verified_client
) -> None:  # type: ignore[no-untyped-def]
    from openpcn.directory.actions import update_service

    load_small(1)
    service = Service.objects.get()
    service.url = (
        "javascript:alert(1)"  # as a feed could carry it (the schema's uri is not checked)
    )
    service.save()
    client = verified_client("clinician")
    html = client.get(f"/directory/services/{service.id}/").content.decode()
    assert 'href="javascript:' not in html
    update_service(by=None, service=service, url="https://foodbank.example")
    html = client.get(f"/directory/services/{service.id}/").content.decode()
    assert '<a href="https://foodbank.example">' in html
