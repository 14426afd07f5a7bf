"""`openpcn roster solve-curtois` and `score-curtois`, called through the CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openpcn.cli.main import main


def test_cli_solve_and_score_instance1(
    curtois_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "roster.json"
    code = main(
        [
            "roster",
            "solve-curtois",
            str(curtois_dir / "Instance1.txt"),
            "--time-limit",
            "20",
            "--workers",
            "2",
            "--seed",
            "3",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    line = json.loads(capsys.readouterr().out)
    assert set(line) == {"instance", "objective", "lower_bound", "status", "seconds"}
    assert (line["instance"], line["objective"], line["status"]) == ("Instance1", 607, "OPTIMAL")
    roster = json.loads(out.read_text())
    assert roster["instance"] == "Instance1"
    assert roster["objective"] == 607
    assert sorted(roster["assignments"]) == list("ABCDEFGH")
    assert all(
        len(days) == 14 and set(days) <= {"", "D"} for days in roster["assignments"].values()
    )

    assert main(["roster", "score-curtois", str(curtois_dir / "Instance1.txt"), str(out)]) == 0
    score = json.loads(capsys.readouterr().out)
    assert score == {"instance": "Instance1", "objective": 607, "feasible": True, "violations": []}


def test_cli_score_reports_broken_rules(
    curtois_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "roster.json"
    everyone_every_day = {e: ["D"] * 14 for e in "ABCDEFGH"}
    roster.write_text(json.dumps({"instance": "Instance1", "assignments": everyone_every_day}))
    assert main(["roster", "score-curtois", str(curtois_dir / "Instance1.txt"), str(roster)]) == 1
    score = json.loads(capsys.readouterr().out)
    assert score["feasible"] is False
    assert any("working days in a row" in v for v in score["violations"])


def test_cli_malformed_instance_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    instance = tmp_path / "Broken.txt"
    instance.write_text("SECTION_HORIZON\n14\n\nSECTION_SHIFTS\nD,eight hours,\n")
    code = main(
        [
            "roster",
            "solve-curtois",
            str(instance),
            "--time-limit",
            "1",
            "--workers",
            "1",
            "--seed",
            "0",
            "--out",
            str(tmp_path / "out.json"),
        ]
    )
    assert code == 1
    error = capsys.readouterr().err
    assert f"{instance}, line 5: shift length must be a whole number, got 'eight hours'" in error


def test_cli_rejects_bad_workers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "roster",
            "solve-curtois",
            "x.txt",
            "--time-limit",
            "1",
            "--workers",
            "0",
            "--seed",
            "0",
            "--out",
            str(tmp_path / "out.json"),
        ]
    )
    assert code == 1
    assert "--workers must be at least 1" in capsys.readouterr().err
