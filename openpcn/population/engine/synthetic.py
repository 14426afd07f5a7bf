"""A seeded, calibrated synthetic GP extract for demos, tests and benchmarks (no real patients).

Calibration (see docs population-methods.md §3; figures are approximate):
- list structure: England's age shares, 50.5% female; practices of ≈9,000 grouped ≈4 to a PCN;
- deprivation: East-Lancashire-like skew, ≈45% of patients in IMD quintile 1;
- ethnicity: Lancashire-like, practice-level Asian share from ≈3% to ≈40%; ≈7% not recorded;
- registers at QOF 2023-24 recorded prevalence, with an age curve and a deprivation gradient
  (logistic risk, intercept solved so the population mean hits the target);
- BP and HbA1c readings with realistic control rates, medicines (polypharmacy, dependence-forming),
  care-home codes, eFI deficits, deaths, moves between practices, and undiagnosed hypertension
  (raised readings without a diagnosis) for case finding to find.
Everything is vectorised with NumPy; the same arguments always give the same extract.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from openpcn.population.engine.codelist_library import (
    ETHNICITY_GROUPS,
    HBA1C_DCCT_CODES,
    Codelists,
    load_codelists,
)

DEFAULT_AS_OF = datetime.date(2026, 3, 31)
AGE_BANDS = ((0, 5, 0.05), (5, 15, 0.12), (15, 25, 0.115), (25, 45, 0.275), (45, 65, 0.25))
AGE_BANDS_OLD = ((65, 75, 0.095), (75, 85, 0.065), (85, 101, 0.025))
ETHNICITY_SHARES = {"White": 0.0, "Mixed": 0.016, "Black or Black British": 0.006}
ETHNICITY_SHARES["Chinese or Other Ethnic Groups"] = 0.01
ETHNICITY_NOT_RECORDED = 0.07
NO_DATE = np.iinfo(np.int64).min  # day numbers count from 1970 and may be negative


@dataclass(frozen=True)
class PracticeSpec:
    practice_code: str
    pcn_code: str
    list_size: int | None = None


@dataclass(frozen=True)
class Condition:
    """A register condition: prevalence among those aged `min_age`+, age slope, deprivation slope."""

    key: str
    prevalence: float
    min_age: int
    age_centre: float
    age_slope: float
    deprivation_slope: float


CONDITIONS = (
    # 14.8% of the whole list (≈80% are 18+); ÷0.97 for registers later closed by a resolved code.
    Condition("hyp", 0.148 / 0.80 / 0.97, 18, 65, 0.075, 0.35),
    Condition("dm", 0.077 / 0.97, 17, 60, 0.045, 0.55),
    Condition("ast", 0.065, 6, 40, 0.0, 0.25),
    Condition("copd", 0.019 / 0.55, 40, 70, 0.06, 0.9),  # 1.9% of the list; ≈55% are 40+
    Condition("smi", 0.010 / 0.79, 18, 45, 0.0, 0.7),
    Condition("ld", 0.006, 0, 30, 0.0, 0.3),
    Condition("chd", 0.030 / 0.55, 40, 72, 0.07, 0.5),
    Condition("af", 0.022 / 0.55, 40, 78, 0.09, 0.1),
    Condition("stroke", 0.019 / 0.55, 40, 75, 0.07, 0.4),
    Condition("hf", 0.010 / 0.55, 40, 80, 0.08, 0.4),
    Condition("ckd", 0.040 / 0.79, 18, 75, 0.08, 0.3),
)
# Register conditions whose diagnosis codes come from a QOF cluster (others from eFI deficits).
REGISTER_CODES = {
    "hyp": ("hyp_cod", "hypertension"),
    "dm": ("dm_cod", "diabetes"),
    "ast": ("ast_cod", "respiratory-disease"),
    "copd": ("copd_cod", "respiratory-disease"),
    "smi": ("mh_cod", None),
    "ld": ("ld_cod", None),
}
DEFICIT_CONDITIONS = {
    "chd": "chd",
    "af": "atrial-fibrillation",
    "stroke": "stroke-tia",
    "hf": "heart-failure",
    "ckd": "ckd",
}


@dataclass
class _Events:
    """Columns of an event table under construction (patient index, day number, code, value)."""

    patient: list[np.ndarray]
    day: list[np.ndarray]
    code: list[np.ndarray]
    value: list[np.ndarray]

    def add(
        self,
        patient: np.ndarray,
        day: np.ndarray,
        code: np.ndarray,
        value: np.ndarray | None = None,
    ) -> None:
        self.patient.append(patient.astype(np.int64))
        self.day.append(day.astype(np.int64))
        self.code.append(code.astype(object))
        self.value.append(np.full(len(patient), np.nan) if value is None else value.astype(float))


def generate(
    patients: int,
    seed: int,
    as_of: datetime.date = DEFAULT_AS_OF,
    practices: Sequence[PracticeSpec] | None = None,
    codelists: Codelists | None = None,
) -> dict[str, pa.Table]:
    """The four extract tables plus `deprivation` and `organisation_map`, as Arrow tables."""
    return _Generator(patients, seed, as_of, practices, codelists or load_codelists()).run()


def write(tables: dict[str, pa.Table], out: Path, file_format: str = "parquet") -> list[Path]:
    """Extract tables as `<name>.<format>`; the two lookups always as CSV."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        if name in ("deprivation", "organisation_map") or file_format == "csv":
            path = out / f"{name}.csv"
            pacsv.write_csv(table, path)
        else:
            path = out / f"{name}.parquet"
            pq.write_table(table, path)
        written.append(path)
    return written


