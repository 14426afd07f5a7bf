"""Run the indicator suite on an extract and write the population outputs.

Files written to the output folder:
- indicators.csv: indicator, org_type (practice|pcn|alliance), org_code, numerator, denominator,
  value (a fraction, unrounded; empty when the denominator is 0);
- indicators_by_group.csv: the same plus group_type (imd_quintile|ethnicity6) and group;
- indicators_published.csv and indicators_by_group_published.csv: disclosure-controlled copies
  (every row below alliance level);
- variation.csv: percentile among peers, Wilson funnel limits and flags (practices and PCNs);
- deciles.csv: the 10th … 90th centiles across practices and across PCNs;
- inequalities.csv: slope and relative index of inequality across IMD quintiles;
- indicators_monthly.csv: month-end series with XmR limits and Making Data Count point types;
- worklists/<practice_code>.csv: patient_id, indicator and reason, for case finding and gaps.
Patient-level rows only ever go to the worklist files; nothing patient-level is logged.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from openpcn.population.engine import statistics
from openpcn.population.engine.codelist_library import Codelists
from openpcn.population.engine.disclosure import publish_rate
from openpcn.population.engine.engines import Engine
from openpcn.population.engine.indicators import (
    INDICATORS,
    Indicator,
    indicator_dataset,
    months_before,
    worklist_dataset,
)
from openpcn.population.engine.loading import Extract

ORG_TYPES = ("practice", "pcn", "alliance")
GROUP_TYPES = ("imd_quintile", "ethnicity6")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class RunSettings:
    as_of: datetime.date
    codelists: Codelists
    alliance_code: str = "ALLIANCE"
    months: int = 12  # length of the monthly series (0: none)
    indicators: tuple[Indicator, ...] = INDICATORS


def practice_counts(
    engine: Engine,
    extract: Extract,
    settings: RunSettings,
    on: datetime.date,
    by: Sequence[str] = ("practice",),
) -> pd.DataFrame:
    """Patient counts per flag, grouped in the backend by practice (and `by` groups), with
    each mapped practice's PCN and the alliance attached; unmapped practices are dropped."""
    deciles = dict(
        zip(
            extract.deprivation.column("lsoa_code").to_pylist(),
            extract.deprivation.column("imd_decile").to_pylist(),
            strict=True,
        )
    )
    dataset = indicator_dataset(on, settings.codelists, settings.indicators, deciles)
    wanted = {
        name: dataset[name] for name in dataset if name in by or name == "base" or "__" in name
    }
    counts = engine.aggregate(wanted, list(by)).to_pandas()
    org_map = extract.organisation_map.select(["practice_code", "pcn_code"]).to_pandas()
    frame = counts.merge(org_map, left_on="practice", right_on="practice_code", how="inner")
    frame["alliance_code"] = settings.alliance_code
    return frame


def aggregate(
    frame: pd.DataFrame, indicators: Sequence[Indicator], by: Sequence[str] = ()
) -> pd.DataFrame:
    """Numerator and denominator per indicator and organisation (and group columns `by`)."""
    flag_columns = [f"{i.id}__{part}" for i in indicators for part in ("num", "den")]
    parts = []
    for org_type, key in (
        ("practice", "practice_code"),
        ("pcn", "pcn_code"),
        ("alliance", "alliance_code"),
    ):
        sums = frame.groupby([key, *by], observed=True)[flag_columns].sum().reset_index()
        sums = sums.rename(columns={key: "org_code"})
        sums.insert(0, "org_type", org_type)
        parts.append(sums)
    wide = pd.concat(parts, ignore_index=True)
    rows = []
    for indicator in indicators:
        block = wide[["org_type", "org_code", *by]].copy()
        block.insert(0, "indicator", indicator.id)
        block["numerator"] = wide[f"{indicator.id}__num"].astype("int64")
        block["denominator"] = wide[f"{indicator.id}__den"].astype("int64")
        rows.append(block)
    result = pd.concat(rows, ignore_index=True)
    result["value"] = result["numerator"] / result["denominator"].where(result["denominator"] > 0)
    order = {org_type: rank for rank, org_type in enumerate(ORG_TYPES)}
    result["_order"] = result["org_type"].map(order)
    indicator_order = {indicator.id: rank for rank, indicator in enumerate(indicators)}
    result["_indicator"] = result["indicator"].map(indicator_order)
    result = result.sort_values(["_indicator", "_order", "org_code", *by]).drop(
        columns=["_order", "_indicator"]
    )
    return result.reset_index(drop=True)


