"""The GP extract schema: one file per table, plus the deprivation and organisation lookups."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ColumnType(Enum):
    """The value types an extract column may hold."""

    STRING = "string"
    DATE = "date"
    FLOAT = "float"
    INTEGER = "integer"


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    required: bool = True  # a required column must be present and may not be empty
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    is_patient_frame: bool = False  # one row per patient (as opposed to an event frame)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


SEXES = ("female", "male", "unknown")

PATIENTS = Table(
    "patients",
    (
        Column("patient_id", ColumnType.STRING),
        Column("date_of_birth", ColumnType.DATE),
        Column("sex", ColumnType.STRING, choices=SEXES),
        Column("date_of_death", ColumnType.DATE, required=False),
        Column("lsoa_code", ColumnType.STRING, required=False),
        # Only when the extract identifies patients; checked (Modulus 11) where it is loaded into
        # the platform, and shown only to roles allowed to see identifiers. See identifiers.py.
        Column("nhs_number", ColumnType.STRING, required=False),
    ),
    is_patient_frame=True,
)
PRACTICE_REGISTRATIONS = Table(
    "practice_registrations",
    (
        Column("patient_id", ColumnType.STRING),
        Column("practice_code", ColumnType.STRING),
        Column("start_date", ColumnType.DATE),
        Column("end_date", ColumnType.DATE, required=False),
    ),
)
CLINICAL_EVENTS = Table(
    "clinical_events",
    (
        Column("patient_id", ColumnType.STRING),
        Column("date", ColumnType.DATE),
        Column("snomedct_code", ColumnType.STRING),
        Column("numeric_value", ColumnType.FLOAT, required=False),
    ),
)
MEDICATIONS = Table(
    "medications",
    (
        Column("patient_id", ColumnType.STRING),
        Column("date", ColumnType.DATE),
        Column("dmd_code", ColumnType.STRING),
    ),
)
DEPRIVATION = Table(
    "deprivation",
    (Column("lsoa_code", ColumnType.STRING), Column("imd_decile", ColumnType.INTEGER)),
)
ORGANISATION_MAP = Table(
    "organisation_map",
    (
        Column("practice_code", ColumnType.STRING),
        Column("pcn_code", ColumnType.STRING),
        Column("list_size", ColumnType.INTEGER, required=False),
    ),
)

EXTRACT_TABLES: tuple[Table, ...] = (
    PATIENTS,
    PRACTICE_REGISTRATIONS,
    CLINICAL_EVENTS,
    MEDICATIONS,
)
EVENT_TABLES: dict[str, Table] = {
    table.name: table for table in EXTRACT_TABLES if not table.is_patient_frame
}
TABLES: dict[str, Table] = {table.name: table for table in EXTRACT_TABLES}
