"""The synthetic extract: deterministic for a seed, valid for the loader, calibrated."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from openpcn.population.engine import synthetic
from openpcn.population.engine.codelist_library import load_codelists
from openpcn.population.engine.engines.ibis_engine import IbisEngine
from openpcn.population.engine.indicators import indicator_dataset
from openpcn.population.engine.loading import load_extract

AS_OF = synthetic.DEFAULT_AS_OF


@pytest.fixture(scope="module")
def population() -> dict[str, pa.Table]:
    return synthetic.generate(30_000, seed=5)


@pytest.fixture(scope="module")
def flags(population: dict[str, pa.Table]) -> dict[str, Any]:
    tables = {name: population[name] for name in IbisEngine.EXTRACT_TABLE_NAMES}
    result = IbisEngine.duckdb(tables).evaluate(indicator_dataset(AS_OF, load_codelists()))
    return result.to_pydict()


def test_same_seed_same_extract_and_other_seed_differs() -> None:
    first = synthetic.generate(2_000, seed=1)
    again = synthetic.generate(2_000, seed=1)
    other = synthetic.generate(2_000, seed=2)
    for name, table in first.items():
        assert table.equals(again[name]), name
    assert not first["clinical_events"].equals(other["clinical_events"])


def test_generated_extract_passes_validation(tmp_path: Path) -> None:
    tables = synthetic.generate(3_000, seed=3)
    synthetic.write(tables, tmp_path, "csv")
    extract = load_extract(
        tmp_path, tmp_path / "deprivation.csv", tmp_path / "organisation_map.csv"
    )
    assert extract.tables["patients"].num_rows == 3_000
    assert extract.tables["clinical_events"].equals(tables["clinical_events"])


def test_given_practices_and_list_sizes_are_used() -> None:
    practices = [
        synthetic.PracticeSpec("P81001", "U12345", 3_000),
        synthetic.PracticeSpec("P81002", "U12345", 1_000),
    ]
    tables = synthetic.generate(4_000, seed=9, practices=practices)
    org_map = tables["organisation_map"].to_pydict()
    assert org_map["practice_code"] == ["P81001", "P81002"]
    assert sum(org_map["list_size"]) == 4_000
    assert 2_700 < org_map["list_size"][0] < 3_300
    codes = set(tables["practice_registrations"].column("practice_code").to_pylist())
    assert codes == {"P81001", "P81002"}


def _share(flags: dict[str, Any], indicator: str) -> float:
    numerator = sum(flags[f"{indicator}__num"])
    denominator = sum(flags[f"{indicator}__den"])
    return numerator / denominator


@pytest.mark.parametrize(
    ("indicator", "low", "high"),
    [
        ("HYP_REG", 0.125, 0.17),  # QOF ≈ 14.8%
        ("DM_REG", 0.065, 0.095),  # ≈ 7.7% of 17+
        ("AST_REG", 0.055, 0.075),  # ≈ 6.5% of 6+
        ("COPD_REG", 0.013, 0.025),  # ≈ 1.9%
        ("SMI_REG", 0.007, 0.013),  # ≈ 1.0%
        ("LD_REG", 0.004, 0.008),  # ≈ 0.6%
        ("EFI_MODERATE_SEVERE", 0.10, 0.22),  # ≈ 15% of 65+
        ("HYP_BP_CONTROL", 0.55, 0.75),
        ("DM_HBA1C_CONTROL", 0.45, 0.70),
        ("HYP_CASE_FINDING", 0.03, 0.15),  # undiagnosed hypertension to find
    ],
)
def test_register_prevalence_is_calibrated(
    flags: dict[str, Any], indicator: str, low: float, high: float
) -> None:
    assert low < _share(flags, indicator) < high


def test_population_structure(population: dict[str, pa.Table], flags: dict[str, Any]) -> None:
    patients = population["patients"]
    female = pc.sum(pc.equal(patients.column("sex"), "female")).as_py() / patients.num_rows
    assert 0.49 < female < 0.52
    born = patients.column("date_of_birth").to_pylist()
    over_65 = sum(1 for day in born if (AS_OF - day).days >= 65 * 365.25) / len(born)
    assert 0.15 < over_65 < 0.22  # 65–74 9.5% + 75–84 6.5% + 85+ 2.5%
    unknown = flags["ethnicity6"].count("unknown") / len(flags["ethnicity6"])
    assert 0.05 < unknown < 0.10
    asian = flags["ethnicity6"].count("Asian or Asian British") / len(flags["ethnicity6"])
    assert 0.03 < asian < 0.30


def test_deprivation_skews_to_quintile_one(population: dict[str, pa.Table]) -> None:
    deciles = dict(
        zip(
            population["deprivation"].column("lsoa_code").to_pylist(),
            population["deprivation"].column("imd_decile").to_pylist(),
            strict=True,
        )
    )
    lsoas = population["patients"].column("lsoa_code").to_pylist()
    matched = [deciles[code] for code in lsoas if code in deciles]
    quintile_one = sum(1 for d in matched if d <= 2) / len(matched)
    assert 0.30 < quintile_one < 0.60
    assert len(matched) < len(lsoas)  # some with no address or outside the lookup


def test_deprivation_gradient_in_registers(
    population: dict[str, pa.Table], flags: dict[str, Any]
) -> None:
    deciles = dict(
        zip(
            population["deprivation"].column("lsoa_code").to_pylist(),
            population["deprivation"].column("imd_decile").to_pylist(),
            strict=True,
        )
    )
    lsoas = population["patients"].column("lsoa_code").to_pylist()
    rates = {}
    for group, members in (("deprived", range(1, 3)), ("affluent", range(7, 11))):
        rows = [
            i
            for i, code in enumerate(lsoas)
            if deciles.get(code) in members and flags["COPD_REG__den"][i]
        ]
        rates[group] = sum(flags["COPD_REG__num"][i] for i in rows) / len(rows)
    assert rates["deprived"] > rates["affluent"]


def test_extract_date_defaults_and_can_be_set() -> None:
    tables = synthetic.generate(500, seed=1, as_of=datetime.date(2025, 6, 30))
    latest = pc.max(tables["clinical_events"].column("date")).as_py()
    assert latest <= datetime.date(2025, 6, 30)
