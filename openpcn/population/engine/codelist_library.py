"""Codelists by OpenCodelists file name: the project's defaults, or a folder of fresh downloads."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DIRECTORY = Path(__file__).resolve().parent / "codelists"

# key -> (file name, code column); the file names are those of the OpenCodelists downloads.
CODE_SETS: dict[str, tuple[str, str]] = {
    "hyp_cod": ("nhsd-primary-care-domain-refsets-hyp_cod.csv", "code"),
    "hypres_cod": ("nhsd-primary-care-domain-refsets-hypres_cod.csv", "code"),
    "dm_cod": ("nhsd-primary-care-domain-refsets-dm_cod.csv", "code"),
    "dmres_cod": ("nhsd-primary-care-domain-refsets-dmres_cod.csv", "code"),
    "ast_cod": ("nhsd-primary-care-domain-refsets-ast_cod.csv", "code"),
    "copd_cod": ("nhsd-primary-care-domain-refsets-copd_cod.csv", "code"),
    "mh_cod": ("nhsd-primary-care-domain-refsets-mh_cod.csv", "code"),
    "ld_cod": ("nhsd-primary-care-domain-refsets-ld_cod.csv", "code"),
    "bp_cod": ("nhsd-primary-care-domain-refsets-bp_cod.csv", "code"),
    "carehome_cod": ("nhsd-primary-care-domain-refsets-carehome_cod.csv", "code"),
    "medrvw_cod": ("nhsd-primary-care-domain-refsets-medrvw_cod.csv", "code"),
    "systolic_bp": ("opensafely-systolic-blood-pressure-qof.csv", "code"),
    "diastolic_bp": ("user-milanwiedemann-diastolic-blood-pressure-qof.csv", "code"),
    "hba1c": ("opensafely-glycated-haemoglobin-hba1c-tests.csv", "code"),
    "residential_status": ("opensafely-nhs-england-care-homes-residential-status.csv", "code"),
    "structured_medication_review": (
        "opensafely-structured-medication-review-nhs-england.csv",
        "code",
    ),
    "dependence_forming_medicines": ("opensafely-addictive-medicines.csv", "dmd_id"),
}
ETHNICITY_FILE = "opensafely-ethnicity-snomed-0removed.csv"
EFI_FILE = "efi-deficits-snomed.csv"

# The census 2001/2021 six-way grouping used by OpenSAFELY's Grouping_6 (6 = not recorded).
ETHNICITY_GROUPS: dict[str, str] = {
    "1": "White",
    "2": "Mixed",
    "3": "Asian or Asian British",
    "4": "Black or Black British",
    "5": "Chinese or Other Ethnic Groups",
}
UNKNOWN = "unknown"
# HbA1c recorded as a DCCT percentage rather than IFCC mmol/mol.
HBA1C_DCCT_CODES = frozenset({"313835008"})
EFI_DEFICIT_COUNT = 36  # 35 coded deficits plus polypharmacy


class CodelistError(ValueError):
    """A codelist file is missing or malformed (the message names the file)."""


@dataclass(frozen=True)
class Codelists:
    codes: dict[str, frozenset[str]]
    ethnicity6: frozenset[tuple[str, str]]  # (code, group label)
    efi_deficits: frozenset[tuple[str, str]]  # (code, deficit)
    directory: Path

    def __getitem__(self, key: str) -> frozenset[str]:
        return self.codes[key]

    def __hash__(self) -> int:
        return hash(self.directory)


def load_codelists(directory: Path | None = None) -> Codelists:
    folder = DEFAULT_DIRECTORY if directory is None else Path(directory)
    codes = {
        key: frozenset(row[column] for row in _rows(folder / name, (column,)))
        for key, (name, column) in CODE_SETS.items()
    }
    ethnicity = frozenset(
        (row["code"], ETHNICITY_GROUPS[row["Grouping_6"]])
        for row in _rows(folder / ETHNICITY_FILE, ("code", "Grouping_6"))
        if row["Grouping_6"] in ETHNICITY_GROUPS
    )
    efi = frozenset(
        (row["code"], row["deficit"])
        for row in _rows(folder / EFI_FILE, ("deficit", "code"))
        if row["deficit"] != "deficit"  # the source concatenation repeats its header once
    )
    return Codelists(codes=codes, ethnicity6=ethnicity, efi_deficits=efi, directory=folder)


def _rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    if not path.is_file():
        raise CodelistError(f"{path}: codelist file not found")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in columns if column not in (reader.fieldnames or [])]
        if missing:
            raise CodelistError(f"{path.name}: missing column(s) {', '.join(missing)}")
        rows = []
        for number, row in enumerate(reader, start=1):
            values = {column: (row[column] or "").strip() for column in columns}
            empty = [column for column, value in values.items() if not value]
            if empty:
                raise CodelistError(f"{path.name}, row {number}, column {empty[0]}: empty value")
            rows.append(values)
    return rows
