"""Spec tests: each indicator on tiny tables, on the reference engine and on DuckDB.

Each test pins one of the settled definitions (population-methods.md §7). Results are
{patient_id: (in denominator, in numerator)}.
"""

from __future__ import annotations

import datetime

import pytest
from population_spec import (
    CODELISTS,
    EFI_OTHER_THAN_SHARED,
    ENGINES,
    SHARED_EFI_CODE,
    extract,
    run_indicator,
    run_series,
)

from openpcn.population.engine import query_model as qm
from openpcn.population.engine.indicators import build_cohorts

AS_OF = datetime.date(2026, 3, 31)

pytestmark = pytest.mark.parametrize("engine", ENGINES)


def test_base_population_registration_and_death(engine: str) -> None:
    tables = extract(
        patients="""
          patient_id | date_of_birth | sex     | date_of_death
          1          | 1960-01-01    | female  |
          2          | 1960-01-01    | male    | 2026-03-31
          3          | 1960-01-01    | male    | 2026-04-01
          4          | 1960-01-01    | unknown |
          5          | 1960-01-01    | female  |
          6          | 1960-01-01    | female  |
        """,
        registrations="""
          patient_id | practice_code | start_date | end_date
          1          | P1            | 2000-01-01 |
          2          | P1            | 2000-01-01 |
          3          | P1            | 2000-01-01 |
          4          | P1            | 2000-01-01 | 2026-03-31
          5          | P1            | 2026-03-31 | 2026-04-01
          6          | P1            | 2026-04-01 |
        """,
    )
    result = run_indicator(engine, tables, "HYP_REG", AS_OF)
    # Died on as-of: not alive; registration ending on as-of: not registered; starting: registered.
    assert {pid: den for pid, (den, _) in result.items()} == {
        "1": True,
        "2": False,
        "3": True,
        "4": False,
        "5": True,
        "6": False,
    }


def test_hyp_reg_latest_diagnosis_must_be_strictly_after_resolved(engine: str) -> None:
    tables = extract(
        patients="""
          patient_id | date_of_birth | sex
          1          | 1960-01-01    | female
          2          | 1960-01-01    | female
          3          | 1960-01-01    | female
          4          | 1960-01-01    | female
          5          | 1960-01-01    | female
          6          | 1960-01-01    | female
        """,
        events="""
          patient_id | date       | snomedct_code
          1          | 2010-01-01 | {HYP}
          2          | 2010-01-01 | {HYP}
          2          | 2015-01-01 | {HYPRES}
          3          | 2010-01-01 | {HYPRES}
          3          | 2015-01-01 | {HYP}
          4          | 2015-01-01 | {HYP}
          4          | 2015-01-01 | {HYPRES}
          5          | 2026-04-01 | {HYP}
          6          | 2010-01-01 | {HYP}
          6          | 2026-04-01 | {HYPRES}
        """,
    )
    result = run_indicator(engine, tables, "HYP_REG", AS_OF)
    # Same-day resolution: off; anything after as-of is ignored (5 off, 6 stays on).
    assert {pid: num for pid, (_, num) in result.items()} == {
        "1": True,
        "2": False,
        "3": True,
        "4": False,
        "5": False,
        "6": True,
    }


def test_hyp_bp_control_age_thresholds_and_window(engine: str) -> None:
    tables = extract(
        patients="""
          patient_id | date_of_birth | sex
          1          | 1946-05-01    | female
          2          | 1946-03-01    | female
          3          | 1946-05-01    | male
          4          | 1946-05-01    | male
          5          | 1946-05-01    | male
          6          | 1946-05-01    | male
          7          | 1960-01-01    | male
        """,
        events="""
          patient_id | date       | snomedct_code | numeric_value
          1          | 2000-01-01 | {HYP}         |
          1          | 2026-01-01 | {SYS}         | 140
          1          | 2026-01-01 | {DIA}         | 90
          2          | 2000-01-01 | {HYP}         |
          2          | 2026-01-01 | {SYS}         | 150
          2          | 2026-01-01 | {DIA}         | 90
          3          | 2000-01-01 | {HYP}         |
          3          | 2026-01-01 | {SYS}         | 141
          3          | 2026-01-01 | {DIA}         | 80
          4          | 2000-01-01 | {HYP}         |
          4          | 2025-03-31 | {SYS}         | 120
          4          | 2025-04-01 | {DIA}         | 70
          5          | 2000-01-01 | {HYP}         |
          5          | 2025-04-01 | {SYS}         | 120
          5          | 2025-06-01 | {DIA}         | 70
          5          | 2026-02-01 | {SYS}         | 160
          5          | 2026-02-01 | {SYS}         | 130
          5          | 2026-03-01 | {SYS}         |
          6          | 2000-01-01 | {HYP}         |
          6          | 2026-01-01 | {SYS}         | 120
          7          | 2026-01-01 | {SYS}         | 120
          7          | 2026-01-01 | {DIA}         | 70
        """,
    )
    result = run_indicator(engine, tables, "HYP_BP_CONTROL", AS_OF)
    assert result == {
        "1": (True, True),  # aged 79: 140/90 is on target
        "2": (True, True),  # aged 80: 150/90 is on target
        "3": (True, False),  # 141 systolic under 80
        "4": (True, False),  # systolic exactly a year before as-of is outside the window
        "5": (True, True),  # latest same-day systolic: the lowest (130); a value-less code ignored
        "6": (True, False),  # no diastolic
        "7": (False, False),  # not on the register
    }


