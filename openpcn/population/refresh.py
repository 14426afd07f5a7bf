"""Recomputing every indicator for an as-of date (the `refresh_indicators` task).

Practice figures are kept for every practice in the extract: its own staff may always see them.
PCN figures count only practices whose data-sharing agreement is active on the day of the refresh;
place and alliance figures only those that agreed to share beyond their PCN. A monthly history of
month ends before the as-of date feeds trends and SPC charts; breakdowns by IMD quintile and
ethnicity are kept for the as-of date. Worklists go to private Parquet files, one per practice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.db import transaction
from django.utils import timezone

from openpcn.organisations.models import Organisation
from openpcn.population import registry_map, storage
from openpcn.population.engine import outputs
from openpcn.population.engine.codelist_library import load_codelists
from openpcn.population.engine.engines.ibis_engine import IbisEngine
from openpcn.population.engine.indicators import INDICATORS, months_before, worklist_dataset
from openpcn.population.engine.loading import load_extract
from openpcn.population.models import (
    DataSharingAgreement,
    IndicatorFigure,
    IndicatorRefresh,
    JobStatus,
    SharingScope,
)

log = logging.getLogger(__name__)
GROUP_TYPES = outputs.GROUP_TYPES
FLAGS = [f"{i.id}__{part}" for i in INDICATORS for part in ("num", "den")]


ProgressListener = Callable[[int, str], None]


def run_refresh(refresh_id: int, on_progress: ProgressListener | None = None) -> None:
    """Recompute every indicator; `on_progress(percent, message)` echoes progress (the CLI)."""
    refresh = IndicatorRefresh.objects.select_related("alliance", "extract").get(pk=refresh_id)
    if refresh.status != JobStatus.QUEUED:
        return

    def _progress(_: IndicatorRefresh, percent: int, message: str, **fields: object) -> None:
        IndicatorRefresh.objects.filter(pk=refresh.pk).update(
            progress=percent, progress_message=message, **fields
        )
        if on_progress is not None:
            on_progress(percent, message)

    _progress(refresh, 2, "Loading the extract", status=JobStatus.RUNNING)
    folder = storage.refresh_folder(refresh.pk)
    work = storage.root() / "refreshes" / f".tmp-{refresh.pk}"
    try:
        _refresh(refresh, folder, work, _progress)
    except Exception:
        log.exception("Refreshing indicators %s failed", refresh.pk)
        storage.remove(folder)
        storage.remove(work)  # may hold patient-level worklists
        _progress(
            refresh,
            100,
            "The refresh failed: the error is in the server log",
            status=JobStatus.FAILED,
            error="The refresh failed",
            finished_at=timezone.now(),
        )


def _refresh(
    refresh: IndicatorRefresh, folder: Path, work: Path, _progress: Callable[..., None]
) -> None:
    today = dt.date.today()
    links = registry_map.practice_links(refresh.alliance, refresh.as_of)
    extract_folder = storage.extract_folder(refresh.extract_id)
    storage.private_folder(work)
    org_map = registry_map.write_organisation_map(links, work / "organisation_map.csv")
    extract = load_extract(extract_folder, extract_folder / "deprivation.parquet", org_map)
    org_map.unlink()
    engine = IbisEngine.duckdb(extract.tables)
    settings = outputs.RunSettings(as_of=refresh.as_of, codelists=load_codelists(), months=0)

    agreements = {a.practice_id: a.scope for a in DataSharingAgreement.objects.active_on(today)}
    pcn_sharing = {code for code, link in links.items() if link.practice.pk in agreements}
    alliance_sharing = {
        code
        for code, link in links.items()
        if agreements.get(link.practice.pk) == SharingScope.ALLIANCE
    }
    place_codes = {
        code: (link.place.ods_code or f"place-{link.place.pk}")
        for code, link in links.items()
        if link.place is not None
    }
    organisations = _organisation_ids(refresh.alliance, links, place_codes)

    _progress(refresh, 8, f"Counting indicators at {refresh.as_of:%d %B %Y}")
    grouped = outputs.practice_counts(
        engine, extract, settings, refresh.as_of, ("practice", *GROUP_TYPES)
    )
    figures: list[IndicatorFigure] = []
    levels = Levels(pcn_sharing, alliance_sharing, place_codes)
    figures += _figures(refresh, grouped, refresh.as_of, "", levels, organisations)
    for group_type in GROUP_TYPES:
        figures += _figures(refresh, grouped, refresh.as_of, group_type, levels, organisations)

    for step, months_back in enumerate(range(1, refresh.months)):
        on = months_before(refresh.as_of, months_back)
        percent = 10 + int(75 * step / max(refresh.months - 1, 1))
        _progress(refresh, percent, f"Counting indicators at {on:%d %B %Y}")
        counts = outputs.practice_counts(engine, extract, settings, on)
        figures += _figures(refresh, counts, on, "", levels, organisations)

    _progress(refresh, 88, "Writing worklists")
    patients = engine.evaluate(
        worklist_dataset(refresh.as_of, settings.codelists, settings.indicators),
        where="on_a_worklist",
    ).to_pandas()
    _write_worklists(patients, work / "worklists", links, extract.tables["patients"])

    _progress(refresh, 95, "Saving figures")
    with transaction.atomic():
        IndicatorFigure.objects.bulk_create(figures, batch_size=2000)
        storage.publish(work, folder)
        _progress(
            refresh,
            100,
            f"{len(figures):,} figures for {len(links)} practices",
            status=JobStatus.DONE,
            finished_at=timezone.now(),
            shared_with_pcn=sorted(pcn_sharing),
            shared_with_alliance=sorted(alliance_sharing),
        )


@dataclass(frozen=True)
class Levels:
    """Which practices count at each level: every practice for its own figures, those sharing
    with their PCN for PCN figures, those sharing alliance-wide for place and alliance figures."""

    pcn_sharing: set[str]
    alliance_sharing: set[str]
    place_codes: dict[str, str]  # practice code -> its place's code

    def counted(self) -> list[tuple[str, set[str] | None]]:
        return [
            ("practice_code", None),
            ("pcn_code", self.pcn_sharing),
            ("place_code", self.alliance_sharing),
            ("alliance_code", self.alliance_sharing),
        ]


def _figures(
    refresh: IndicatorRefresh,
    counts: pd.DataFrame,
    period: dt.date,
    group_type: str,
    levels: Levels,
    organisations: dict[str, int],
) -> list[IndicatorFigure]:
    frame = counts.assign(place_code=counts["practice_code"].map(levels.place_codes))
    by = [group_type] if group_type else []
    figures = []
    for key, sharing in levels.counted():
        part = frame if sharing is None else frame[frame["practice_code"].isin(sharing)]
        part = part[part[key].notna()]
        if part.empty:
            continue
        sums = part.groupby([key, *by], observed=True)[FLAGS].sum().reset_index()
        for row in sums.itertuples(index=False):
            values = row._asdict()
            org_id = organisations.get(str(values[key]))
            if org_id is None:
                continue
            for indicator in INDICATORS:
                figures.append(
                    IndicatorFigure(
                        refresh=refresh,
                        indicator=indicator.id,
                        organisation_id=org_id,
                        period=period,
                        breakdown=group_type,
                        group=str(values[group_type]) if group_type else "",
                        numerator=int(values[f"{indicator.id}__num"]),
                        denominator=int(values[f"{indicator.id}__den"]),
                    )
                )
    return figures


def _organisation_ids(
    alliance: Organisation, links: dict[str, registry_map.PracticeLink], place_codes: dict[str, str]
) -> dict[str, int]:
    ids = {outputs.RunSettings.alliance_code: alliance.pk}
    for code, link in links.items():
        ids[code] = link.practice.pk
        if link.network is not None and link.network.ods_code:
            ids[link.network.ods_code] = link.network.pk
        if link.place is not None:
            ids[place_codes[code]] = link.place.pk
    return ids


def _write_worklists(
    patients: pd.DataFrame,
    folder: Path,
    links: dict[str, registry_map.PracticeLink],
    extract_patients: pa.Table | None = None,
) -> None:
    """One private file per practice: patient_id, indicator, reason and nhs_number (null unless
    the extract gives the patient's NHS number; who may see it is decided when it is read)."""
    target = storage.private_folder(folder)
    entries = [
        patients.loc[patients[f"{i.id}__worklist"], ["practice", "patient_id"]].assign(
            indicator=i.id, reason=i.worklist_reason
        )
        for i in INDICATORS
        if i.worklist is not None
    ]
    combined = pd.concat(entries, ignore_index=True)
    numbers = _nhs_numbers(extract_patients, combined["patient_id"])
    for code in links:
        rows = combined[combined["practice"] == code].sort_values(["indicator", "patient_id"])
        table = pa.Table.from_pandas(
            rows[["patient_id", "indicator", "reason"]].astype(str), preserve_index=False
        )
        ids = table.column("patient_id").to_pylist()
        table = table.append_column(
            "nhs_number", pa.array([numbers.get(i) for i in ids], pa.string())
        )
        path = target / f"{code}.parquet"
        pq.write_table(table, path)
        path.chmod(storage.FILE_MODE)


def _nhs_numbers(extract_patients: pa.Table | None, listed: pd.Series) -> dict[str, str]:
    """patient_id -> NHS number, for listed patients the extract gives one (often none)."""
    if extract_patients is None or "nhs_number" not in extract_patients.column_names:
        return {}
    numbers = extract_patients.column("nhs_number")
    if numbers.null_count == len(numbers):
        return {}
    on_a_list = pa.array(listed.astype(str).unique(), pa.string())
    given = extract_patients.select(["patient_id", "nhs_number"]).filter(
        pc.and_(
            pc.is_valid(numbers),
            pc.is_in(extract_patients.column("patient_id"), value_set=on_a_list),
        )
    )
    return dict(
        zip(
            given.column("patient_id").to_pylist(),
            given.column("nhs_number").to_pylist(),
            strict=True,
        )
    )
