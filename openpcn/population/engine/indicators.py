"""Indicators as data, and the named cohorts (query-model series) they are written in.

An indicator names two cohorts: its denominator and its numerator. A patient counts in the
numerator only when also in the denominator. Cohorts are built for one as-of date from the
codelists, following the settled definitions in docs (population-methods.md §7):
nothing after the as-of date counts; "last 12 months" is (as-of − 1 year, as-of]; "last 6 months"
clamps month ends; registers need the latest diagnosis strictly after the latest resolved code.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from openpcn.population.engine import query_model as qm
from openpcn.population.engine.codelist_library import (
    EFI_DEFICIT_COUNT,
    HBA1C_DCCT_CODES,
    UNKNOWN,
    Codelists,
)
from openpcn.population.engine.statistics import imd_quintile

AUTHOR = "OpenPCN population engine (issue 6)"
REVIEWER = "awaiting clinical review"
WorklistKind = Literal["numerator", "gap"]


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    numerator: str  # cohort name
    denominator: str  # cohort name
    codelists: tuple[str, ...]  # keys in codelist_library (file names in its README)
    framework: str
    low_is_good: bool | None  # None: neither direction is better (e.g. register prevalence)
    author: str = AUTHOR
    reviewer: str = REVIEWER
    # A worklist lists patients to act on: the numerator (case finding) or the gap (den − num).
    worklist: WorklistKind | None = None
    worklist_reason: str = ""


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "HYP_REG",
        "Hypertension register (recorded prevalence)",
        "hyp_reg",
        "base",
        ("hyp_cod", "hypres_cod"),
        "QOF HYP001",
        None,
    ),
    Indicator(
        "HYP_BP_CONTROL",
        "Hypertension: latest BP in 12 months ≤ 140/90 (< 80 years) or ≤ 150/90 (≥ 80 years)",
        "bp_controlled_hypertension",
        "hyp_reg",
        ("hyp_cod", "hypres_cod", "systolic_bp", "diastolic_bp"),
        "QOF HYP003/HYP007; Core20PLUS5 adults 5",
        False,
        worklist="gap",
        worklist_reason="hypertension: BP not recorded or above target in the last 12 months",
    ),
    Indicator(
        "DM_REG",
        "Diabetes register, aged 17 or over",
        "dm_reg",
        "base_17_plus",
        ("dm_cod", "dmres_cod"),
        "QOF DM017",
        None,
    ),
    Indicator(
        "DM_HBA1C_CONTROL",
        "Diabetes: latest HbA1c in 12 months ≤ 58 mmol/mol",
        "hba1c_controlled_diabetes",
        "dm_reg",
        ("dm_cod", "dmres_cod", "hba1c"),
        "QOF DM020-style; Core20PLUS5 CYP 2",
        False,
        worklist="gap",
        worklist_reason="diabetes: HbA1c not recorded or above 58 mmol/mol in the last 12 months",
    ),
    Indicator(
        "AST_REG",
        "Asthma register, aged 6 or over",
        "ast_reg",
        "base_6_plus",
        ("ast_cod",),
        "QOF AST005-style",
        None,
    ),
    Indicator("COPD_REG", "COPD register", "copd_reg", "base", ("copd_cod",), "QOF COPD015", None),
    Indicator(
        "SMI_REG",
        "Severe mental illness register",
        "smi_reg",
        "base",
        ("mh_cod",),
        "QOF MH001-style",
        None,
    ),
    Indicator(
        "LD_REG",
        "Learning disability register",
        "ld_reg",
        "base",
        ("ld_cod",),
        "QOF LD004-style",
        None,
    ),
    Indicator(
        "EFI_MODERATE_SEVERE",
        "Moderate or severe frailty (eFI > 0.24), aged 65 or over",
        "efi_moderate_severe",
        "base_65_plus",
        (),
        "eFI (Clegg 2016)",
        None,
    ),
    Indicator(
        "SMR_PRIORITY",
        "Priority for a structured medication review (IIF SMR cohorts)",
        "smr_priority",
        "base",
        ("carehome_cod", "residential_status", "dependence_forming_medicines"),
        "Network Contract DES SMR",
        None,
    ),
    Indicator(
        "HYP_CASE_FINDING",
        "Raised BP in 12 months (≥ 140 systolic or ≥ 90 diastolic), aged 18+, not on HYP register",
        "raised_bp",
        "base_18_plus_not_hyp",
        ("hyp_cod", "hypres_cod", "systolic_bp", "diastolic_bp"),
        "Core20PLUS5 adults 5 (case finding)",
        None,
        worklist="numerator",
        worklist_reason="raised blood pressure in the last 12 months, not on the hypertension register",
    ),
    Indicator(
        "BP_CHECK_45PLUS",
        "Blood pressure recorded in the last 5 years, aged 45 or over",
        "bp_in_5_years",
        "base_45_plus",
        ("bp_cod",),
        "QOF BP002",
        False,
    ),
    Indicator(
        "HYP_BP_RECORDED",
        "Hypertension: blood pressure recorded in the last 12 months",
        "bp_in_12_months",
        "hyp_reg",
        ("hyp_cod", "hypres_cod", "bp_cod"),
        "Core20PLUS5 adults 5",
        False,
    ),
    Indicator(
        "DM_BP_CONTROL",
        "Diabetes: latest BP in 12 months ≤ 140/80",
        "bp_controlled_140_80",
        "dm_reg",
        ("dm_cod", "dmres_cod", "systolic_bp", "diastolic_bp"),
        "QOF DM036-style",
        False,
    ),
    Indicator(
        "SMR_COMPLETED",
        "SMR priority patients with a structured medication review in the last 12 months",
        "smr_in_12_months",
        "smr_priority",
        ("structured_medication_review",),
        "Network Contract DES SMR",
        False,
        worklist="gap",
        worklist_reason="priority for a structured medication review, none in the last 12 months",
    ),
    Indicator(
        "DEPENDENCE_MED_REVIEW",
        "On a dependence-forming medicine (6 months) with a medication review in 12 months",
        "medication_review_in_12_months",
        "dependence_forming_medicine",
        ("dependence_forming_medicines", "medrvw_cod", "structured_medication_review"),
        "NHS England opioids/gabapentinoids review",
        False,
    ),
)
INDICATORS_BY_ID = {indicator.id: indicator for indicator in INDICATORS}


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier, clamped to the month end (31 Mar − 6 = 30 Sep)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last_day))


def build_cohorts(as_of: datetime.date, codelists: Codelists) -> dict[str, qm.Series]:
    """Every named cohort and patient attribute, as query-model series for one as-of date."""
    year_ago = months_before(as_of, 12)
    six_months_ago = months_before(as_of, 6)
    five_years_ago = months_before(as_of, 60)

    events = qm.events("clinical_events")
    medicines = qm.events("medications")
    up_to = qm.where(events, qm.on_or_before(as_of))
    last_12 = qm.where(events, qm.in_window(year_ago, as_of))
    medicines_12 = qm.where(medicines, qm.in_window(year_ago, as_of))
    medicines_6 = qm.where(medicines, qm.in_window(six_months_ago, as_of))

    def coded(frame: qm.Frame, *keys: str) -> qm.Frame:
        codes: frozenset[str] = frozenset().union(*(codelists[key] for key in keys))
        return qm.where(frame, qm.code_in("snomedct_code", codes))

    def ever(*keys: str) -> qm.Series:
        return qm.Exists(coded(up_to, *keys))

    def latest_value(frame: qm.Frame, value: qm.RowValue | None = None) -> qm.Series:
        return qm.ValueOnDate(frame, value or qm.RowColumn("numeric_value"), "latest")

    age = qm.AgeOnDate(as_of)
    practice = qm.PracticeOnDate(as_of)
    date_of_death = qm.PatientColumn("date_of_death")
    alive = qm.any_of(qm.IsNull(date_of_death), qm.compare(date_of_death, ">", qm.lit(as_of)))
    base = qm.is_true(qm.all_of(qm.Not(qm.IsNull(practice)), alive))

    def base_aged(minimum: int) -> qm.Series:
        return qm.is_true(qm.all_of(base, qm.compare(age, ">=", minimum)))

    systolic = latest_value(coded(last_12, "systolic_bp"))
    diastolic = latest_value(coded(last_12, "diastolic_bp"))
    hba1c = latest_value(
        coded(last_12, "hba1c"),
        qm.RescaleWhereCodeIn("numeric_value", "snomedct_code", HBA1C_DCCT_CODES, 2.15, 10.929),
    )

    hyp_reg = qm.is_true(qm.on_register(coded(up_to, "hyp_cod"), coded(up_to, "hypres_cod")))
    dm_reg = qm.is_true(
        qm.all_of(
            qm.compare(age, ">=", 17),
            qm.on_register(coded(up_to, "dm_cod"), coded(up_to, "dmres_cod")),
        )
    )
    target_systolic = qm.IfElse(qm.compare(age, ">=", 80), qm.lit(150), qm.lit(140))

    coded_deficits = qm.CountDistinct(
        qm.WithCategory(up_to, "snomedct_code", codelists.efi_deficits), "category"
    )
    polypharmacy = qm.compare(qm.CountDistinct(medicines_12, "dmd_code"), ">=", 5)
    efi = qm.Arithmetic(
        "/",
        qm.Arithmetic("+", coded_deficits, qm.IfElse(polypharmacy, qm.lit(1), qm.lit(0))),
        qm.lit(EFI_DEFICIT_COUNT),
    )
    dependence_forming = qm.Exists(
        qm.where(
            medicines_6,
            qm.code_in("dmd_code", codelists["dependence_forming_medicines"]),
        )
    )
    smr_priority = qm.is_true(
        qm.any_of(
            ever("carehome_cod", "residential_status"),
            qm.compare(qm.CountDistinct(medicines_6, "dmd_code"), ">=", 10),
            dependence_forming,
            qm.all_of(qm.compare(age, ">=", 65), qm.compare(efi, ">", 0.36)),
        )
    )
    latest_ethnicity = qm.ValueOnDate(
        qm.WithCategory(up_to, "snomedct_code", codelists.ethnicity6),
        qm.RowColumn("category"),
        "latest",
    )

    def bp_at_most(systolic_limit: qm.Series | int, diastolic_limit: int) -> qm.Series:
        return qm.is_true(
            qm.all_of(
                qm.compare(systolic, "<=", systolic_limit),
                qm.compare(diastolic, "<=", diastolic_limit),
            )
        )

    return {
        "practice": practice,
        "lsoa_code": qm.PatientColumn("lsoa_code"),
        "ethnicity6": qm.Coalesce(latest_ethnicity, qm.lit(UNKNOWN)),
        "age": age,
        "base": base,
        "base_6_plus": base_aged(6),
        "base_17_plus": base_aged(17),
        "base_45_plus": base_aged(45),
        "base_65_plus": base_aged(65),
        "base_18_plus_not_hyp": qm.is_true(qm.all_of(base_aged(18), qm.Not(hyp_reg))),
        "hyp_reg": hyp_reg,
        "bp_controlled_hypertension": bp_at_most(target_systolic, 90),
        "dm_reg": dm_reg,
        "hba1c_controlled_diabetes": qm.is_true(qm.compare(hba1c, "<=", 58)),
        "ast_reg": qm.is_true(qm.all_of(qm.compare(age, ">=", 6), ever("ast_cod"))),
        "copd_reg": ever("copd_cod"),
        "smi_reg": ever("mh_cod"),
        "ld_reg": ever("ld_cod"),
        "efi_moderate_severe": qm.is_true(qm.compare(efi, ">", 0.24)),
        "smr_priority": smr_priority,
        "raised_bp": qm.is_true(
            qm.any_of(qm.compare(systolic, ">=", 140), qm.compare(diastolic, ">=", 90))
        ),
        "bp_in_5_years": qm.Exists(
            coded(qm.where(events, qm.in_window(five_years_ago, as_of)), "bp_cod")
        ),
        "bp_in_12_months": qm.Exists(coded(last_12, "bp_cod")),
        "bp_controlled_140_80": bp_at_most(140, 80),
        "smr_in_12_months": qm.Exists(coded(last_12, "structured_medication_review")),
        "dependence_forming_medicine": qm.is_true(qm.all_of(base, dependence_forming)),
        "medication_review_in_12_months": qm.Exists(
            coded(last_12, "medrvw_cod", "structured_medication_review")
        ),
    }


PATIENT_ATTRIBUTES = ("practice", "ethnicity6", "base")


def indicator_dataset(
    as_of: datetime.date,
    codelists: Codelists,
    indicators: tuple[Indicator, ...] = INDICATORS,
    imd_deciles: Mapping[str, int] | None = None,
) -> dict[str, qm.Series]:
    """What one engine pass computes: patient attributes, then each indicator's den and num flags.

    With `imd_deciles` (LSOA code -> IMD decile) it also gives each patient's IMD quintile.
    """
    cohorts = build_cohorts(as_of, codelists)
    dataset = {name: cohorts[name] for name in PATIENT_ATTRIBUTES}
    if imd_deciles is not None:
        quintiles = frozenset((lsoa, imd_quintile(decile)) for lsoa, decile in imd_deciles.items())
        dataset["imd_quintile"] = qm.MapColumn("lsoa_code", quintiles, UNKNOWN)
    for indicator in indicators:
        denominator, numerator = _flags(cohorts, indicator)
        dataset[f"{indicator.id}__den"] = denominator
        dataset[f"{indicator.id}__num"] = numerator
    return dataset


def worklist_dataset(
    as_of: datetime.date, codelists: Codelists, indicators: tuple[Indicator, ...] = INDICATORS
) -> dict[str, qm.Series]:
    """Practice, one flag per worklist indicator, and `on_a_worklist` (any of them)."""
    cohorts = build_cohorts(as_of, codelists)
    dataset: dict[str, qm.Series] = {"practice": cohorts["practice"]}
    for indicator in indicators:
        if indicator.worklist is None:
            continue
        denominator, numerator = _flags(cohorts, indicator)
        chosen = (
            numerator
            if indicator.worklist == "numerator"
            else qm.is_true(qm.all_of(denominator, qm.Not(numerator)))
        )
        dataset[f"{indicator.id}__worklist"] = chosen
    flags = [series for name, series in dataset.items() if name != "practice"]
    dataset["on_a_worklist"] = qm.any_of(*flags) if flags else qm.lit(False)
    return dataset


def _flags(cohorts: Mapping[str, qm.Series], indicator: Indicator) -> tuple[qm.Series, qm.Series]:
    # Every denominator lies within the base population (registered and alive on as-of).
    denominator = qm.is_true(qm.all_of(cohorts["base"], cohorts[indicator.denominator]))
    numerator = qm.is_true(qm.all_of(denominator, cohorts[indicator.numerator]))
    return denominator, numerator
