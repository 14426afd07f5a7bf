"""Spec-test helpers: extracts written as small ASCII tables, run on every engine.

    patients = '''
      patient_id | date_of_birth | sex    | date_of_death | lsoa_code
      1          | 1950-01-01    | female |               | E01000001
    '''

Empty cells are nulls. Codes may be written as `{NAME}` and are filled from `CODES`, which picks
real codes from the project's default codelists.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from openpcn.population.engine import schema
from openpcn.population.engine.codelist_library import load_codelists
from openpcn.population.engine.engines.ibis_engine import IbisEngine
from openpcn.population.engine.engines.reference import ReferenceEngine
from openpcn.population.engine.indicators import indicator_dataset

CODELISTS = load_codelists()
_EFI_BY_DEFICIT: dict[str, list[str]] = {}
for _code, _deficit in sorted(CODELISTS.efi_deficits):
    _EFI_BY_DEFICIT.setdefault(_deficit, []).append(_code)
_DEFICITS_PER_CODE = Counter(code for code, _ in CODELISTS.efi_deficits)
_SINGLE_DEFICIT = {
    deficit: [code for code in codes if _DEFICITS_PER_CODE[code] == 1]
    for deficit, codes in _EFI_BY_DEFICIT.items()
}
EFI_DEFICITS = sorted(_EFI_BY_DEFICIT)


def _first(key: str) -> str:
    return sorted(CODELISTS[key])[0]


CODES: dict[str, str] = {
    "HYP": _first("hyp_cod"),
    "HYPRES": _first("hypres_cod"),
    "DM": _first("dm_cod"),
    "DMRES": _first("dmres_cod"),
    "AST": _first("ast_cod"),
    "COPD": _first("copd_cod"),
    "SMI": _first("mh_cod"),
    "LD": _first("ld_cod"),
    "SYS": "271649006",  # Systolic blood pressure
    "DIA": "271650006",  # Diastolic blood pressure
    "BP": _first("bp_cod"),
    "HBA1C": "999791000000106",  # IFCC mmol/mol
    "HBA1C_DCCT": "313835008",  # DCCT %
    "CAREHOME": _first("carehome_cod"),
    "NURSING_HOME": "160734000",  # residential-status list
    "SMR": _first("structured_medication_review"),
    "MEDRVW": _first("medrvw_cod"),
    "OPIOID": sorted(CODELISTS["dependence_forming_medicines"])[0],
    "WHITE": sorted(code for code, group in CODELISTS.ethnicity6 if group == "White")[0],
    "ASIAN": sorted(
        code for code, group in CODELISTS.ethnicity6 if group == "Asian or Asian British"
    )[0],
    "OTHER": "999999999",  # in no codelist
}
for _index, _deficit in enumerate(EFI_DEFICITS):
    CODES[f"EFI{_index + 1}"] = (_SINGLE_DEFICIT[_deficit] or _EFI_BY_DEFICIT[_deficit])[0]
SHARED_EFI_CODE = sorted(code for code, n in _DEFICITS_PER_CODE.items() if n == 2)[0]
SHARED_EFI_DEFICITS = {d for c, d in CODELISTS.efi_deficits if c == SHARED_EFI_CODE}
# Placeholders (EFI1, EFI2, …) of deficits the shared code does not count towards.
EFI_OTHER_THAN_SHARED = [
    f"EFI{index + 1}"
    for index, deficit in enumerate(EFI_DEFICITS)
    if deficit not in SHARED_EFI_DEFICITS
]


def parse(text: str, table: schema.Table) -> pa.Table:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    header = [cell.strip() for cell in lines[0].split("|")]
    rows = [[cell.strip() for cell in line.split("|")] for line in lines[1:]]
    columns: dict[str, list[Any]] = {}
    for column in table.columns:
        if column.name not in header:
            columns[column.name] = [None] * len(rows)
            continue
        position = header.index(column.name)
        columns[column.name] = [_value(row[position], column.type) for row in rows]
    arrow_types = {
        schema.ColumnType.STRING: pa.string(),
        schema.ColumnType.DATE: pa.date32(),
        schema.ColumnType.FLOAT: pa.float64(),
        schema.ColumnType.INTEGER: pa.int64(),
    }
    fields = [pa.field(c.name, arrow_types[c.type]) for c in table.columns]
    return pa.table(columns, schema=pa.schema(fields))


def _value(cell: str, column_type: schema.ColumnType) -> Any:
    if cell == "":
        return None
    cell = cell.format(**CODES)
    if column_type is schema.ColumnType.DATE:
        return datetime.date.fromisoformat(cell)
    if column_type is schema.ColumnType.FLOAT:
        return float(cell)
    if column_type is schema.ColumnType.INTEGER:
        return int(cell)
    return cell


def extract(
    patients: str,
    registrations: str | None = None,
    events: str = "patient_id | date | snomedct_code | numeric_value",
    medications: str = "patient_id | date | dmd_code",
) -> dict[str, pa.Table]:
    """Tables for a spec; without registrations every patient is registered at P1 since 2000."""
    patient_table = parse(patients, schema.PATIENTS)
    if registrations is None:
        ids = patient_table.column("patient_id").to_pylist()
        registrations = "patient_id | practice_code | start_date | end_date\n" + "\n".join(
            f"{patient_id} | P1 | 2000-01-01 |" for patient_id in ids
        )
    return {
        "patients": patient_table,
        "practice_registrations": parse(registrations, schema.PRACTICE_REGISTRATIONS),
        "clinical_events": parse(events, schema.CLINICAL_EVENTS),
        "medications": parse(medications, schema.MEDICATIONS),
    }


ENGINES = ("reference", "duckdb")


def run_indicator(
    engine: str, tables: Mapping[str, pa.Table], indicator: str, as_of: datetime.date
) -> dict[str, tuple[bool, bool]]:
    """{patient_id: (in denominator, in numerator)} for one indicator."""
    dataset = indicator_dataset(as_of, CODELISTS)
    wanted = {name: dataset[name] for name in (f"{indicator}__den", f"{indicator}__num")}
    runner = ReferenceEngine(tables) if engine == "reference" else IbisEngine.duckdb(tables)
    result = runner.evaluate(wanted).to_pylist()
    return {
        row["patient_id"]: (row[f"{indicator}__den"], row[f"{indicator}__num"]) for row in result
    }


def run_series(
    engine: str, tables: Mapping[str, pa.Table], dataset: Mapping[str, Any]
) -> list[dict[str, Any]]:
    runner = ReferenceEngine(tables) if engine == "reference" else IbisEngine.duckdb(tables)
    rows: list[dict[str, Any]] = runner.evaluate(dataset).to_pylist()
    return rows
