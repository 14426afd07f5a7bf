"""`openpcn import …`: the command line runs the importers, prints a summary, reports bad files."""

from __future__ import annotations

import pytest

from openpcn.cli.main import main
from openpcn.core.models import AuditEvent
from openpcn.organisations.models import Organisation, PopulationSnapshot, Practice

pytestmark = pytest.mark.django_db


def test_import_cli_list_sizes_prints_a_summary(shared_dir, capsys):
    path = shared_dir / "nhs-data/gp-reg-pat-prac-quin-age.csv"
    assert main(["import", "list-sizes", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.strip() == (
        "gp-reg-pat-prac-quin-age.csv: 172 rows; 8 created, 0 updated, 0 unchanged"
    )
    assert PopulationSnapshot.objects.count() == 4
    event = AuditEvent.objects.get(action="import_list_sizes")
    assert (event.actor, event.actor_label) == (None, "command line")


def test_import_cli_epraccur_all_settings(shared_dir, capsys):
    path = shared_dir / "nhs-data/epraccur-2017-08-4-practices.csv"
    assert main(["import", "epraccur", "--all-settings", str(path)]) == 0
    assert "4 created" in capsys.readouterr().out
    assert Practice.objects.count() == 4
    assert main(["import", "epraccur", str(path)]) == 0
    assert "0 created, 0 updated, 4 unchanged" in capsys.readouterr().out


def test_import_cli_reports_a_bad_file_with_row_and_column(tmp_path, capsys):
    path = tmp_path / "gp-reg-pat-prac-quin-age.csv"
    path.write_bytes(
        b"PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,POSTCODE,SEX,AGE_GROUP_5,"
        b"NUMBER_OF_PATIENTS\r\n"
        b"GP_PRAC_PAT_LIST,01SEP2017,GP,B85010,,HD5 8DY,ALL,ALL,6939\r\n"
        b"GP_PRAC_PAT_LIST,01SEP2017,GP,B85010,,HD5 8DY,FEMALE,0_4,lots\r\n"
    )
    assert main(["import", "list-sizes", str(path)]) == 1
    err = capsys.readouterr().err
    assert (
        "openpcn: gp-reg-pat-prac-quin-age.csv, row 3, column NUMBER_OF_PATIENTS: "
        "'lots' is not a whole number (nothing was imported)"
    ) in err
    assert not Organisation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_import_cli_reports_a_missing_file(tmp_path, capsys):
    assert main(["import", "epcn", str(tmp_path / "ePCN.xlsx")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_import_cli_needs_a_kind_and_a_file(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["import"])
    assert exited.value.code == 2
    with pytest.raises(SystemExit):
        main(["import", "practice-map"])
    assert "FILE" in capsys.readouterr().err
