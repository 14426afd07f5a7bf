"""A Hypothesis strategy for small extracts that land on the indicators' edges.

Dates, ages, codes and values are drawn from small pools placed on the boundaries the settled
definitions talk about (as-of, a year before, six months before, five years before, ages 6/17/
18/45/65/80, BP and HbA1c thresholds), so a few dozen examples exercise every rule.
"""

from __future__ import annotations

import datetime
from typing import Any

import pyarrow as pa
from hypothesis import strategies as st
from population_spec import CODES, SHARED_EFI_CODE

from openpcn.population.engine import query_model as qm
from openpcn.population.engine import schema
from openpcn.population.engine.indicators import months_before

AS_OF_DATES = (
    datetime.date(2026, 3, 31),
    datetime.date(2024, 2, 29),
    datetime.date(2025, 9, 30),
)
EVENT_CODES = sorted(
    {CODES[name] for name in CODES if not name.startswith("EFI") or int(name[3:]) <= 12}
    | {SHARED_EFI_CODE}
)
VALUES = (None, 7.4, 7.5, 58.0, 59.0, 80.0, 81.0, 89.0, 90.0, 120.0, 139.0, 140.0, 150.0, 151.0)
MEDICINES = (CODES["OPIOID"], *(str(1000 + k) for k in range(12)))
AGES = (5, 6, 16, 17, 18, 44, 45, 64, 65, 79, 80)


def _edges(as_of: datetime.date) -> list[datetime.date]:
    one_day = datetime.timedelta(days=1)
    year, six, five = (months_before(as_of, m) for m in (12, 6, 60))
    return [
        as_of,
        as_of - one_day,
        as_of + one_day,
        year,
        year + one_day,
        six,
        six + one_day,
        five,
        five + one_day,
        datetime.date(2001, 1, 1),
    ]


def _birth_dates(as_of: datetime.date) -> list[datetime.date]:
    births = []
    for age in AGES:
        for shift in (0, 1):  # the month of the birthday, and the month after
            month_index = (as_of.year - age) * 12 + as_of.month - 1 + shift
            births.append(datetime.date(month_index // 12, month_index % 12 + 1, 1))
    return births


@st.composite
def extracts(draw: st.DrawFn) -> tuple[datetime.date, dict[str, pa.Table]]:
    as_of = draw(st.sampled_from(AS_OF_DATES))
    days = _edges(as_of)
    n = draw(st.integers(1, 5))
    ids = [str(k + 1) for k in range(n)]
    patients: dict[str, list[Any]] = {
        "patient_id": ids,
        "date_of_birth": [draw(st.sampled_from(_birth_dates(as_of))) for _ in ids],
        "sex": [draw(st.sampled_from(schema.SEXES)) for _ in ids],
        "date_of_death": [draw(st.sampled_from([None, None, as_of, days[2]])) for _ in ids],
        "lsoa_code": [draw(st.sampled_from([None, "E01000001"])) for _ in ids],
        "nhs_number": [None for _ in ids],
    }
    registrations: dict[str, list[Any]] = {
        key: [] for key in schema.PRACTICE_REGISTRATIONS.column_names
    }
    for patient_id in ids:
        for _ in range(draw(st.integers(0, 2))):
            start = draw(
                st.sampled_from(
                    [datetime.date(2000, 1, 1), datetime.date(2010, 1, 1), as_of, days[2]]
                )
            )
            end = draw(st.sampled_from([None, None, as_of, days[2], datetime.date(2030, 1, 1)]))
            if end is not None and end < start:
                end = None
            registrations["patient_id"].append(patient_id)
            registrations["practice_code"].append(draw(st.sampled_from(["P1", "P2", "P3"])))
            registrations["start_date"].append(start)
            registrations["end_date"].append(end)
    events: dict[str, list[Any]] = {key: [] for key in schema.CLINICAL_EVENTS.column_names}
    for _ in range(draw(st.integers(0, 25))):
        events["patient_id"].append(draw(st.sampled_from(ids)))
        events["date"].append(draw(st.sampled_from(days)))
        events["snomedct_code"].append(draw(st.sampled_from(EVENT_CODES)))
        events["numeric_value"].append(draw(st.sampled_from(VALUES)))
    medications: dict[str, list[Any]] = {key: [] for key in schema.MEDICATIONS.column_names}
    for _ in range(draw(st.integers(0, 14))):
        medications["patient_id"].append(draw(st.sampled_from(ids)))
        medications["date"].append(draw(st.sampled_from(days)))
        medications["dmd_code"].append(draw(st.sampled_from(MEDICINES)))
    return as_of, {
        "patients": _table(patients, schema.PATIENTS),
        "practice_registrations": _table(registrations, schema.PRACTICE_REGISTRATIONS),
        "clinical_events": _table(events, schema.CLINICAL_EVENTS),
        "medications": _table(medications, schema.MEDICATIONS),
    }


_ARROW = {
    schema.ColumnType.STRING: pa.string(),
    schema.ColumnType.DATE: pa.date32(),
    schema.ColumnType.FLOAT: pa.float64(),
    schema.ColumnType.INTEGER: pa.int64(),
}


def _table(columns: dict[str, list[Any]], table: schema.Table) -> pa.Table:
    fields = [pa.field(c.name, _ARROW[c.type]) for c in table.columns]
    return pa.table(columns, schema=pa.schema(fields))


def generic_series(as_of: datetime.date) -> dict[str, qm.Series]:
    """Query-model nodes the indicators do not use on their own: first values, counts, etc."""
    events = qm.events("clinical_events")
    valued = qm.where(events, qm.NotNull("numeric_value"))
    return {
        "first_date": qm.DateOf(events, "first"),
        "latest_date": qm.DateOf(events, "latest"),
        "first_value": qm.ValueOnDate(events, qm.RowColumn("numeric_value"), "first"),
        "latest_code": qm.ValueOnDate(events, qm.RowColumn("snomedct_code"), "latest"),
        "valued_count": qm.Count(valued),
        "distinct_codes": qm.CountDistinct(events, "snomedct_code"),
        "age_plus_count": qm.Arithmetic("+", qm.AgeOnDate(as_of), qm.Count(events)),
        "died_by_as_of": qm.compare(
            qm.Coalesce(qm.PatientColumn("date_of_death"), qm.lit(datetime.date(2100, 1, 1))),
            "<=",
            qm.lit(as_of),
        ),
    }
