"""`openpcn policies reviews` and `openpcn policies evidence`."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from openpcn.cli.main import main
from openpcn.policies import actions
from tests.files import pdf_text

pytestmark = pytest.mark.django_db


def test_reviews_lists_what_is_due_and_out_of_date(policies, capsys) -> None:  # type: ignore[no-untyped-def]
    lapsed = actions.create_policy(
        by=None,
        organisation=policies.universe.north,
        title="Lone working policy",
        category="health_and_safety",
        owner=policies.owner,
        approver=policies.owner,
        review_date=dt.date.today() - dt.timedelta(days=1),
        body="Ring in after each visit.",
    )
    actions.approve_version(by=None, version=lapsed)
    actions.publish_version(by=None, version=lapsed)
    assert main(["policies", "reviews"]) == 0
    out = capsys.readouterr().out
    assert "OUT OF DATE  North Alliance: Lone working policy, version 1 (owner Olu Owen)" in out
    assert "Chaperone" not in out  # its review is a year away
    assert "1 policy due within 60 days" in out


def test_evidence_writes_the_practices_pack(policies, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    actions.adopt_version(by=None, practice=policies.universe.p1, version=policies.chaperone)
    assert main(["policies", "evidence", "P00001", str(tmp_path / "p1.pdf")]) == 0
    assert b"Chaperone policy" in pdf_text((tmp_path / "p1.pdf").read_bytes())
    assert main(["policies", "evidence", "p00001", str(tmp_path / "p1.xlsx")]) == 0
    assert load_workbook(tmp_path / "p1.xlsx")["Policies"]["A5"].value == "Chaperone policy"
    assert main(["policies", "evidence", "P00001", str(tmp_path / "p1.csv")]) == 2
    assert main(["policies", "evidence", "X99999", str(tmp_path / "x.pdf")]) == 1
    assert "No practice has the ODS code X99999" in capsys.readouterr().err