def test_dm_reg_age_17_and_hba1c_control_with_dcct_conversion(engine: str) -> None:
    tables = extract(
        patients="""
          patient_id | date_of_birth | sex
          1          | 2009-04-01    | female
          2          | 2009-03-01    | female
          3          | 1970-01-01    | male
          4          | 1970-01-01    | male
          5          | 1970-01-01    | male
          6          | 1970-01-01    | male
          7          | 1970-01-01    | male
        """,
        events="""
          patient_id | date       | snomedct_code | numeric_value
          1          | 2020-01-01 | {DM}          |
          2          | 2020-01-01 | {DM}          |
          3          | 2020-01-01 | {DM}          |
          3          | 2026-01-01 | {HBA1C}       | 58
          4          | 2020-01-01 | {DM}          |
          4          | 2026-01-01 | {HBA1C}       | 59
          5          | 2020-01-01 | {DM}          |
          5          | 2026-01-01 | {HBA1C_DCCT}  | 7.4
          6          | 2020-01-01 | {DM}          |
          6          | 2026-01-01 | {HBA1C_DCCT}  | 7.5
          7          | 2020-01-01 | {DM}          |
          7          | 2021-01-01 | {DMRES}       |
        """,
    )
    register = run_indicator(engine, tables, "DM_REG", AS_OF)
    assert register["1"] == (False, False)  # aged 16
    assert register["2"] == (True, True)  # 17 on as-of
    assert register["7"] == (True, False)  # resolved
    control = run_indicator(engine, tables, "DM_HBA1C_CONTROL", AS_OF)
    assert {pid: value for pid, value in control.items() if value[0]} == {
        "2": (True, False),  # no HbA1c
        "3": (True, True),  # 58 mmol/mol
        "4": (True, False),  # 59
        "5": (True, True),  # 7.4% -> 57.4 mmol/mol
        "6": (True, False),  # 7.5% -> 58.5 mmol/mol
    }


def test_any_code_ever_registers(engine: str) -> None:
    tables = extract(
        patients="""
          patient_id | date_of_birth | sex
          1          | 2020-04-01    | female
          2          | 2020-03-01    | female
          3          | 1970-01-01    | male
          4          | 1970-01-01    | male
        """,
        events="""
          patient_id | date       | snomedct_code
          1          | 2025-01-01 | {AST}
          2          | 2025-01-01 | {AST}
          3          | 2025-01-01 | {COPD}
          3          | 2025-01-01 | {SMI}
          3          | 2025-01-01 | {LD}
          4          | 2026-04-01 | {COPD}
        """,
    )
    assert run_indicator(engine, tables, "AST_REG", AS_OF)["1"] == (False, False)  # aged 5
    assert run_indicator(engine, tables, "AST_REG", AS_OF)["2"] == (True, True)  # aged 6
    for indicator in ("COPD_REG", "SMI_REG", "LD_REG"):
        result = run_indicator(engine, tables, indicator, AS_OF)
        assert result["3"] == (True, True)
        assert result["4"] == (True, False)  # code after as-of ignored


def _deficits(patient: str, count: int, day: str = "2020-01-01") -> str:
    return "\n".join(f"{patient} | {day} | {{EFI{k + 1}}} |" for k in range(count))


def _medicines(patient: str, count: int, day: str, code_base: int = 1000) -> str:
    return "\n".join(f"{patient} | {day} | {code_base + k}" for k in range(count))


