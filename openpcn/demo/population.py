"""Population data in the demo: data-sharing agreements, a synthetic extract and an indicator refresh.

Everything goes through the platform's own path, as an analyst's upload would: agreements are
recorded with `actions.record_agreement`, the synthetic extract (one patient for each patient on
the registry's latest list sizes, unless fewer are asked for) is uploaded as Parquet, validated by
`imports.run_import`, and the indicators are refreshed by `refresh.run_refresh` with a monthly
history, as of the last day of the previous month so the dashboards look current.

Agreements: every practice shares with the alliance, except two in different PCNs, so the demo
shows what a missing agreement does:
- SYN003 (Willowmere Health Centre, Brookside PCN, the demo logins' PCN) has signed no agreement:
  it is counted only in its own figures, not in Brookside PCN's, the place's or the alliance's;
- SYN009 (Thornbury Lane Medical Practice, Northgate PCN) has signed for its PCN only: it is in
  Northgate PCN's figures but not the place's or the alliance's.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Q

from openpcn.demo import names
from openpcn.organisations.models import (
    Organisation,
    OrganisationKind,
    PopulationSnapshot,
    RoleHolding,
    RoleTitle,
)
from openpcn.population import actions, imports, refresh, registry_map
from openpcn.population.engine import synthetic
from openpcn.population.models import (
    DataSharingAgreement,
    IndicatorRefresh,
    JobStatus,
    SharingScope,
)

NO_AGREEMENT_PRACTICE = "SYN003"
PCN_ONLY_PRACTICE = "SYN009"
SIGNATORY_ROLE = "Caldicott Guardian"
DEFAULT_MONTHS = 24
PROGRESS_LABEL = "Population"
STEPS = 5  # progress calls: four stages and the end

Progress = Callable[[str, int], None]


class DemoPopulationError(RuntimeError):
    """The demo's synthetic extract was not loaded, or its indicators were not refreshed."""


@dataclass(frozen=True)
class DemoPopulation:
    refresh: IndicatorRefresh
    patients: int
    seconds: dict[str, float]  # how long each stage took


def previous_month_end(today: dt.date | None = None) -> dt.date:
    """The last day of the month before `today`'s."""
    return (today or dt.date.today()).replace(day=1) - dt.timedelta(days=1)


def build_population(
    demo_or_alliance: object,
    *,
    patients: int | None = None,
    months: int = DEFAULT_MONTHS,
    seed: int = 2026,
    progress: Progress | None = None,
) -> DemoPopulation:
    """Agreements, a synthetic extract and a refresh for the demo alliance's own practices.

    `demo_or_alliance` is the demo's DemoRegistry or its alliance. `patients=None` generates the
    registry's latest list sizes (390,000 in the demo); a smaller number scales every practice
    down in proportion (for tests). `progress` is called with ("Population: <stage>", 1) as each
    of the four stages starts and once more at the end (STEPS steps in all), and with
    ("Population: <step>", 0) as the import and the refresh report their own steps.

    Raises DemoPopulationError if the import or the refresh fails (the server log has details).
    """
    alliance = _alliance(demo_or_alliance)
    today = dt.date.today()
    as_of = previous_month_end(today)
    seconds: dict[str, float] = {}

    def stage(name: str, message: str) -> None:
        seconds[name] = time.perf_counter()
        if progress is not None:
            progress(f"{PROGRESS_LABEL}: {message}", 1)

    def echo(_percent: int, message: str) -> None:
        # The import's and the refresh's own steps, e.g. "Counting indicators at 31 May 2025".
        if progress is not None:
            progress(f"{PROGRESS_LABEL}: {message[:1].lower()}{message[1:]}", 0)

    def done(name: str) -> None:
        seconds[name] = round(time.perf_counter() - seconds[name], 1)

    links = registry_map.practice_links(alliance, as_of)
    stage("agreements", "recording data-sharing agreements")
    record_agreements(alliance, seed=seed, today=today)
    done("agreements")

    specs = practice_specs(alliance, links)
    if not specs:
        raise DemoPopulationError(f"{alliance.name} has no practice with a registered list")
    total = patients if patients is not None else sum(s.list_size or 0 for s in specs)
    if total < 1:
        raise DemoPopulationError("The demo extract needs at least one patient")

    with tempfile.TemporaryDirectory(prefix="openpcn-demo-extract-") as folder:
        stage("generate", f"generating {total:,} synthetic patients")
        tables = synthetic.generate(total, seed=seed, as_of=as_of, practices=specs)
        paths = synthetic.write(tables, Path(folder), file_format="parquet")
        del tables
        # The platform builds the organisation map from the registry.
        (Path(folder) / "organisation_map.csv").unlink()
        done("generate")

        stage("import", "uploading and checking the extract")
        handles = [(p.name, p.open("rb")) for p in paths if p.exists()]
        try:
            extract = actions.upload_extract(
                by=None,
                alliance=alliance,
                file_format="parquet",
                files=handles,
                enqueue=False,
            )
        finally:
            for _, handle in handles:
                handle.close()
    imports.run_import(extract.pk, on_progress=echo)
    extract.refresh_from_db()
    if extract.status != JobStatus.DONE:
        where = f" ({extract.where})" if extract.where else ""
        raise DemoPopulationError(
            f"The demo extract {extract.pk} was not loaded{where}: {extract.error}"
        )
    done("import")

    stage("refresh", f"counting indicators for {months} months to {as_of:%d %B %Y}")
    run = actions.request_refresh(
        by=None, extract=extract, as_of=as_of, months=months, enqueue=False
    )
    refresh.run_refresh(run.pk, on_progress=echo)
    run.refresh_from_db()
    if run.status != JobStatus.DONE:
        raise DemoPopulationError(
            f"The demo's indicator refresh {run.pk} failed: {run.error or run.progress_message} "
            "(the server log has the details)"
        )
    done("refresh")
    if progress is not None:
        progress(f"{PROGRESS_LABEL}: {run.progress_message}", 1)
    return DemoPopulation(refresh=run, patients=total, seconds=seconds)


