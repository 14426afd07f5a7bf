"""`openpcn population import` and `refresh`: the platform's pipeline from the command line."""

from __future__ import annotations

import datetime as dt

from openpcn.cli.main import main
from openpcn.core.models import AuditEvent
from openpcn.population import actions, storage
from openpcn.population.models import IndicatorRefresh, JobStatus, PopulationExtract

AS_OF = dt.date(2026, 3, 31)


def test_import_then_refresh_from_the_command_line(universe, extract_csv, capsys):  # type: ignore[no-untyped-def]
    actions.record_agreement(
        by=None,
        practice=universe.p1,
        scope="alliance",
        signed_by_name="Dr A",
        signed_by_role="Caldicott Guardian",
        signed_on=dt.date.today() - dt.timedelta(days=3),
    )
    code = main(
        [
            "population",
            "import",
            "--alliance",
            "north alliance",
            "--format",
            "csv",
            str(extract_csv),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    extract = PopulationExtract.objects.get()
    assert extract.status == JobStatus.DONE and extract.uploaded_by is None
    assert f"Extract {extract.pk} loaded for North Alliance" in out
    assert "patients: 2,800 rows" in out and "practices: P00001, P00002, P00003" in out
    assert storage.extract_folder(extract.pk).is_dir()
    event = AuditEvent.objects.get(action="upload_population_extract")
    assert event.actor is None

    code = main(
        [
            "population",
            "refresh",
            "--alliance",
            str(universe.north.pk),
            "--as-of",
            AS_OF.isoformat(),
            "--months",
            "2",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    run = IndicatorRefresh.objects.get()
    assert (run.status, run.extract, run.as_of, run.months) == (JobStatus.DONE, extract, AS_OF, 2)
    assert f"{run.figures.count():,} figures for North Alliance as of 2026-03-31" in out
    assert "shared with PCN figures: P00001" in out
    assert "shared with place and alliance figures: P00001" in out
    assert "only in their own figures: P00002, P00003" in out


def test_import_of_a_bad_file_exits_non_zero_with_file_row_and_field(universe, extract_csv, capsys):  # type: ignore[no-untyped-def]
    events = extract_csv / "clinical_events.csv"
    lines = events.read_text().splitlines()
    parts = lines[5].split(",")
    parts[1] = "31/02/2025"
    lines[5] = ",".join(parts)
    events.write_text("\n".join(lines) + "\n")
    code = main(
        [
            "population",
            "import",
            "--alliance",
            "North Alliance",
            "--format",
            "csv",
            str(extract_csv),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "clinical_events.csv, row 5, date:" in err and "YYYY-MM-DD" in err
    assert "(nothing from it was kept)" in err
    extract = PopulationExtract.objects.get()
    assert extract.status == JobStatus.FAILED
    assert not storage.extract_folder(extract.pk).exists()
    assert not storage.upload_folder(extract.pk).exists()


def test_command_line_mistakes_are_reported(universe, extract_csv, tmp_path, capsys):  # type: ignore[no-untyped-def]
    assert (
        main(["population", "import", "--alliance", "Nowhere", "--format", "csv", str(extract_csv)])
        == 1
    )
    assert "no alliance called 'Nowhere'" in capsys.readouterr().err
    assert (
        main(
            [
                "population",
                "import",
                "--alliance",
                "North Alliance",
                "--format",
                "csv",
                str(tmp_path / "missing"),
            ]
        )
        == 1
    )
    assert "no such folder" in capsys.readouterr().err
    # An extract is for an alliance, not a PCN; refreshing needs a loaded extract first.
    assert (
        main(
            [
                "population",
                "import",
                "--alliance",
                str(universe.n1.pk),
                "--format",
                "csv",
                str(extract_csv),
            ]
        )
        == 1
    )
    assert main(["population", "refresh", "--alliance", "North Alliance"]) == 1
    assert "has no loaded extract" in capsys.readouterr().err
    assert main(["population", "refresh", "--alliance", "South Alliance", "--extract", "999"]) == 1
    assert "South Alliance has no extract 999" in capsys.readouterr().err
    assert not PopulationExtract.objects.exists()