def test_efi_moderate_severe_threshold_and_polypharmacy(engine: str) -> None:
    tables = extract(
        patients="""
          patient_id | date_of_birth | sex
          1          | 1950-01-01    | female
          2          | 1950-01-01    | female
          3          | 1950-01-01    | female
          4          | 1950-01-01    | female
          5          | 1962-01-01    | female
          6          | 1950-01-01    | female
        """,
        events="patient_id | date | snomedct_code | numeric_value\n"
        + "\n".join(
            [
                _deficits("1", 9),
                _deficits("2", 8),
                _deficits("3", 8),
                _deficits("4", 8),
                _deficits("5", 9),
                *(f"6 | 2020-01-01 | {{{name}}} |" for name in EFI_OTHER_THAN_SHARED[:7]),
                f"6 | 2020-01-01 | {SHARED_EFI_CODE} |",
                _deficits("1", 9, "2021-01-01"),
            ]
        ),
        medications="patient_id | date | dmd_code\n"
        + "\n".join(
            [
                _medicines("3", 5, "2026-01-01"),
                _medicines("4", 4, "2026-01-01"),
                "4 | 2026-02-01 | 1000",
                "4 | 2025-03-31 | 2000",
            ]
        ),
    )
    result = run_indicator(engine, tables, "EFI_MODERATE_SEVERE", AS_OF)
    assert result == {
        "1": (True, True),  # 9/36 = 0.25 (repeated deficits count once)
        "2": (True, False),  # 8/36
        "3": (True, True),  # 8 + polypharmacy
        "4": (True, False),  # 4 distinct in 12 months: a repeat and an old one do not count
        "5": (False, False),  # aged 64
        "6": (True, True),  # 7 + a code listed under two deficits
    }


def test_smr_priority_each_route(engine: str) -> None:
    tables = extract(
        patients="""
          patient_id | date_of_birth | sex
          1          | 1980-01-01    | female
          2          | 1980-01-01    | female
          3          | 1980-01-01    | female
          4          | 1980-01-01    | female
          5          | 1980-01-01    | female
          6          | 1980-01-01    | female
          7          | 1950-01-01    | female
          8          | 1950-01-01    | female
          9          | 1980-01-01    | female
        """,
        events="patient_id | date | snomedct_code | numeric_value\n"
        + "\n".join(
            [
                "1 | 2015-01-01 | {CAREHOME} |",
                "2 | 2015-01-01 | {NURSING_HOME} |",
                _deficits("7", 13),
                _deficits("8", 12),
            ]
        ),
        medications="patient_id | date | dmd_code\n"
        + "\n".join(
            [
                _medicines("3", 10, "2025-10-01"),
                _medicines("4", 9, "2025-10-01"),
                _medicines("4", 5, "2025-09-30", 5000),
                "5 | 2025-10-01 | {OPIOID}",
                "6 | 2025-09-30 | {OPIOID}",
                "9 | 2026-04-01 | {OPIOID}",
            ]
        ),
    )
    result = run_indicator(engine, tables, "SMR_PRIORITY", AS_OF)
    assert {pid: num for pid, (_, num) in result.items()} == {
        "1": True,  # care-home code
        "2": True,  # residential-status code
        "3": True,  # 10 distinct medicines in 6 months
        "4": False,  # 9 in 6 months; 30 September is outside (31 March − 6 months)
        "5": True,  # dependence-forming medicine on 1 October
        "6": False,  # … on 30 September: outside the window
        "7": True,  # aged 76, eFI 13/36 > 0.36
        "8": False,  # eFI 12/36 = 0.333
        "9": False,  # after as-of
    }


def test_hyp_case_finding(engine: str) -> None:
    tables = extract(
        patients="""
          patient_id | date_of_birth | sex
          1          | 1970-01-01    | female
          2          | 1970-01-01    | female
          3          | 1970-01-01    | female
          4          | 1970-01-01    | female
          5          | 2008-04-01    | female
        """,
        events="""
          patient_id | date       | snomedct_code | numeric_value
          1          | 2026-01-01 | {SYS}         | 140
          2          | 2026-01-01 | {SYS}         | 139
          2          | 2026-01-01 | {DIA}         | 90
          3          | 2026-01-01 | {SYS}         | 139
          3          | 2026-01-01 | {DIA}         | 89
          4          | 2020-01-01 | {HYP}         |
          4          | 2026-01-01 | {SYS}         | 170
          5          | 2026-01-01 | {SYS}         | 170
        """,
    )
    result = run_indicator(engine, tables, "HYP_CASE_FINDING", AS_OF)
    assert result == {
        "1": (True, True),
        "2": (True, True),
        "3": (True, False),
        "4": (False, False),  # already on the register
        "5": (False, False),  # aged 17
    }


