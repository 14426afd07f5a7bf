"""Extract loading: typed tables on success; on any problem an error naming file, row and column."""

from __future__ import annotations

import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from openpcn.population.engine.loading import ExtractError, load_extract

GOOD = {
    "patients.csv": (
        "patient_id,date_of_birth,sex,date_of_death,lsoa_code\n"
        "1,1950-01-01,female,,E01000001\n"
        "2,1980-06-01,male,2025-01-02,\n"
    ),
    "practice_registrations.csv": (
        "patient_id,practice_code,start_date,end_date\n1,P1,2000-01-01,\n2,P1,2001-01-01,2024-01-01\n"
    ),
    "clinical_events.csv": (
        "patient_id,date,snomedct_code,numeric_value\n1,2020-01-01,271649006,140\n2,2021-01-01,123,\n"
    ),
    "medications.csv": "patient_id,date,dmd_code\n1,2020-01-01,321117007\n",
    "deprivation.csv": "lsoa_code,imd_decile\nE01000001,3\n",
    "org_map.csv": "practice_code,pcn_code\nP1,U1\n",
}


def _write(folder: Path, **changes: str) -> Path:
    for name, text in {**GOOD, **{k.replace("__", "."): v for k, v in changes.items()}}.items():
        (folder / name).write_text(text)
    return folder


def _load(folder: Path) -> object:
    return load_extract(folder, folder / "deprivation.csv", folder / "org_map.csv")


def test_load_good_extract_gives_typed_tables(tmp_path: Path) -> None:
    extract = load_extract(_write(tmp_path), tmp_path / "deprivation.csv", tmp_path / "org_map.csv")
    patients = extract.tables["patients"]
    assert patients.schema.field("date_of_birth").type == pa.date32()
    assert patients.column("date_of_death").to_pylist() == [None, datetime.date(2025, 1, 2)]
    assert patients.column("lsoa_code").to_pylist() == ["E01000001", None]
    events = extract.tables["clinical_events"]
    assert events.column("numeric_value").to_pylist() == [140.0, None]
    assert extract.organisation_map.column("list_size").to_pylist() == [None]
    assert extract.deprivation.column("imd_decile").to_pylist() == [3]


@pytest.mark.parametrize(
    ("file", "text", "row", "column", "problem"),
    [
        ("patients__csv", "patient_id,sex\n1,female\n", None, "date_of_birth", "missing"),
        (
            "patients__csv",
            GOOD["patients.csv"] + "3,1950-13-01,male,,\n",
            3,
            "date_of_birth",
            "real calendar",
        ),
        (
            "patients__csv",
            GOOD["patients.csv"] + "3,01/01/1950,male,,\n",
            3,
            "date_of_birth",
            "YYYY-MM-DD",
        ),
        (
            "patients__csv",
            GOOD["patients.csv"] + "3,1950-01-15,male,,\n",
            3,
            "date_of_birth",
            "1st",
        ),
        ("patients__csv", GOOD["patients.csv"] + "3,1950-01-01,woman,,\n", 3, "sex", "one of"),
        (
            "patients__csv",
            GOOD["patients.csv"] + "2,1950-01-01,male,,\n",
            3,
            "patient_id",
            "duplicate",
        ),
        (
            "patients__csv",
            GOOD["patients.csv"] + ",1950-01-01,male,,\n",
            3,
            "patient_id",
            "required",
        ),
        (
            "patients__csv",
            GOOD["patients.csv"] + "3,1950-01-01,male,1949-01-01,\n",
            3,
            "date_of_death",
            "before",
        ),
        (
            "clinical_events__csv",
            GOOD["clinical_events.csv"] + "1,2020-01-01,271649006,high\n",
            3,
            "numeric_value",
            "number",
        ),
        (
            "clinical_events__csv",
            GOOD["clinical_events.csv"] + "9,2020-01-01,271649006,1\n",
            3,
            "patient_id",
            "unknown patient",
        ),
        (
            "practice_registrations__csv",
            GOOD["practice_registrations.csv"] + "1,P2,2010-01-01,2009-01-01\n",
            3,
            "end_date",
            "before the start",
        ),
        ("deprivation__csv", "lsoa_code,imd_decile\nE01,11\n", 1, "imd_decile", "1 to 10"),
        ("org_map__csv", "practice_code,pcn_code\nP1,U1\nP1,U2\n", 2, "practice_code", "duplicate"),
    ],
)
def test_load_bad_file_names_file_row_and_column(
    tmp_path: Path, file: str, text: str, row: int | None, column: str, problem: str
) -> None:
    _write(tmp_path, **{file: text})
    with pytest.raises(ExtractError) as caught:
        _load(tmp_path)
    error = caught.value
    assert error.file == file.replace("__", ".")
    assert (error.row, error.column) == (row, column)
    assert problem in error.problem
    assert str(error).startswith(file.replace("__", "."))


def test_missing_table_file_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path)
    (tmp_path / "medications.csv").unlink()
    with pytest.raises(ExtractError, match="medications"):
        _load(tmp_path)


def test_parquet_extract_loads_like_csv(tmp_path: Path) -> None:
    csv_folder = tmp_path / "csv"
    csv_folder.mkdir()
    from_csv = _load(_write(csv_folder))
    parquet_folder = tmp_path / "parquet"
    parquet_folder.mkdir()
    for name, table in from_csv.tables.items():  # type: ignore[attr-defined]
        pq.write_table(table, parquet_folder / f"{name}.parquet")
    for name in ("deprivation.csv", "org_map.csv"):
        (parquet_folder / name).write_text(GOOD[name])
    from_parquet = _load(parquet_folder)
    for name, table in from_csv.tables.items():  # type: ignore[attr-defined]
        assert from_parquet.tables[name].equals(table)  # type: ignore[attr-defined]


def test_parquet_with_text_dates_is_validated(tmp_path: Path) -> None:
    _write(tmp_path)
    (tmp_path / "medications.csv").unlink()
    pq.write_table(
        pa.table({"patient_id": ["1"], "date": ["2020-02-30"], "dmd_code": ["x"]}),
        tmp_path / "medications.parquet",
    )
    with pytest.raises(ExtractError) as caught:
        _load(tmp_path)
    assert (caught.value.file, caught.value.row, caught.value.column) == (
        "medications.parquet",
        1,
        "date",
    )
