"""Importing ORUK feeds: checked against the schemas, every problem named by file and JSON path,
nothing half-written; by the CLI, by the import page (a background task) and re-imports."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from openpcn.cli.main import main
from openpcn.core.models import AuditEvent
from openpcn.directory.actions import import_feed
from openpcn.directory.feeds import FeedError
from openpcn.directory.models import FeedImport, Location, Provider, Schedule, Service, TaxonomyTerm

pytestmark = pytest.mark.django_db


def _nothing_written() -> bool:
    return not (
        Service.objects.exists()
        or Provider.objects.exists()
        or Location.objects.exists()
        or TaxonomyTerm.objects.exists()
    )


def test_directory_bad_feed_names_file_and_path_and_writes_nothing(universe, small_feed) -> None:  # type: ignore[no-untyped-def]
    bundle = small_feed(3)
    del bundle["services"][2]["service_at_locations"][0]["location"]["addresses"][0]["postal_code"]
    bundle["services"][1]["status"] = "open"
    with pytest.raises(FeedError) as raised:
        import_feed(
            by=None, alliance=universe.north, name="riverdale.json", content=json.dumps(bundle)
        )
    problems = raised.value.problems
    assert (
        "riverdale.json: $.services[2].service_at_locations[0].location.addresses[0]: "
        "'postal_code' is a required property (ORUK service schema)"
    ) in problems
    assert any(
        p.startswith("riverdale.json: $.services[1].status: 'open' is not one of") for p in problems
    )
    assert _nothing_written()  # the good services and the taxonomy were not loaded either


def test_directory_feed_values_the_schema_allows_but_are_wrong_are_named(
    universe, small_feed
) -> None:  # type: ignore[no-untyped-def]
    bundle = small_feed(2)
    bundle["services"][1]["assured_date"] = "last spring"
    bundle["services"][0]["schedules"][0]["opens_at"] = "ten"
    orphan = copy.deepcopy(bundle["services"][0])
    del orphan["organization"]
    orphan["id"] = "5d0d6c52-0000-4000-8000-000000000001"
    orphan["service_at_locations"] = []
    orphan["schedules"] = []
    orphan["attributes"] = []
    bundle["services"].append(orphan)
    with pytest.raises(FeedError) as raised:
        import_feed(by=None, alliance=universe.north, name="f.json", content=json.dumps(bundle))
    assert raised.value.problems == [
        "f.json: $.services[0].schedules[0].opens_at: 'ten' is not a time (HH:MM:SS)",
        "f.json: $.services[1].assured_date: 'last spring' is not a date (YYYY-MM-DD)",
        "f.json: $.services[2]: a new service needs its organization (or organization_id)",
    ]
    assert _nothing_written()


def test_directory_new_service_is_due_for_review_a_year_after_it_was_assured(
    universe, small_feed
) -> None:  # type: ignore[no-untyped-def]
    bundle = small_feed(2)
    bundle["services"][0]["assured_date"] = "2026-03-01"
    import_feed(by=None, alliance=universe.north, name="a.json", content=json.dumps(bundle))
    first, second = Service.objects.order_by("name")
    assert first.review_date == dt.date(2027, 3, 1)
    assert second.review_date == dt.date.today() + dt.timedelta(days=365)


def test_directory_feed_that_is_not_json_says_where(universe) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FeedError) as raised:
        import_feed(
            by=None, alliance=universe.north, name="x.json", content=b'{"id": "a",\n  oops}'
        )
    assert raised.value.problems[0].startswith("x.json: not valid JSON at line 2 column 3")


def test_directory_reimport_updates_and_replaces_nested_lists(universe, small_feed) -> None:  # type: ignore[no-untyped-def]
    bundle = small_feed(1)
    import_feed(by=None, alliance=universe.north, name="a.json", content=json.dumps(bundle))
    service = bundle["services"][0]
    service["name"] = "Brookside Food Bank"
    service["schedules"] = [
        dict(service["schedules"][0], id="5d0d6c52-0000-4000-8000-0000000000aa")
    ]
    loaded = import_feed(
        by=None, alliance=universe.north, name="a.json", content=json.dumps(bundle)
    )
    assert loaded.counts["service"] == 1
    assert list(Service.objects.values_list("name", flat=True)) == ["Brookside Food Bank"]
    assert [str(s.id) for s in Schedule.objects.all()] == ["5d0d6c52-0000-4000-8000-0000000000aa"]
    # Another alliance cannot take over these ids.
    with pytest.raises(FeedError) as raised:
        import_feed(by=None, alliance=universe.south, name="a.json", content=json.dumps(bundle))
    assert "is in another alliance's directory" in raised.value.problems[0]


def test_directory_import_needs_directory_manage(universe, small_feed) -> None:  # type: ignore[no-untyped-def]
    content = json.dumps(small_feed(1))
    with pytest.raises(PermissionDenied):
        import_feed(
            by=universe.users["clinician"], alliance=universe.north, name="a", content=content
        )
    with pytest.raises(PermissionDenied):
        import_feed(
            by=universe.users["south_admin"], alliance=universe.north, name="a", content=content
        )
    import_feed(
        by=universe.users["practice_manager"], alliance=universe.north, name="a", content=content
    )
    event = AuditEvent.objects.get(action="import_directory_feed")
    assert (
        event.actor == universe.users["practice_manager"] and event.organisation == universe.north
    )
    assert event.after["service"] == 1


def test_directory_cli_imports_a_feed_and_reports_a_bad_one(
    universe, small_feed, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.json"
    good.write_text(json.dumps(small_feed(2)))
    assert main(["directory", "import", str(good), "--alliance", "North Alliance"]) == 0
    assert "Imported 2 services, 1 organisation, 2 locations" in capsys.readouterr().out
    bad_bundle = small_feed(1)
    bad_bundle["services"][0]["id"] = "not-a-uuid"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_bundle))
    assert main(["directory", "import", str(bad), "--alliance", "North Alliance"]) == 1
    err = capsys.readouterr().err
    assert "bad.json: $.services[0].id: 'not-a-uuid' is not a 'uuid'" in err
    assert "nothing was imported" in err
    assert Service.objects.count() == 2
    # Two alliances: the command asks which.
    assert main(["directory", "import", str(good)]) == 1
    assert "--alliance" in capsys.readouterr().err


def test_directory_cli_loads_onspd_postcodes(universe, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from openpcn.directory.geo import postcode_point

    onspd = tmp_path / "ONSPD_sample.csv"
    onspd.write_text(
        "pcd,pcds,dointr,doterm,lat,long\n"
        "ZZ1 1AA,ZZ1 1AA,202001,,53.700000,-2.800000\n"
        "ZZ1 9ZZ,ZZ1 9ZZ,202001,202301,99.999999,0.000000\n"
    )
    assert main(["directory", "postcodes", str(onspd)]) == 0
    assert "Loaded 1 postcode" in capsys.readouterr().out
    assert postcode_point("zz11aa") == (53.7, -2.8)
    broken = tmp_path / "broken.csv"
    broken.write_text("pcds,lat,long\nZZ1 1AB,north,-2.8\n")
    assert main(["directory", "postcodes", str(broken)]) == 1
    assert "broken.csv: line 2, lat/long: not a number" in capsys.readouterr().err


def test_directory_import_page_runs_the_feed_in_the_background(
    verified_client, small_feed, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = verified_client("pcn_manager")
    bad = small_feed(1)
    bad["services"][0]["schedules"][0]["freq"] = "DAILY"
    upload = SimpleUploadedFile("bad.json", json.dumps(bad).encode(), "application/json")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/directory/manage/import/", {"feed": upload})
    text = client.get(response["Location"]).content.decode()
    assert "Nothing was imported" in text
    assert "bad.json: $.services[0].schedules[0].freq: &#39;DAILY&#39; is not one of" in text
    assert not Service.objects.exists()
    good = SimpleUploadedFile("good.json", json.dumps(small_feed(2)).encode(), "application/json")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/directory/manage/import/", {"feed": good})
    assert "Imported 2 services" in client.get(response["Location"]).content.decode()
    assert FeedImport.objects.filter(status="done").count() == 1
    assert Service.objects.count() == 2


def test_directory_import_page_is_for_directory_managers(verified_client, small_feed) -> None:  # type: ignore[no-untyped-def]
    client = verified_client("clinician")
    upload = SimpleUploadedFile("a.json", json.dumps(small_feed(1)).encode())
    assert client.post("/directory/manage/import/", {"feed": upload}).status_code == 403
    assert client.get("/directory/manage/").status_code == 403