def test_bp_recording_and_dm_bp_control(engine: str) -> None:
    tables = extract(
        patients="""
          patient_id | date_of_birth | sex
          1          | 1970-01-01    | female
          2          | 1970-01-01    | female
          3          | 1990-01-01    | female
          4          | 1970-01-01    | female
          5          | 1970-01-01    | female
        """,
        events="""
          patient_id | date       | snomedct_code | numeric_value
          1          | 2020-01-01 | {HYP}         |
          1          | 2020-01-01 | {DM}          |
          1          | 2026-01-01 | {SYS}         | 140
          1          | 2026-01-01 | {DIA}         | 80
          2          | 2020-01-01 | {DM}          |
          2          | 2026-01-01 | {SYS}         | 140
          2          | 2026-01-01 | {DIA}         | 81
          3          | 2026-01-01 | {BP}          |
          4          | 2020-01-01 | {HYP}         |
          4          | 2021-03-31 | {BP}          |
          5          | 2021-04-01 | {BP}          |
        """,
    )
    assert run_indicator(engine, tables, "BP_CHECK_45PLUS", AS_OF) == {
        "1": (True, True),  # systolic and diastolic codes are BP recordings
        "2": (True, True),
        "3": (False, False),  # aged 36
        "4": (True, False),  # exactly five years before as-of: outside
        "5": (True, True),
    }
    recorded = run_indicator(engine, tables, "HYP_BP_RECORDED", AS_OF)
    assert {pid: value for pid, value in recorded.items() if value[0]} == {
        "1": (True, True),
        "4": (True, False),
    }
    assert run_indicator(engine, tables, "DM_BP_CONTROL", AS_OF) == {
        "1": (True, True),
        "2": (True, False),  # diastolic 81 > 80
        "3": (False, False),
        "4": (False, False),
        "5": (False, False),
    }


def test_smr_completed_and_dependence_medicine_review(engine: str) -> None:
    tables = extract(
        patients="""
          patient_id | date_of_birth | sex
          1          | 1970-01-01    | female
          2          | 1970-01-01    | female
          3          | 1970-01-01    | female
        """,
        events="""
          patient_id | date       | snomedct_code | numeric_value
          1          | 2026-01-01 | {SMR}         |
          2          | 2024-01-01 | {SMR}         |
          3          | 2026-01-01 | {MEDRVW}      |
        """,
        medications="""
          patient_id | date       | dmd_code
          1          | 2026-03-01 | {OPIOID}
          2          | 2026-03-01 | {OPIOID}
        """,
    )
    assert run_indicator(engine, tables, "SMR_COMPLETED", AS_OF) == {
        "1": (True, True),
        "2": (True, False),
        "3": (False, False),
    }
    assert run_indicator(engine, tables, "DEPENDENCE_MED_REVIEW", AS_OF) == {
        "1": (True, True),  # an SMR is a medication review
        "2": (True, False),
        "3": (False, False),
    }


def test_registration_on_date_prefers_latest_start_then_longest(engine: str) -> None:
    tables = extract(
        patients="""
          patient_id | date_of_birth | sex
          1          | 1970-01-01    | female
          2          | 1970-01-01    | female
          3          | 1970-01-01    | female
        """,
        registrations="""
          patient_id | practice_code | start_date | end_date
          1          | P1            | 2000-01-01 |
          1          | P2            | 2010-01-01 | 2030-01-01
          2          | P2            | 2010-01-01 | 2030-01-01
          2          | P3            | 2010-01-01 |
          3          | P5            | 2010-01-01 | 2030-01-01
          3          | P4            | 2010-01-01 | 2030-01-01
        """,
    )
    rows = run_series(engine, tables, {"practice": qm.PracticeOnDate(AS_OF)})
    assert {row["patient_id"]: row["practice"] for row in rows} == {"1": "P2", "2": "P3", "3": "P4"}


def test_ethnicity_latest_code_group(engine: str) -> None:
    tables = extract(
        patients="""
          patient_id | date_of_birth | sex
          1          | 1970-01-01    | female
          2          | 1970-01-01    | female
          3          | 1970-01-01    | female
        """,
        events="""
          patient_id | date       | snomedct_code
          1          | 2010-01-01 | {WHITE}
          1          | 2015-01-01 | {ASIAN}
          2          | 2026-04-01 | {ASIAN}
          2          | 2010-01-01 | {WHITE}
          3          | 2010-01-01 | {OTHER}
        """,
    )
    dataset = {"ethnicity6": build_cohorts(AS_OF, CODELISTS)["ethnicity6"]}
    rows = run_series(engine, tables, dataset)
    assert {row["patient_id"]: row["ethnicity6"] for row in rows} == {
        "1": "Asian or Asian British",
        "2": "White",
        "3": "unknown",
    }