def _alliance(demo_or_alliance: object) -> Organisation:
    alliance = demo_or_alliance
    if not isinstance(alliance, Organisation):  # the DemoRegistry
        alliance = getattr(demo_or_alliance, "alliance", None)
    if isinstance(alliance, Organisation) and alliance.kind == OrganisationKind.ALLIANCE:
        return alliance
    raise TypeError("build_population needs the demo (DemoRegistry) or its alliance")


def practice_specs(
    alliance: Organisation, links: dict[str, registry_map.PracticeLink]
) -> list[synthetic.PracticeSpec]:
    """Each practice with its PCN's code and its latest registered list size (none: left out)."""
    latest: dict[int, int] = {}
    for snapshot in PopulationSnapshot.objects.filter(
        practice__alliance=alliance, practice__kind=OrganisationKind.PRACTICE
    ).order_by("practice_id", "-date"):
        latest.setdefault(snapshot.practice_id, snapshot.registered)
    specs = []
    for code, link in sorted(links.items()):
        size = latest.get(link.practice.pk, 0)
        if size <= 0:
            continue
        network_code = link.network.ods_code if link.network is not None else None
        specs.append(synthetic.PracticeSpec(code, network_code or f"no-pcn-{code}", size))
    return specs


def record_agreements(
    alliance: Organisation, *, seed: int, today: dt.date | None = None
) -> list[DataSharingAgreement]:
    """Every practice without an open agreement signs one (see the module's note on the two
    exceptions), a few months ago, by a GP partner as its Caldicott Guardian."""
    today = today or dt.date.today()
    rng = random.Random(f"demo-agreements:{seed}")
    practices = Organisation.objects.filter(
        alliance=alliance, kind=OrganisationKind.PRACTICE
    ).order_by("ods_code", "pk")
    already = set(
        DataSharingAgreement.objects.filter(
            practice__in=practices, withdrawn_on__isnull=True
        ).values_list("practice_id", flat=True)
    )
    recorded = []
    for practice in practices:
        signed_on = today - dt.timedelta(days=rng.randint(60, 200))
        if practice.pk in already or practice.ods_code == NO_AGREEMENT_PRACTICE:
            continue
        scope = (
            SharingScope.PCN if practice.ods_code == PCN_ONLY_PRACTICE else SharingScope.ALLIANCE
        )
        recorded.append(
            actions.record_agreement(
                by=None,
                practice=practice,
                scope=scope,
                signed_by_name=_signatory(practice, rng, today),
                signed_by_role=SIGNATORY_ROLE,
                signed_on=signed_on,
                document_reference=f"DSA-{practice.ods_code or practice.pk}-{signed_on:%Y%m}",
            )
        )
    return recorded


def _signatory(practice: Organisation, rng: random.Random, today: dt.date) -> str:
    """A GP partner of the practice, else an invented name."""
    holding = (
        RoleHolding.objects.filter(organisation=practice, title=RoleTitle.GP_PARTNER)
        .filter(Q(start_date__lte=today), Q(end_date__isnull=True) | Q(end_date__gt=today))
        .select_related("person")
        .order_by("start_date", "pk")
        .first()
    )
    if holding is not None:
        return f"Dr {holding.person.given_name} {holding.person.family_name}"
    return f"Dr {rng.choice(names.GIVEN_NAMES)} {rng.choice(names.FAMILY_NAMES)}"