class _Generator:
    def __init__(
        self,
        n: int,
        seed: int,
        as_of: datetime.date,
        practices: Sequence[PracticeSpec] | None,
        codelists: Codelists,
    ) -> None:
        if n < 1:
            raise ValueError("at least one patient is needed")
        self.n, self.as_of, self.codelists = n, as_of, codelists
        self.rng = np.random.default_rng(seed)
        self.today = np.datetime64(as_of, "D").astype(np.int64)
        self.practices = list(practices) if practices else _default_practices(n)
        self.events = _Events([], [], [], [])
        self.medicines = _Events([], [], [], [])

    def run(self) -> dict[str, pa.Table]:
        rng, n = self.rng, self.n
        practice = self._assign_practices()
        decile, lsoa, deprivation = self._deprivation(practice)
        age, born = self._ages()
        sex = rng.choice(np.array(["female", "male", "unknown"]), n, p=[0.5045, 0.495, 0.0005])
        self._ethnicity(practice, decile, born)
        deprived = (5.5 - decile.astype(float)) / 4.5  # +1 most deprived, −1 least
        has = {c.key: self._condition(c, age, deprived) for c in CONDITIONS}
        self._diagnoses(has, age, born)
        undiagnosed = self._undiagnosed_hypertension(has, age, deprived)
        self._blood_pressure(has, undiagnosed, age)
        self._hba1c(has)
        self._frailty(has, age, deprived, born)
        self._medicines(has, age, deprived)
        died = self._deaths(age, born)
        registrations = self._registrations(practice, born)
        ids = pa.array([f"{i + 1:08d}" for i in range(n)], pa.string())
        patients_table = pa.table(
            {
                "patient_id": ids,
                "date_of_birth": pa.array(born.astype("datetime64[D]"), pa.date32()),
                "sex": pa.array(sex, pa.string()),
                "date_of_death": _dates(died),
                "lsoa_code": pa.array(lsoa, pa.string()),
            }
        )
        return {
            "patients": patients_table,
            "practice_registrations": _registrations_table(ids, registrations, self.practices),
            "clinical_events": _event_table(ids, self.events, "snomedct_code", with_value=True),
            "medications": _event_table(ids, self.medicines, "dmd_code", with_value=False),
            "deprivation": deprivation,
            "organisation_map": pa.table(
                {
                    "practice_code": [p.practice_code for p in self.practices],
                    "pcn_code": [p.pcn_code for p in self.practices],
                    "list_size": np.bincount(practice, minlength=len(self.practices)),
                }
            ),
        }

    # --- people and places ------------------------------------------------------------------

    def _assign_practices(self) -> np.ndarray:
        sizes = np.array([p.list_size or 0 for p in self.practices], dtype=float)
        weights = sizes if sizes.sum() > 0 else np.ones(len(self.practices))
        counts = self.rng.multinomial(self.n, weights / weights.sum())
        return np.repeat(np.arange(len(self.practices)), counts)

    def _deprivation(self, practice: np.ndarray) -> tuple[np.ndarray, np.ndarray, pa.Table]:
        rng, n = self.rng, self.n
        # Each practice's typical decile: most East Lancashire practices serve deprived areas.
        # Half the practices (exactly, so small alliances keep the skew) are in deprived areas.
        deprived_practice = rng.permutation(len(self.practices)) < np.ceil(
            0.5 * len(self.practices)
        )
        centre = np.where(
            deprived_practice,
            rng.uniform(1.0, 2.5, len(self.practices)),
            rng.uniform(2.5, 10.0, len(self.practices)),
        )
        decile = np.clip(np.rint(centre[practice] + rng.normal(0, 1.3, n)), 1, 10).astype(np.int64)
        per_decile = max(2, n // 15000)  # an LSOA holds ≈1,500 people, spread over practices
        lsoa_index = rng.integers(0, per_decile, n)
        codes = np.array(
            [f"E0{9000000 + d * 10000 + i:07d}" for d in range(1, 11) for i in range(per_decile)]
        )
        lsoa = codes[(decile - 1) * per_decile + lsoa_index].astype(object)
        missing = rng.random(n)
        lsoa[missing < 0.01] = None  # no usable address
        lsoa[(missing >= 0.01) & (missing < 0.015)] = "W01999999"  # outside the lookup: unknown
        deprivation = pa.table(
            {"lsoa_code": codes, "imd_decile": np.repeat(np.arange(1, 11), per_decile)}
        )
        return decile, lsoa, deprivation

    def _ages(self) -> tuple[np.ndarray, np.ndarray]:
        rng, n = self.rng, self.n
        bands = AGE_BANDS + AGE_BANDS_OLD
        shares = np.array([share for _, _, share in bands])
        band = rng.choice(len(bands), n, p=shares / shares.sum())
        low = np.array([lo for lo, _, _ in bands])[band]
        high = np.array([hi for _, hi, _ in bands])[band]
        # Within 85+, deaths thin the list: draw ages with a decaying tail.
        span = high - low
        fraction = np.where(low >= 85, rng.exponential(0.25, n) % 1.0, rng.random(n))
        months = ((low + fraction * span) * 12).astype(np.int64)
        month_index = self.as_of.year * 12 + self.as_of.month - 1 - months
        born = (
            (
                np.array(month_index // 12 - 1970, dtype="datetime64[Y]").astype("datetime64[M]")
                + (month_index % 12).astype("timedelta64[M]")
            )
            .astype("datetime64[D]")
            .astype(np.int64)
        )
        age = ((self.today - born) / 365.25).astype(np.int64)
        return age, born

    def _ethnicity(self, practice: np.ndarray, decile: np.ndarray, born: np.ndarray) -> None:
        rng, n = self.rng, self.n
        asian_share = np.where(
            rng.random(len(self.practices)) < 0.35,
            rng.uniform(0.15, 0.42, len(self.practices)),
            rng.uniform(0.02, 0.08, len(self.practices)),
        )[practice]
        draw = rng.random(n)
        group = np.full(n, "White", dtype=object)
        edge = asian_share.copy()
        group[draw < edge] = "Asian or Asian British"
        for name, share in ETHNICITY_SHARES.items():
            if share:
                group[(draw >= edge) & (draw < edge + share)] = name
                edge = edge + share
        recorded = rng.random(n) >= ETHNICITY_NOT_RECORDED
        codes_by_group: dict[str, list[str]] = {}
        for code, label in sorted(self.codelists.ethnicity6):
            codes_by_group.setdefault(label, []).append(code)
        for label in ETHNICITY_GROUPS.values():
            who = np.flatnonzero(recorded & (group == label))
            if len(who):
                pool = np.array(codes_by_group[label], dtype=object)
                self.events.add(
                    who, self._days_between(born[who], self.today), rng.choice(pool, len(who))
                )

    def _condition(self, condition: Condition, age: np.ndarray, deprived: np.ndarray) -> np.ndarray:
        eligible = age >= condition.min_age
        shape = (
            condition.age_slope * (age - condition.age_centre)
            + condition.deprivation_slope * deprived
        )
        low, high = -20.0, 20.0
        for _ in range(40):  # bisection on the intercept so mean risk = target prevalence
            mid = (low + high) / 2
            risk = 1 / (1 + np.exp(-(mid + shape[eligible])))
            low, high = (mid, high) if risk.mean() < condition.prevalence else (low, mid)
        risk = np.zeros(self.n)
        risk[eligible] = 1 / (1 + np.exp(-(low + shape[eligible])))
        return self.rng.random(self.n) < risk

    # --- clinical events ----------------------------------------------------------------------

    def _pick(self, key: str, size: int, preferred: str | None = None) -> np.ndarray:
        codes = sorted(self.codelists[key])
        if preferred is not None:
            overlap = sorted(
                set(codes) & {c for c, d in self.codelists.efi_deficits if d == preferred}
            )
            if overlap:
                codes = overlap
        return self.rng.choice(np.array(codes, dtype=object), size)

    def _deficit_codes(self, deficit: str, size: int) -> np.ndarray:
        codes = sorted(c for c, d in self.codelists.efi_deficits if d == deficit)
        return self.rng.choice(np.array(codes, dtype=object), size)

    def _days_between(self, start: np.ndarray, end: np.ndarray | np.int64) -> np.ndarray:
        spread = np.maximum(np.broadcast_to(end, start.shape) - start, 0)
        offset: np.ndarray = (self.rng.random(len(start)) * spread).astype(np.int64)
        result: np.ndarray = start + offset
        return result

    def _diagnosis_days(self, who: np.ndarray, born: np.ndarray, min_age: int) -> np.ndarray:
        earliest = np.maximum(born[who] + min_age * 365, self.today - 25 * 365)
        return self._days_between(earliest, self.today - 1)

    def _diagnoses(self, has: dict[str, np.ndarray], age: np.ndarray, born: np.ndarray) -> None:
        rng = self.rng
        for condition in CONDITIONS:
            who = np.flatnonzero(has[condition.key])
            days = self._diagnosis_days(who, born, condition.min_age)
            if condition.key in REGISTER_CODES:
                key, deficit = REGISTER_CODES[condition.key]
                self.events.add(who, days, self._pick(key, len(who), deficit))
            else:
                self.events.add(
                    who, days, self._deficit_codes(DEFICIT_CONDITIONS[condition.key], len(who))
                )
        for key, resolved in (("hyp", "hypres_cod"), ("dm", "dmres_cod")):
            # A few registers are closed by a later "resolved" code; some of those re-open.
            diagnosed = np.flatnonzero(has[key])
            closed = diagnosed[rng.random(len(diagnosed)) < 0.04]
            days = self._days_between(
                self.today - 3 * 365 + np.zeros(len(closed), np.int64), self.today - 1
            )
            self.events.add(closed, days, self._pick(resolved, len(closed)))
            reopened = closed[rng.random(len(closed)) < 0.25]
            index = np.searchsorted(closed, reopened)
            self.events.add(
                reopened,
                self._days_between(days[index] + 1, self.today),
                self._pick(key + "_cod", len(reopened)),
            )
            has[key][closed] = False
            has[key][reopened] = True

    def _undiagnosed_hypertension(
        self, has: dict[str, np.ndarray], age: np.ndarray, deprived: np.ndarray
    ) -> np.ndarray:
        risk = np.where((age >= 30) & ~has["hyp"], 0.05 + 0.002 * (age - 30) + 0.02 * deprived, 0.0)
        return self.rng.random(self.n) < np.clip(risk, 0, 1)

    def _reading_days(self, size: int, oldest: int, newest: int = 0) -> np.ndarray:
        return self.today - newest - self.rng.integers(0, oldest - newest, size)

    def _blood_pressure(
        self, has: dict[str, np.ndarray], undiagnosed: np.ndarray, age: np.ndarray
    ) -> None:
        rng, n = self.rng, self.n
        chance = np.where(age >= 40, 0.35, np.where(age >= 18, 0.15, 0.0))
        chance = np.where(has["dm"], 0.85, chance)
        chance = np.where(undiagnosed, 0.6, chance)
        chance = np.where(has["hyp"], 0.88, chance)
        systolic_mean = np.where(has["hyp"], 131.0, np.where(undiagnosed, 152.0, 123.0))
        diastolic_mean = np.where(has["hyp"], 80.0, np.where(undiagnosed, 92.0, 75.0))
        systolic_codes = sorted(self.codelists["systolic_bp"] & self.codelists["bp_cod"])
        diastolic_codes = sorted(self.codelists["diastolic_bp"] & self.codelists["bp_cod"])
        recent = np.flatnonzero(rng.random(n) < chance)
        older = np.flatnonzero((rng.random(n) < np.where(age >= 45, 0.8, 0.3)) & (age >= 18))
        for who, oldest, newest in ((recent, 365, 0), (older, 5 * 365, 300)):
            days = self._reading_days(len(who), oldest, newest)
            systolic = np.rint(rng.normal(systolic_mean[who], 13)).astype(float)
            diastolic = np.rint(rng.normal(diastolic_mean[who], 8)).astype(float)
            systolic[rng.random(len(who)) < 0.02] = (
                np.nan
            )  # a code without a value is not a reading
            self.events.add(
                who, days, rng.choice(np.array(systolic_codes, dtype=object), len(who)), systolic
            )
            self.events.add(
                who, days, rng.choice(np.array(diastolic_codes, dtype=object), len(who)), diastolic
            )

    def _hba1c(self, has: dict[str, np.ndarray]) -> None:
        rng = self.rng
        diabetic = np.flatnonzero(has["dm"])
        ifcc = sorted(self.codelists["hba1c"] - HBA1C_DCCT_CODES)
        for who, oldest, newest in (
            (diabetic[rng.random(len(diabetic)) < 0.85], 365, 0),
            (diabetic[rng.random(len(diabetic)) < 0.9], 3 * 365, 366),
        ):
            value = np.rint(np.clip(rng.lognormal(np.log(52), 0.22, len(who)), 30, 150))
            codes = rng.choice(np.array(ifcc, dtype=object), len(who))
            dcct = rng.random(len(who)) < 0.03  # older labs still report DCCT %
            codes[dcct] = sorted(HBA1C_DCCT_CODES)[0]
            value[dcct] = np.round(value[dcct] / 10.929 + 2.15, 1)
            self.events.add(who, self._reading_days(len(who), oldest, newest), codes, value)

    def _frailty(
        self, has: dict[str, np.ndarray], age: np.ndarray, deprived: np.ndarray, born: np.ndarray
    ) -> None:
        rng, n = self.rng, self.n
        deficits = sorted(
            {d for _, d in self.codelists.efi_deficits} - set(DEFICIT_CONDITIONS.values())
        )
        deficits = [
            d for d in deficits if d not in ("hypertension", "diabetes", "respiratory-disease")
        ]
        mean = np.where(
            age >= 65,
            1.4 + 0.16 * (age - 65) + 0.8 * deprived,
            0.15 + 0.01 * np.maximum(age - 40, 0),
        )
        count = np.minimum(rng.poisson(np.clip(mean, 0, None)), len(deficits))
        for deficit in deficits:
            # Each deficit independently with chance count/D, so a person averages `count` of them.
            who = np.flatnonzero(rng.random(n) * len(deficits) < count)
            days = self._diagnosis_days(who, born, 0)
            self.events.add(who, days, self._deficit_codes(deficit, len(who)))
        # Care homes: ≈0.6% of the list, mostly the very old.
        care_home = rng.random(n) < np.where(
            age >= 85, 0.14, np.where(age >= 75, 0.035, np.where(age >= 65, 0.006, 0.0002))
        )
        who = np.flatnonzero(care_home)
        pool = sorted(self.codelists["carehome_cod"] | self.codelists["residential_status"])
        self.events.add(
            who,
            self._reading_days(len(who), 3 * 365),
            rng.choice(np.array(pool, dtype=object), len(who)),
        )
        self.care_home = care_home

    def _medicines(self, has: dict[str, np.ndarray], age: np.ndarray, deprived: np.ndarray) -> None:
        rng, n = self.rng, self.n
        load = 0.2 + 0.05 * np.maximum(age - 40, 0) + 0.3 * deprived.clip(0)
        for key, weight in (
            ("hyp", 1.2),
            ("dm", 1.8),
            ("copd", 1.0),
            ("ast", 0.8),
            ("chd", 1.5),
            ("hf", 2.0),
            ("smi", 1.0),
        ):
            load = load + weight * has[key]
        regular = np.minimum(rng.poisson(load), 25)
        pool = np.array([f"9{i:07d}" for i in range(600)], dtype=object)  # synthetic dm+d-like ids
        owner = np.repeat(np.arange(n), regular)
        drug = rng.choice(pool, len(owner))
        interval = rng.choice(np.array([28, 56, 84]), len(owner))
        first = self.today - rng.integers(0, interval)
        stopped = np.where(
            rng.random(len(owner)) < 0.15,
            self.today - rng.integers(30, 300, len(owner)),
            self.today,
        )
        issues = (400 // interval) + 1
        row_owner = np.repeat(owner, issues)
        row_drug = np.repeat(drug, issues)
        step = (
            np.concatenate([np.arange(k) for k in issues])
            if len(issues)
            else np.array([], np.int64)
        )
        row_day = np.repeat(first, issues) - step * np.repeat(interval, issues)
        keep = row_day <= np.repeat(stopped, issues)
        self.medicines.add(row_owner[keep], row_day[keep], row_drug[keep])
        addictive = np.array(sorted(self.codelists["dependence_forming_medicines"]), dtype=object)
        chance = np.where(age >= 18, 0.045 + 0.0006 * (age - 18) + 0.02 * deprived, 0.0)
        who = np.flatnonzero(rng.random(n) < chance)
        drug = rng.choice(addictive, len(who))
        for offset in (0, 60, 120, 200, 280):
            days = self.today - offset - rng.integers(0, 50, len(who))
            self.medicines.add(who, days, drug)
        on_addictive = np.zeros(n, dtype=bool)
        on_addictive[who] = True
        reviewed = np.flatnonzero(((regular > 0) | on_addictive) & (rng.random(n) < 0.55))
        self.events.add(
            reviewed,
            self._reading_days(len(reviewed), 540),
            self._pick("medrvw_cod", len(reviewed)),
        )
        priority = (regular >= 8) | self.care_home | on_addictive
        smr = np.flatnonzero(priority & (rng.random(n) < 0.35))
        self.events.add(
            smr,
            self._reading_days(len(smr), 540),
            self._pick("structured_medication_review", len(smr)),
        )

    # --- registrations and deaths -----------------------------------------------------------

    def _deaths(self, age: np.ndarray, born: np.ndarray) -> np.ndarray:
        annual = np.clip(np.exp(-9.8 + 0.085 * age), 0, 0.35)
        dies = self.rng.random(self.n) < annual * 2  # deaths over the last two years
        day = np.maximum(self.today - self.rng.integers(0, 730, self.n), born)
        return np.where(dies, day, NO_DATE)

    def _registrations(self, practice: np.ndarray, born: np.ndarray) -> dict[str, np.ndarray]:
        rng, n = self.rng, self.n
        start = np.maximum(born, self.today - rng.integers(0, 30 * 365, n))
        end = np.full(n, NO_DATE)
        left = rng.random(n) < 0.012  # moved away before the as-of date
        end[left] = self._days_between(start[left], self.today - 1)
        # ≈3% moved from another practice (only possible for those registered a year after birth).
        moved = np.flatnonzero((rng.random(n) < 0.03) & (start - born > 365))
        previous_practice = (
            practice[moved] + 1 + rng.integers(0, max(1, len(self.practices) - 1), len(moved))
        ) % len(self.practices)
        previous_start = np.maximum(born[moved], start[moved] - rng.integers(200, 4000, len(moved)))
        return {
            "patient": np.concatenate([np.arange(n), moved]),
            "practice": np.concatenate([practice, previous_practice]),
            "start": np.concatenate([start, previous_start]),
            "end": np.concatenate([end, start[moved] - 1]),
        }


def _default_practices(patients: int) -> list[PracticeSpec]:
    count = max(1, round(patients / 9000))
    return [PracticeSpec(f"Z{i + 1:05d}", f"UZ{i // 4 + 1:04d}") for i in range(count)]


def _dates(days: np.ndarray) -> pa.Array:
    missing = days == NO_DATE
    values = np.where(missing, 0, days).astype("datetime64[D]")
    return pa.array(values, pa.date32(), mask=missing)


def _registrations_table(
    ids: pa.Array, registrations: dict[str, np.ndarray], practices: Sequence[PracticeSpec]
) -> pa.Table:
    codes = pa.array([practice.practice_code for practice in practices], pa.string())
    return pa.table(
        {
            "patient_id": ids.take(pa.array(registrations["patient"])),
            "practice_code": codes.take(pa.array(registrations["practice"])),
            "start_date": _dates(registrations["start"]),
            "end_date": _dates(registrations["end"]),
        }
    )


def _event_table(ids: pa.Array, events: _Events, code_column: str, with_value: bool) -> pa.Table:
    patient = np.concatenate(events.patient) if events.patient else np.array([], np.int64)
    columns: dict[str, pa.Array] = {
        "patient_id": ids.take(pa.array(patient)),
        "date": _dates(np.concatenate(events.day)),
        code_column: pa.array(np.concatenate(events.code), pa.string()),
    }
    if with_value:
        value = np.concatenate(events.value)
        columns["numeric_value"] = pa.array(value, pa.float64(), mask=np.isnan(value))
    order = np.lexsort((columns["date"].to_numpy(zero_copy_only=False), patient))
    return pa.table(columns).take(pa.array(order))
