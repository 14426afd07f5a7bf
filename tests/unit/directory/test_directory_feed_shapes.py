"""Which ORUK object a feed holds, and the copies of the ORUK schemas the import checks against."""

from __future__ import annotations

from pathlib import Path

import pytest

from openpcn.directory.feeds import SCHEMA_DIR, FeedError, json_path, kind_of, read


def test_directory_kind_of_each_oruk_object() -> None:
    assert kind_of({"id": "x", "name": "n", "status": "active"}) == "service"
    assert kind_of({"id": "x", "service": {}, "location": {}}) == "service_at_location"
    assert kind_of({"id": "x", "name": "n", "description": "d", "taxonomy_terms": []}) == "taxonomy"
    assert (
        kind_of({"id": "x", "name": "n", "description": "d", "parent_id": "y"}) == "taxonomy_term"
    )
    assert kind_of({"id": "x", "name": "n", "description": "d", "website": "w"}) == "organization"
    assert kind_of({"id": "x", "name": "n"}) is None


def test_directory_json_path_reads_like_the_feed() -> None:
    assert (
        json_path(["services", 0, "schedules", 2, "opens_at"])
        == "$.services[0].schedules[2].opens_at"
    )


def test_directory_feed_of_unknown_objects_is_refused() -> None:
    with pytest.raises(FeedError) as raised:
        read("odd.json", b'[{"id": "x", "name": "n"}, 3]')
    assert raised.value.problems[0].startswith("odd.json: $[0]: not an ORUK service")
    assert raised.value.problems[1] == "odd.json: $[1]: expected an ORUK object, found int"


def test_directory_schemas_are_the_standards_own(shared_dir: Path) -> None:
    standard = shared_dir / "standards" / "openreferral-uk" / "schema"
    if not standard.is_dir():
        pytest.skip(f"the ORUK standard's files are not at {standard}")
    for ours in SCHEMA_DIR.glob("*.json"):
        theirs = standard / "compiled" / ours.name
        if not theirs.exists():
            theirs = standard / ours.name
        assert ours.read_bytes() == theirs.read_bytes(), ours.name