def run(
    engine: Engine,
    extract: Extract,
    settings: RunSettings,
    out: Path,
    progress: Progress | None = None,
) -> dict[str, Path]:
    """Compute everything and write the output files; returns them by name."""
    step = progress or (lambda _message: None)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    indicators = settings.indicators

    step("evaluating indicators")
    frame = practice_counts(engine, extract, settings, settings.as_of, ("practice", *GROUP_TYPES))
    registered = frame.groupby("practice_code")["base"].sum()
    practices_with_patients = set(registered[registered > 0].index)
    frame = frame[frame["practice_code"].isin(practices_with_patients)]

    step("aggregating")
    totals = aggregate(frame, indicators)
    by_group = pd.concat(
        [
            aggregate(frame.assign(group=frame[group_type]), indicators, ["group"]).assign(
                group_type=group_type
            )
            for group_type in GROUP_TYPES
        ],
        ignore_index=True,
    )
    by_group = by_group[
        [
            "indicator",
            "org_type",
            "org_code",
            "group_type",
            "group",
            "numerator",
            "denominator",
            "value",
        ]
    ]
    written["indicators"] = _write_csv(out / "indicators.csv", totals)
    written["indicators_by_group"] = _write_csv(out / "indicators_by_group.csv", by_group)
    written["indicators_published"] = _write_csv(
        out / "indicators_published.csv", _published(totals)
    )
    written["indicators_by_group_published"] = _write_csv(
        out / "indicators_by_group_published.csv", _published(by_group)
    )

    step("variation and inequality")
    written["variation"] = _write_csv(out / "variation.csv", variation(totals, indicators))
    written["deciles"] = _write_csv(out / "deciles.csv", decile_table(totals, indicators))
    written["inequalities"] = _write_csv(
        out / "inequalities.csv", inequalities(by_group, indicators)
    )

    if settings.months > 0:
        series = []
        for months_back in range(settings.months - 1, -1, -1):
            on = months_before(settings.as_of, months_back)
            step(f"monthly series: {on.isoformat()}")
            counts = practice_counts(engine, extract, settings, on)
            counts = counts[counts["practice_code"].isin(practices_with_patients)]
            monthly = aggregate(counts, indicators)
            series.append(monthly.assign(date=on.isoformat()))
        written["indicators_monthly"] = _write_csv(
            out / "indicators_monthly.csv",
            spc_table(pd.concat(series, ignore_index=True), indicators),
        )

    step("worklists")
    patients = engine.evaluate(
        worklist_dataset(settings.as_of, settings.codelists, indicators), where="on_a_worklist"
    ).to_pandas()
    written["worklists"] = write_worklists(
        patients, indicators, out / "worklists", practices_with_patients
    )
    return written


def _published(table: pd.DataFrame) -> pd.DataFrame:
    published = table.copy()
    rates = [
        publish_rate(int(num), int(den), controlled=org_type != "alliance")
        for num, den, org_type in zip(
            table["numerator"], table["denominator"], table["org_type"], strict=True
        )
    ]
    published["numerator"] = [rate.numerator for rate in rates]
    published["denominator"] = [rate.denominator for rate in rates]
    published["value"] = [rate.value for rate in rates]
    return published


def variation(totals: pd.DataFrame, indicators: Sequence[Indicator]) -> pd.DataFrame:
    """Percentile among peers of the same org type, and funnel limits around the alliance value."""
    rows: list[dict[str, Any]] = []
    for indicator in indicators:
        mine = totals[totals["indicator"] == indicator.id]
        alliance = mine[mine["org_type"] == "alliance"]
        numerator, denominator = (
            int(alliance["numerator"].sum()),
            int(alliance["denominator"].sum()),
        )
        target = numerator / denominator if denominator else None
        for org_type in ("practice", "pcn"):
            peers = mine[mine["org_type"] == org_type]
            values = [None if pd.isna(v) else float(v) for v in peers["value"]]
            ranks = statistics.percent_ranks(values)
            for (_, row), value, rank in zip(peers.iterrows(), values, ranks, strict=True):
                limits = (
                    None
                    if target is None
                    else statistics.funnel_limits(target, int(row["denominator"]))
                )
                rows.append(
                    {
                        "indicator": indicator.id,
                        "org_type": org_type,
                        "org_code": row["org_code"],
                        "denominator": int(row["denominator"]),
                        "value": value,
                        "percentile": rank,
                        "target": target,
                        "lower_99_8": None if limits is None else limits.lower_99_8,
                        "lower_95": None if limits is None else limits.lower_95,
                        "upper_95": None if limits is None else limits.upper_95,
                        "upper_99_8": None if limits is None else limits.upper_99_8,
                        "funnel_flag": statistics.funnel_flag(value, limits),
                    }
                )
    return pd.DataFrame(rows)


