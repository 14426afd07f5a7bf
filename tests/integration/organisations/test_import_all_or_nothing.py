"""Every importer is all or nothing and idempotent.

A malformed file (bad header, wrong type, truncated row) is rejected with its file, row and
column named, and every registry table (and the audit log) is left exactly as it was. Importing
the same real file twice creates and changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from openpcn.core.models import AuditEvent
from openpcn.organisations.importers import (
    ImportFileError,
    import_epcn,
    import_epraccur,
    import_list_sizes,
    import_practice_map,
)
from openpcn.organisations.models import (
    Network,
    NetworkMembership,
    Organisation,
    PopulationBand,
    PopulationSnapshot,
)

pytestmark = pytest.mark.django_db

REGISTRY_TABLES = [Organisation, NetworkMembership, PopulationSnapshot, PopulationBand]


def table_contents(*, audit: bool = True) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table the importers write, field by field."""
    tables = [*REGISTRY_TABLES, AuditEvent] if audit else REGISTRY_TABLES
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in tables}


@pytest.fixture
def populated(shared_dir, tmp_path) -> dict[str, list[dict[str, Any]]]:
    """A registry holding practices, PCNs, memberships, snapshots and bands, from real files."""
    data = shared_dir / "nhs-data"
    import_epraccur(by=None, path=data / "epraccur-2017-08-4-practices.csv")
    import_list_sizes(by=None, path=data / "gp-reg-pat-prac-quin-age.csv")
    import_practice_map(by=None, path=lines_of(data / "gp-reg-pat-prac-map.csv", tmp_path, 40))
    contents = table_contents()
    assert all(contents[model.__name__] for model in REGISTRY_TABLES)
    return contents


def lines_of(path: Path, tmp_path: Path, count: int) -> Path:
    """The first `count` lines of a real file, written under its own name."""
    with path.open("rb") as source:
        head = b"".join(source.readline() for _ in range(count))
    copy = tmp_path / f"first-{count}-lines" / path.name
    copy.parent.mkdir(exist_ok=True)
    copy.write_bytes(head)
    return copy


def edited(path: Path, tmp_path: Path, edit: Callable[[list[bytes]], None]) -> Path:
    """A copy of a real file with some of its lines edited (line endings kept)."""
    lines = path.read_bytes().splitlines(keepends=True)
    edit(lines)
    copy = tmp_path / path.name
    copy.write_bytes(b"".join(lines))
    return copy


def cut_in_last_line(path: Path, tmp_path: Path, keep_fields: int) -> Path:
    """The file as a broken download leaves it: the last line ends after `keep_fields` fields."""

    def cut(lines: list[bytes]) -> None:
        lines[-1] = b",".join(lines[-1].split(b",")[:keep_fields])

    return edited(path, tmp_path, cut)


def replace_in_line(number: int, old: bytes, new: bytes) -> Callable[[list[bytes]], None]:
    def edit(lines: list[bytes]) -> None:
        assert old in lines[number - 1], lines[number - 1]
        lines[number - 1] = lines[number - 1].replace(old, new, 1)

    return edit


def small_epcn(shared_dir: Path, tmp_path: Path, edit: Callable[[Any, Any], None]) -> Path:
    """An ePCN workbook with the real sheets' headers and first 100 rows, then edited."""
    source = openpyxl.load_workbook(shared_dir / "nhs-data/ePCN.xlsx", read_only=True)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name in ("PCNDetails", "PCN Core Partner Details"):
        sheet = workbook.create_sheet(name)
        for number, row in enumerate(source[name].iter_rows(values_only=True), start=1):
            sheet.append(row)
            if number == 101:
                break
    source.close()
    edit(workbook["PCNDetails"], workbook["PCN Core Partner Details"])
    path = tmp_path / "ePCN.xlsx"
    workbook.save(path)
    return path


def map_2026(shared_dir: Path) -> Path:
    return shared_dir / "nhs-data/gp-reg-pat-prac-map.csv"


def quin_age(shared_dir: Path) -> Path:
    return shared_dir / "nhs-data/gp-reg-pat-prac-quin-age.csv"


def epraccur_4(shared_dir: Path) -> Path:
    return shared_dir / "nhs-data/epraccur-2017-08-4-practices.csv"


def truncate_partner_row(details: Any, partners: Any) -> None:
    for cell in partners[60][8:]:
        cell.value = None


def set_cell(sheet_index: int, coordinate: str, value: Any) -> Callable[[Any, Any], None]:
    def edit(details: Any, partners: Any) -> None:
        ((details, partners)[sheet_index])[coordinate] = value

    return edit


