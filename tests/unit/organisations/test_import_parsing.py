"""Parsing the NHS files' fields and rows: dates, age bands, CSV layouts and file errors."""

from __future__ import annotations

import datetime as dt

import pytest

from openpcn.organisations.importers.base import (
    ImportFileError,
    ImportResult,
    data_rows,
    find_columns,
    normalise_header,
    parse_date,
    read_csv,
)
from openpcn.organisations.importers.list_sizes import parse_age_band


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20191001", dt.date(2019, 10, 1)),  # ODS (epraccur, ePCN)
        ("01SEP2017", dt.date(2017, 9, 1)),  # list sizes
        ("01Jan2026", dt.date(2026, 1, 1)),  # practice map
        ("01jan2026", dt.date(2026, 1, 1)),
        ("01-Sep-20", dt.date(2020, 9, 1)),  # the map re-saved by Excel
        ("1-Apr-26", dt.date(2026, 4, 1)),
        ("01-Apr-2026", dt.date(2026, 4, 1)),
        ("2026-04-01", dt.date(2026, 4, 1)),
        ("01/04/2026", dt.date(2026, 4, 1)),
        (" 20230401 ", dt.date(2023, 4, 1)),
    ],
)
def test_parse_date_accepts_every_nhs_layout(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["", "2019100", "20230230", "01XYZ2017", "Sep 2017", "01-13-20", "201910011", "ALL"]
)
def test_parse_date_rejects_what_is_not_a_date(text):
    with pytest.raises(ValueError, match="not a date"):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0_4", (0, 4)), ("90_94", (90, 94)), ("95+", (95, None)), ("0", (0, 0)), ("94", (94, 94))],
)
def test_parse_age_band_reads_quinary_and_single_ages(text, expected):
    assert parse_age_band(text) == expected


@pytest.mark.parametrize("text", ["ALL", "4_0", "five", "0-4", ""])
def test_parse_age_band_rejects_other_values(text):
    with pytest.raises(ValueError):
        parse_age_band(text)


def test_import_file_error_names_file_row_and_column():
    error = ImportFileError("map.csv", 7, "PCN_CODE", "is empty")
    assert str(error) == "map.csv, row 7, column PCN_CODE: is empty"
    assert (error.file, error.row, error.column) == ("map.csv", 7, "PCN_CODE")
    in_sheet = ImportFileError("ePCN.xlsx", 3, "Open Date", "not a date", sheet="PCNDetails")
    assert str(in_sheet) == "ePCN.xlsx, sheet 'PCNDetails', row 3, column Open Date: not a date"


def test_read_csv_numbers_rows_as_lines_with_crlf_quotes_and_embedded_commas(tmp_path):
    path = tmp_path / "map.csv"
    path.write_bytes(
        b"CODE,NAME\r\n"
        b'A1,"FULWELL MEDICAL CENTRE,"\r\n'
        b"\r\n"
        b'"A2","EASTGATE MEDICAL GROUP, HORNSEA"\r\n'
    )
    file = read_csv(path)
    assert file.name == "map.csv"
    assert file.records == [
        (1, ["CODE", "NAME"]),
        (2, ["A1", "FULWELL MEDICAL CENTRE,"]),
        (4, ["A2", "EASTGATE MEDICAL GROUP, HORNSEA"]),
    ]
    assert len(file.sha256) == 64


def test_read_csv_reads_lf_files_without_a_final_newline_and_a_bom(tmp_path):
    path = tmp_path / "lf.csv"
    path.write_bytes(b"\xef\xbb\xbfCODE,NAME\nA1,ONE\nA2,TWO")
    assert read_csv(path).records == [(1, ["CODE", "NAME"]), (2, ["A1", "ONE"]), (3, ["A2", "TWO"])]


def test_read_csv_rejects_an_unterminated_quote_naming_the_row(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_bytes(b'"A1","ONE"\r\n"A2","TW')
    with pytest.raises(ImportFileError) as raised:
        read_csv(path)
    assert raised.value.row == 2


def test_find_columns_matches_names_after_normalising_whitespace_and_case():
    header = ["Partner\nOrganisation\nCode", "PCN  Code", "Match "]
    columns = find_columns(
        "ePCN.xlsx",
        header,
        required=["Partner Organisation Code", ("PCN Code", "CCG Code")],
        optional=["Match", "Missing"],
    )
    assert columns == {"Partner Organisation Code": 0, "PCN Code": 1, "Match": 2}
    assert normalise_header("Practice to PCN\nRelationship\nEnd Date ") == (
        "Practice to PCN Relationship End Date"
    )


def test_find_columns_reports_a_missing_column_on_the_header_row():
    with pytest.raises(ImportFileError) as raised:
        find_columns("list.csv", ["ORG_TYPE", "SEX"], required=[("ORG_CODE", "CODE"), "SEX"])
    assert (raised.value.row, raised.value.column) == (1, "ORG_CODE or CODE")


def test_data_rows_rejects_a_truncated_row_naming_its_first_missing_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("A,B,C\n1,2,3\n4,5\n")
    file = read_csv(path)
    columns = find_columns(file.name, file.records[0][1], required=["A", "B", "C"])
    with pytest.raises(ImportFileError, match="truncated row") as raised:
        list(data_rows(file, columns, 3, first=1))
    assert (raised.value.row, raised.value.column) == (3, "C")


def test_row_accessors_name_the_row_and_column_of_a_bad_value(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("CODE,N,D\nB85010,lots,20191301\n")
    file = read_csv(path)
    columns = find_columns(file.name, file.records[0][1], required=["CODE", "N", "D"])
    (row,) = data_rows(file, columns, 3, first=1)
    assert row.code("CODE") == "B85010"
    with pytest.raises(ImportFileError, match="'lots' is not a whole number") as raised:
        row.integer("N")
    assert (raised.value.row, raised.value.column) == (2, "N")
    with pytest.raises(ImportFileError, match="not a date") as raised:
        row.date("D")
    assert raised.value.column == "D"


def test_import_result_adds_outcomes_by_kind():
    result = ImportResult(kind="x", file="f.csv", sha256="0" * 64, rows=3)
    result.count("practices", "created", 2)
    result.count("networks", "created", 1)
    result.count("practices", "unchanged", 1)
    result.count("practices", "updated", 0)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 1)
    assert result.details == {
        "practices_created": 2,
        "networks_created": 1,
        "practices_unchanged": 1,
    }
    assert result.summary == "f.csv: 3 rows; 3 created, 0 updated, 1 unchanged"
    assert result.audit_after()["sha256"] == "0" * 64
