"""`openpcn population generate` and `run`, end to end through openpcn.cli.main.main."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from openpcn.cli.main import main
from openpcn.population.engine.indicators import INDICATORS


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("population")
    org_map = folder / "org_map.csv"
    org_map.write_text(
        "practice_code,pcn_code,list_size\nA81001,U00001,900\nA81002,U00001,700\nA81003,U00002,400\n"
    )
    extract = folder / "extract"
    assert (
        main(
            [
                "population",
                "generate",
                "--seed",
                "4",
                "--out",
                str(extract),
                "--org-map",
                str(org_map),
                "--format",
                "csv",
            ]
        )
        == 0
    )
    out = folder / "out"
    code = main(
        [
            "population",
            "run",
            "--extract",
            str(extract),
            "--deprivation",
            str(extract / "deprivation.csv"),
            "--org-map",
            str(org_map),
            "--as-of",
            "2026-03-31",
            "--out",
            str(out),
            "--months",
            "3",
            "--alliance-code",
            "EL01",
        ]
    )
    assert code == 0
    return out


def test_indicators_csv_has_every_practice_pcn_and_alliance(outputs: Path) -> None:
    rows = _rows(outputs / "indicators.csv")
    assert list(rows[0]) == [
        "indicator",
        "org_type",
        "org_code",
        "numerator",
        "denominator",
        "value",
    ]
    for indicator in INDICATORS:
        mine = [r for r in rows if r["indicator"] == indicator.id]
        assert {(r["org_type"], r["org_code"]) for r in mine} == {
            ("practice", "A81001"),
            ("practice", "A81002"),
            ("practice", "A81003"),
            ("pcn", "U00001"),
            ("pcn", "U00002"),
            ("alliance", "EL01"),
        }
        practices = [r for r in mine if r["org_type"] == "practice"]
        alliance = next(r for r in mine if r["org_type"] == "alliance")
        assert sum(int(r["numerator"]) for r in practices) == int(alliance["numerator"])
        for row in mine:
            if int(row["denominator"]):
                assert float(row["value"]) == pytest.approx(
                    int(row["numerator"]) / int(row["denominator"])
                )
            else:
                assert row["value"] == ""


def test_published_file_has_no_small_counts_below_alliance(outputs: Path) -> None:
    rows = _rows(outputs / "indicators_published.csv")
    for row in rows:
        for column in ("numerator", "denominator"):
            value = row[column]
            if row["org_type"] == "alliance" or value == "*":
                continue
            assert int(value) % 5 == 0 and not 1 <= int(value) <= 7
    assert any(row["numerator"] == "*" for row in rows)  # some small registers are suppressed


def test_group_breakdowns_cover_imd_and_ethnicity(outputs: Path) -> None:
    rows = _rows(outputs / "indicators_by_group.csv")
    assert list(rows[0])[3:5] == ["group_type", "group"]
    imd = {r["group"] for r in rows if r["group_type"] == "imd_quintile"}
    assert imd <= {"1", "2", "3", "4", "5", "unknown"} and "1" in imd
    ethnicity = {r["group"] for r in rows if r["group_type"] == "ethnicity6"}
    assert {"White", "unknown"} <= ethnicity
    # Group rows add up to the organisation's total.
    totals = {
        (r["indicator"], r["org_code"]): int(r["denominator"])
        for r in _rows(outputs / "indicators.csv")
    }
    imd_sum: dict[tuple[str, str], int] = {}
    for r in rows:
        if r["group_type"] == "imd_quintile":
            key = (r["indicator"], r["org_code"])
            imd_sum[key] = imd_sum.get(key, 0) + int(r["denominator"])
    assert imd_sum == totals


def test_variation_spc_and_worklists_are_written(outputs: Path) -> None:
    variation = _rows(outputs / "variation.csv")
    assert {r["org_type"] for r in variation} == {"practice", "pcn"}
    assert all(0 <= float(r["percentile"]) <= 100 for r in variation if r["percentile"])
    monthly = _rows(outputs / "indicators_monthly.csv")
    assert sorted({r["date"] for r in monthly}) == ["2026-01-31", "2026-02-28", "2026-03-31"]
    assert {r["point_type"] for r in monthly} <= {
        "",
        "common_cause",
        "special_cause_improvement",
        "special_cause_concern",
        "special_cause_neither",
    }
    worklists = sorted(p.name for p in (outputs / "worklists").iterdir())
    assert worklists == ["A81001.csv", "A81002.csv", "A81003.csv"]
    entries = _rows(outputs / "worklists" / "A81001.csv")
    assert entries and list(entries[0]) == ["patient_id", "indicator", "reason"]
    assert {e["indicator"] for e in entries} <= {i.id for i in INDICATORS if i.worklist}


def test_bad_extract_reports_file_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extract = tmp_path / "extract"
    assert (
        main(
            [
                "population",
                "generate",
                "--patients",
                "50",
                "--seed",
                "1",
                "--out",
                str(extract),
                "--format",
                "csv",
            ]
        )
        == 0
    )
    patients = extract / "patients.csv"
    lines = patients.read_text().splitlines()
    fields = lines[3].split(",")
    fields[1] = "1970-02-31"
    lines[3] = ",".join(fields)
    patients.write_text("\n".join(lines) + "\n")
    code = main(
        [
            "population",
            "run",
            "--extract",
            str(extract),
            "--deprivation",
            str(extract / "deprivation.csv"),
            "--org-map",
            str(extract / "organisation_map.csv"),
            "--as-of",
            "2026-03-31",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 1
    error = capsys.readouterr().err
    assert "patients.csv, row 3, column date_of_birth" in error
    assert not (tmp_path / "out").exists()  # nothing produced from a bad extract


def test_generate_needs_a_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["population", "generate", "--seed", "1", "--out", str(tmp_path)]) == 1
    assert "--patients" in capsys.readouterr().err