# (id, importer, bad file, row, column, message fragment)
BAD_FILES: list[tuple[str, Callable[..., Any], Callable[[Path, Path], Path], Any, Any, str]] = [
    (
        "practice-map bad header",
        import_practice_map,
        lambda s, t: edited(map_2026(s), t, replace_in_line(1, b",PRACTICE_CODE,", b",PRAC_CODE,")),
        1,
        "PRACTICE_CODE",
        "missing from the header row",
    ),
    (
        "practice-map wrong type",
        import_practice_map,
        lambda s, t: edited(map_2026(s), t, replace_in_line(3000, b",01Jan2026,", b",01Jxn2026,")),
        3000,
        "EXTRACT_DATE",
        "not a date",
    ),
    (
        "practice-map truncated row",
        import_practice_map,
        lambda s, t: cut_in_last_line(map_2026(s), t, 9),
        6172,
        "SUB_ICB_LOCATION_NAME",
        "truncated row: 9 fields where 17 are expected",
    ),
    (
        "list-sizes bad header",
        import_list_sizes,
        lambda s, t: edited(quin_age(s), t, replace_in_line(1, b"NUMBER_OF_PATIENTS", b"PATIENTS")),
        1,
        "NUMBER_OF_PATIENTS",
        "missing from the header row",
    ),
    (
        "list-sizes wrong type",
        import_list_sizes,
        lambda s, t: edited(quin_age(s), t, replace_in_line(100, b",55_59,", b",55_59,n/a")),
        100,
        "NUMBER_OF_PATIENTS",
        "is not a whole number",
    ),
    (
        "list-sizes truncated row",
        import_list_sizes,
        lambda s, t: cut_in_last_line(quin_age(s), t, 7),
        173,
        "AGE_GROUP_5",
        "truncated row",
    ),
    (
        "epraccur with a header row",
        import_epraccur,
        lambda s, t: edited(
            epraccur_4(s),
            t,
            lambda lines: lines.insert(0, b'"Organisation Code","Name"' + b',""' * 25 + b"\r\n"),
        ),
        1,
        "1 (organisation code)",
        "is not an ODS code",
    ),
    (
        "epraccur wrong type",
        import_epraccur,
        lambda s, t: edited(epraccur_4(s), t, replace_in_line(2, b'"19740401"', b'"19740431"')),
        2,
        "11 (open date)",
        "not a date",
    ),
    (
        "epraccur truncated row",
        import_epraccur,
        # 20 pieces split on commas are 19 fields: "DALTON, HUDDERSFIELD" holds a comma.
        lambda s, t: cut_in_last_line(epraccur_4(s), t, 20),
        4,
        "20 (null 20)",
        "truncated row: 19 fields where 27 are expected",
    ),
    (
        "epcn bad header",
        import_epcn,
        lambda s, t: small_epcn(s, t, set_cell(0, "A1", "PCN")),
        1,
        "PCN Code",
        "missing from the header row",
    ),
    (
        "epcn wrong type",
        import_epcn,
        lambda s, t: small_epcn(s, t, set_cell(1, "I50", "soon")),
        50,
        "Practice to PCN Relationship Start Date",
        "not a date",
    ),
    (
        "epcn truncated row",
        import_epcn,
        lambda s, t: small_epcn(s, t, truncate_partner_row),
        60,
        "Practice to PCN Relationship Start Date",
        "a date is required",
    ),
    (
        "epcn truncated file",
        import_epcn,
        lambda s, t: edited(
            s / "nhs-data/ePCN.xlsx",
            t,
            lambda lines: lines.__delitem__(slice(len(lines) // 2, None)),
        ),
        None,
        None,
        "not an Excel workbook",
    ),
]


@pytest.mark.parametrize(
    ("importer", "make_file", "row", "column", "message"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_import_rejects_a_bad_file_and_leaves_the_database_as_it_was(
    populated, shared_dir, tmp_path, importer, make_file, row, column, message
):
    path = make_file(shared_dir, tmp_path)
    with pytest.raises(ImportFileError, match=message) as raised:
        importer(by=None, path=path)
    error = raised.value
    assert (error.file, error.row, error.column) == (path.name, row, column)
    assert str(error).startswith(path.name)
    if row is not None:
        assert f"row {row}" in str(error)
    assert table_contents() == populated


def test_import_rolls_back_a_failure_found_while_writing(populated, shared_dir, tmp_path):
    """A practice whose code is already a PCN's is found only after the file's new PCNs are
    written; the whole import is undone."""

    def clash(lines: list[bytes]) -> None:
        lines[-1] = lines[-1].replace(b",A82650,", b",U89141,", 1)

    path = edited(lines_of(map_2026(shared_dir), tmp_path, 120), tmp_path, clash)
    with pytest.raises(ImportFileError, match="U89141 is already in the registry as a Primary"):
        import_practice_map(by=None, path=path)
    assert table_contents() == populated
    assert not Network.objects.filter(ods_code="U59570").exists()


REAL_FILES = [
    (import_epraccur, "epraccur.csv"),
    (import_practice_map, "gp-reg-pat-prac-map.csv"),
    (import_practice_map, "gp-reg-pat-prac-map-ccg-2022-01.csv"),
    (import_list_sizes, "gp-reg-pat-prac-all.csv"),
    (import_list_sizes, "gp-reg-pat-prac-quin-age.csv"),
    (import_epcn, "ePCN.xlsx"),
]


@pytest.mark.parametrize(("importer", "name"), REAL_FILES, ids=[n for _, n in REAL_FILES])
def test_import_twice_changes_nothing_the_second_time(shared_dir, importer, name):
    first = importer(by=None, path=shared_dir / "nhs-data" / name)
    assert first.created > 0
    contents = table_contents(audit=False)
    second = importer(by=None, path=shared_dir / "nhs-data" / name)
    assert (second.created, second.updated) == (0, 0)
    assert second.unchanged == first.created + first.updated + first.unchanged
    assert table_contents(audit=False) == contents
    # One audit event per import, never one per row.
    events = AuditEvent.objects.order_by("pk")
    assert [e.object_label for e in events] == [name, name]
    assert events[1].after["created"] == events[1].after["updated"] == 0
    assert events[1].after["sha256"] == first.sha256
