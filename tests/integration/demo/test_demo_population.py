"""The demo's population data: agreements (two exceptions), a synthetic extract and a refresh."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from openpcn.demo import population
from openpcn.demo.load import load_demo
from openpcn.organisations.models import Alliance, Network, NetworkMembership, Practice
from openpcn.population import storage
from openpcn.population.models import (
    DataSharingAgreement,
    IndicatorFigure,
    IndicatorRefresh,
    JobStatus,
    PopulationExtract,
)


@pytest.fixture(autouse=True)
def _private_data_dir(settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path / "data"


def test_previous_month_end():
    assert population.previous_month_end(dt.date(2026, 11, 23)) == dt.date(2026, 10, 31)
    assert population.previous_month_end(dt.date(2026, 3, 1)) == dt.date(2026, 2, 28)
    assert population.previous_month_end(dt.date(2026, 1, 31)) == dt.date(2025, 12, 31)


def test_a_small_population_on_top_of_the_demo(db):  # type: ignore[no-untyped-def]
    # By default (as the browser tests load it) the demo has no population data.
    load_demo(seed=2026)
    assert not PopulationExtract.objects.exists()
    assert not DataSharingAgreement.objects.exists()

    alliance = Alliance.objects.get(is_synthetic=True)
    stages: list[tuple[str, int]] = []
    built = population.build_population(
        alliance,
        patients=5_000,
        months=3,
        progress=lambda label, n: stages.append((label, n)),
    )
    run = built.refresh
    assert run.status == JobStatus.DONE
    assert built.patients == 5_000
    assert sum(n for _, n in stages) == population.STEPS
    assert all(label.startswith("Population: ") for label, _ in stages)
    # The refresh's own steps come through too, without advancing the count.
    assert any(
        label.startswith("Population: counting indicators at") and n == 0 for label, n in stages
    )
    extract = PopulationExtract.objects.get()
    assert extract.file_format == "parquet" and extract.row_counts["patients"] == 5_000
    assert run.as_of == population.previous_month_end(dt.date.today())

    # Agreements: all but one practice, one of them for its PCN only, in different PCNs.
    practices = {p.ods_code: p for p in Practice.objects.filter(alliance=alliance)}
    assert len(practices) == 47
    agreements = DataSharingAgreement.objects.active_on(dt.date.today())
    assert agreements.count() == 46
    assert {a.scope for a in agreements if a.practice.ods_code == population.PCN_ONLY_PRACTICE} == {
        "pcn"
    }
    assert not agreements.filter(practice__ods_code=population.NO_AGREEMENT_PRACTICE).exists()
    assert all(a.signed_by_role == "Caldicott Guardian" for a in agreements)
    assert all(a.signed_by_name.startswith("Dr ") for a in agreements)
    assert all(a.signed_on < dt.date.today() - dt.timedelta(days=30) for a in agreements)
    network_of = {
        m.practice.ods_code: m.network_id
        for m in NetworkMembership.objects.current().select_related("practice")
    }
    assert network_of[population.NO_AGREEMENT_PRACTICE] != network_of[population.PCN_ONLY_PRACTICE]

    # Who counts beyond their practice.
    assert population.NO_AGREEMENT_PRACTICE not in run.shared_with_pcn
    assert population.NO_AGREEMENT_PRACTICE not in run.shared_with_alliance
    assert population.PCN_ONLY_PRACTICE in run.shared_with_pcn
    assert population.PCN_ONLY_PRACTICE not in run.shared_with_alliance
    assert len(run.shared_with_pcn) == 46 and len(run.shared_with_alliance) == 45

    # Figures for the alliance, the place, every PCN and every practice, for each month.
    at_as_of = IndicatorFigure.objects.filter(
        refresh=run, indicator="HYP_REG", breakdown="", period=run.as_of
    )
    with_figures = set(at_as_of.values_list("organisation_id", flat=True))
    assert alliance.pk in with_figures
    with_practices = Network.objects.filter(alliance=alliance, practice_memberships__isnull=False)
    assert set(with_practices.values_list("pk", flat=True)) <= with_figures
    assert {p.pk for p in practices.values()} <= with_figures
    periods = set(IndicatorFigure.objects.filter(refresh=run).values_list("period", flat=True))
    assert len(periods) == 3
    # The alliance counts every practice but the two that did not agree to share that far.
    total = at_as_of.get(organisation=alliance).denominator
    by_practice = {f.organisation_id: f.denominator for f in at_as_of}
    left_out = [
        practices[population.NO_AGREEMENT_PRACTICE],
        practices[population.PCN_ONLY_PRACTICE],
    ]
    assert total == sum(by_practice[p.pk] for p in practices.values()) - sum(
        by_practice[p.pk] for p in left_out
    )
    # Every practice has a worklist file.
    assert all(storage.worklist_file(run.pk, code).is_file() for code in practices)

    # Loading the demo again adds nothing when population data is there.
    again = load_demo(seed=2026, population_patients=1_000, population_months=1)
    assert not again.created and again.population is None
    assert IndicatorRefresh.objects.count() == 1
