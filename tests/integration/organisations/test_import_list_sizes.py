"""Importing registered list sizes: the quin-age file and the single-year-of-age family."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Sum

from openpcn.core.models import AuditEvent
from openpcn.organisations.importers import ImportFileError, import_list_sizes
from openpcn.organisations.models import PopulationBand, PopulationSnapshot, Practice

SEP_2017 = dt.date(2017, 9, 1)
OCT_2017 = dt.date(2017, 10, 1)

pytestmark = pytest.mark.django_db


def registered_on(date: dt.date) -> int:
    return PopulationSnapshot.objects.filter(date=date).aggregate(n=Sum("registered"))["n"]


def test_import_list_sizes_quin_age_totals_match_the_file(shared_dir):
    result = import_list_sizes(by=None, path=shared_dir / "nhs-data/gp-reg-pat-prac-quin-age.csv")
    assert result.rows == 172
    assert result.details["snapshots_created"] == 4
    assert registered_on(SEP_2017) == 28_281
    by_code = {
        s.practice.ods_code: s.registered
        for s in PopulationSnapshot.objects.select_related("practice")
    }
    assert by_code == {"B85010": 6_939, "B85054": 10_529, "L84018": 6_632, "L84073": 4_181}
    # The bands of every practice add up to its list; 40 bands each (2 sexes x 20).
    assert PopulationBand.objects.aggregate(n=Sum("patients"))["n"] == 28_281
    dalton = PopulationSnapshot.objects.get(practice__ods_code="B85010", date=SEP_2017)
    assert dalton.source == "gp-reg-pat-prac-quin-age.csv"
    assert dalton.bands.count() == 40
    assert dalton.bands.filter(sex="female").aggregate(n=Sum("patients"))["n"] == 3_517
    assert dalton.bands.filter(sex="male").aggregate(n=Sum("patients"))["n"] == 3_422
    youngest = dalton.bands.get(sex="female", age_from=0)
    assert (youngest.age_to, youngest.patients) == (4, 212)
    oldest = dalton.bands.get(sex="male", age_from=95)
    assert oldest.age_to is None and oldest.label == "95+"


def test_import_list_sizes_creates_unknown_practices_named_by_code(shared_dir):
    import_list_sizes(by=None, path=shared_dir / "nhs-data/gp-reg-pat-prac-quin-age.csv")
    dalton = Practice.objects.get(ods_code="B85010")
    # Named by its code until an epraccur or practice-map import gives it its name.
    assert (dalton.name, dalton.postcode, dalton.kind) == ("B85010", "HD5 8DY", "practice")


def test_import_list_sizes_next_month_adds_a_second_snapshot(shared_dir):
    import_list_sizes(by=None, path=shared_dir / "nhs-data/gp-reg-pat-prac-quin-age.csv")
    result = import_list_sizes(
        by=None, path=shared_dir / "nhs-data/gp-reg-pat-prac-quin-age-2017-10.csv"
    )
    assert result.details == {"practices_unchanged": 4, "snapshots_created": 4}
    assert PopulationSnapshot.objects.count() == 8
    assert registered_on(SEP_2017) == 28_281
    assert registered_on(OCT_2017) == 28_276
    dalton = Practice.objects.get(ods_code="B85010")
    assert dalton.population_snapshots.latest().registered == 6_951
    assert [s.date for s in dalton.population_snapshots.all()] == [OCT_2017, SEP_2017]


def test_import_list_sizes_single_age_total_file_matches_national_total(shared_dir):
    result = import_list_sizes(by=None, path=shared_dir / "nhs-data/gp-reg-pat-prac-all.csv")
    january = dt.date(2021, 1, 1)
    assert result.details["snapshots_created"] == 6_658
    assert PopulationSnapshot.objects.filter(date=january).count() == 6_658
    assert registered_on(january) == 60_606_345
    largest = PopulationSnapshot.objects.get(practice__ods_code="E85124")
    assert (largest.registered, largest.practice.postcode) == (89_786, "SW6 7SX")
    assert PopulationSnapshot.objects.get(practice__ods_code="Y02157").registered == 1
    # Only ALL/ALL rows in this file: totals without bands.
    assert not PopulationBand.objects.exists()
    event = AuditEvent.objects.get(action="import_list_sizes")
    assert event.after["registered"] == 60_606_345
    assert event.after["practices"] == 6_658


SINGLE_AGE_HEADER = "PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS"


def single_age_file(tmp_path, *, with_all_rows: bool = True, bump: int = 0):
    """A single-year-of-age file (ORG_TYPE/ORG_CODE/AGE header) for one practice: 1 patient a year
    of age per sex for 0–94, and 10 per sex aged 95 and over."""
    lines = [SINGLE_AGE_HEADER]
    prefix = "GP_PRAC_PAT_LIST,01-Apr-26,GP,B85010,HD5 8DY"
    if with_all_rows:
        lines.append(f"{prefix},ALL,ALL,{2 * 105 + bump}")
    for sex in ("FEMALE", "MALE"):
        if with_all_rows:
            lines.append(f"{prefix},{sex},ALL,105")
        lines += [f"{prefix},{sex},{age},1" for age in range(95)]
        lines.append(f"{prefix},{sex},95+,10")
    lines.append("GP_PRAC_PAT_LIST,01-Apr-26,SUB_ICB,X2C4Y,,ALL,ALL,999999")
    path = tmp_path / "gp-reg-pat-prac-sing-age.csv"
    path.write_text("\r\n".join(lines) + "\r\n")
    return path


def test_import_list_sizes_single_age_bands_by_name_with_org_type_header(tmp_path):
    result = import_list_sizes(by=None, path=single_age_file(tmp_path))
    snapshot = PopulationSnapshot.objects.get()
    assert (snapshot.date, snapshot.registered) == (dt.date(2026, 4, 1), 210)
    assert snapshot.bands.count() == 2 * 96
    age_37 = snapshot.bands.get(sex="male", age_from=37)
    assert (age_37.age_to, age_37.patients) == (37, 1)
    assert snapshot.bands.get(sex="female", age_from=95).age_to is None
    # The sub-ICB total row is not a practice.
    assert result.skipped == 1
    assert Practice.objects.count() == 1


def test_import_list_sizes_without_all_rows_takes_the_sum_of_the_bands(tmp_path):
    import_list_sizes(by=None, path=single_age_file(tmp_path, with_all_rows=False))
    assert PopulationSnapshot.objects.get().registered == 210


def test_import_list_sizes_rejects_bands_that_do_not_add_up_naming_the_all_row(tmp_path):
    with pytest.raises(ImportFileError, match="add up to 210, not 211") as raised:
        import_list_sizes(by=None, path=single_age_file(tmp_path, bump=1))
    assert (raised.value.row, raised.value.column) == (2, "NUMBER_OF_PATIENTS")
    assert not PopulationSnapshot.objects.exists()
    assert not Practice.objects.exists()


def test_import_list_sizes_rejects_a_sex_whose_bands_do_not_add_up(shared_dir, tmp_path):
    lines = (shared_dir / "nhs-data/gp-reg-pat-prac-quin-age.csv").read_bytes().split(b"\r\n")
    # Line 3 is B85010 FEMALE 0_4 (212); line 23 is its FEMALE ALL row (3517).
    assert lines[2].endswith(b",FEMALE,0_4,212") and lines[22].endswith(b",FEMALE,ALL,3517")
    lines[2] = lines[2].replace(b",212", b",213")
    path = tmp_path / "gp-reg-pat-prac-quin-age.csv"
    path.write_bytes(b"\r\n".join(lines))
    with pytest.raises(ImportFileError, match="FEMALE age bands add up to 3,518") as raised:
        import_list_sizes(by=None, path=path)
    assert (raised.value.row, raised.value.column) == (23, "NUMBER_OF_PATIENTS")


def test_import_list_sizes_needs_population_import_permission(universe, shared_dir):
    path = shared_dir / "nhs-data/gp-reg-pat-prac-quin-age.csv"
    with pytest.raises(PermissionDenied):
        import_list_sizes(by=universe.users["clinician"], path=path)
    assert not PopulationSnapshot.objects.filter(date=SEP_2017).exists()
    analyst = universe.users["alliance_analyst"]
    import_list_sizes(by=analyst, path=path)
    assert registered_on(SEP_2017) == 28_281
    event = AuditEvent.objects.get(action="import_list_sizes")
    assert (event.actor, event.object_type, event.object_label) == (
        analyst,
        "file",
        "gp-reg-pat-prac-quin-age.csv",
    )