def decile_table(totals: pd.DataFrame, indicators: Sequence[Indicator]) -> pd.DataFrame:
    rows = []
    for indicator in indicators:
        for org_type in ("practice", "pcn"):
            peers = totals[(totals["indicator"] == indicator.id) & (totals["org_type"] == org_type)]
            values = [None if pd.isna(v) else float(v) for v in peers["value"]]
            for centile, value in statistics.deciles(values).items():
                rows.append(
                    {
                        "indicator": indicator.id,
                        "org_type": org_type,
                        "centile": centile,
                        "value": value,
                    }
                )
    return pd.DataFrame(rows)


def inequalities(by_group: pd.DataFrame, indicators: Sequence[Indicator]) -> pd.DataFrame:
    """SII and RII across IMD quintiles 1 (most deprived) … 5, where all five are populated."""
    rows = []
    imd = by_group[(by_group["group_type"] == "imd_quintile") & (by_group["group"] != "unknown")]
    for (indicator_id, org_type, org_code), block in imd.groupby(
        ["indicator", "org_type", "org_code"], sort=False
    ):
        block = block.sort_values("group")
        groups = [
            (float(v), float(d))
            for v, d in zip(block["value"], block["denominator"], strict=True)
            if d > 0
        ]
        result = statistics.slope_index_of_inequality(groups) if len(groups) == 5 else None
        rows.append(
            {
                "indicator": indicator_id,
                "org_type": org_type,
                "org_code": org_code,
                "group_type": "imd_quintile",
                "sii": None if result is None else result.sii,
                "rii": None if result is None else result.rii,
            }
        )
    return pd.DataFrame(
        rows, columns=["indicator", "org_type", "org_code", "group_type", "sii", "rii"]
    )


def spc_table(series: pd.DataFrame, indicators: Sequence[Indicator]) -> pd.DataFrame:
    """Each organisation's month-end series with XmR mean, limits and point types."""
    low_is_good = {indicator.id: indicator.low_is_good for indicator in indicators}
    parts = []
    for (indicator_id, _org_type, _org_code), block in series.groupby(
        ["indicator", "org_type", "org_code"], sort=False
    ):
        block = block.sort_values("date").copy()
        values = [float(v) for v in block["value"]]
        chart = (
            None
            if any(pd.isna(v) for v in values)
            else statistics.xmr_chart(values, low_is_good[indicator_id])
        )
        block["mean"] = None if chart is None else chart.mean
        block["lower_limit"] = None if chart is None else chart.lower_limit
        block["upper_limit"] = None if chart is None else chart.upper_limit
        block["point_type"] = [""] * len(block) if chart is None else list(chart.point_types)
        block["rule"] = [""] * len(block) if chart is None else list(chart.rules)
        parts.append(block)
    columns = ["indicator", "org_type", "org_code", "date", "numerator", "denominator", "value"]
    columns += ["mean", "lower_limit", "upper_limit", "point_type", "rule"]
    return pd.concat(parts, ignore_index=True)[columns]


def write_worklists(
    patients: pd.DataFrame, indicators: Sequence[Indicator], folder: Path, practices: Iterable[str]
) -> Path:
    """One CSV per practice: the patients to act on, by indicator, with the reason."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = [
        patients.loc[patients[f"{indicator.id}__worklist"], ["practice", "patient_id"]].assign(
            indicator=indicator.id, reason=indicator.worklist_reason
        )
        for indicator in indicators
        if indicator.worklist is not None
    ]
    columns = ["practice", "patient_id", "indicator", "reason"]
    combined = pd.concat(entries, ignore_index=True) if entries else pd.DataFrame(columns=columns)
    for practice in sorted(practices):
        rows = combined[combined["practice"] == practice].sort_values(["indicator", "patient_id"])
        _write_csv(folder / f"{practice}.csv", rows[["patient_id", "indicator", "reason"]])
    return folder


def _write_csv(path: Path, table: pd.DataFrame) -> Path:
    """CSV with floats in full precision (repr) and nulls as empty cells."""
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(arrow.column_names)
        for row in zip(
            *(arrow.column(name).to_pylist() for name in arrow.column_names), strict=True
        ):
            writer.writerow(["" if value is None else _cell(value) for value in row])
    return path


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "" if value != value else repr(value)  # NaN is a missing value
    return str(value)
