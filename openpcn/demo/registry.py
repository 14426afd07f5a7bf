"""The demo alliance's registry: 9 PCNs, 47 practices, ~390,000 patients, ~60 sites, people, board."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpcn.demo import names
from openpcn.organisations import actions
from openpcn.organisations.actions import Band
from openpcn.organisations.models import Organisation, Person, RoleTitle

SNAPSHOT_DATE = dt.date(2026, 1, 1)
PREVIOUS_SNAPSHOT_DATE = dt.date(2025, 1, 1)
NETWORK_START = dt.date(2019, 7, 1)
TOTAL_PATIENTS = 390_000
PRACTICES_PER_NETWORK = [6, 6, 5, 5, 5, 5, 5, 5, 5]  # 47 practices

# Share of a registered list in each 5-year band (0–4 … 90–94, 95+), roughly England's shape.
AGE_BAND_SHARES = [
    5.3, 5.9, 6.0, 5.6, 5.9, 6.6, 6.9, 6.9, 6.5, 6.3,
    6.7, 6.8, 6.3, 5.4, 4.8, 4.4, 3.1, 1.9, 0.9, 0.3,
]  # fmt: skip
FEMALE_SHARE_BY_BAND = [
    0.49, 0.49, 0.49, 0.49, 0.49, 0.49, 0.50, 0.50, 0.50, 0.50,
    0.50, 0.50, 0.51, 0.51, 0.52, 0.53, 0.55, 0.58, 0.64, 0.74,
]  # fmt: skip

# Clinical staff per practice scale with list size; PCN-employed ARRS roles are per PCN.
PRACTICE_STAFF_PER_PATIENT = [
    (RoleTitle.GP_PARTNER, 1 / 5_500),
    (RoleTitle.SALARIED_GP, 1 / 4_600),
    (RoleTitle.PRACTICE_NURSE, 1 / 4_500),
    (RoleTitle.HEALTHCARE_ASSISTANT, 1 / 8_000),
]
NETWORK_STAFF = [
    (RoleTitle.CLINICAL_PHARMACIST, 2),
    (RoleTitle.ADVANCED_PRACTITIONER, 1),
    (RoleTitle.SOCIAL_PRESCRIBER, 1),
    (RoleTitle.FIRST_CONTACT_PHYSIO, 1),
    (RoleTitle.CARE_COORDINATOR, 1),
    (RoleTitle.PHYSICIAN_ASSOCIATE, 1),
]


@dataclass
class DemoRegistry:
    alliance: Organisation
    place: Organisation
    networks: list[Organisation] = field(default_factory=list)
    practices: list[Organisation] = field(default_factory=list)
    network_of: dict[int, Organisation] = field(default_factory=dict)
    clinical_directors: list[Person] = field(default_factory=list)
    practice_managers: dict[int, Person] = field(default_factory=dict)
    pcn_managers: dict[int, Person] = field(default_factory=dict)
    clinicians: list[tuple[Person, Organisation]] = field(default_factory=list)
    chief_executive: Person | None = None
    finance_lead: Person | None = None
    analyst: Person | None = None
    list_sizes: dict[int, int] = field(default_factory=dict)


def list_sizes(rng: random.Random, count: int, total: int) -> list[int]:
    """List sizes from ~2,000 to ~25,000 that sum exactly to `total`."""
    raw = sorted((rng.lognormvariate(0, 0.55) for _ in range(count)), reverse=True)
    low, high = raw[-1], raw[0]
    spread = [2_000 + (r - low) / (high - low) * 23_000 for r in raw]
    scale = (total - 2_000 * count) / (sum(spread) - 2_000 * count)
    sizes = [round(2_000 + (s - 2_000) * scale) for s in spread]
    sizes[len(sizes) // 2] += total - sum(sizes)
    rng.shuffle(sizes)
    return sizes


def population_bands(rng: random.Random, registered: int) -> list[Band]:
    """Split a list into sex × age bands, with a little practice-to-practice variation."""
    weights = [share * rng.uniform(0.8, 1.2) for share in AGE_BAND_SHARES]
    scale = registered / sum(weights)
    counts = [round(w * scale) for w in weights]
    counts[6] += registered - sum(counts)
    bands = []
    for index, count in enumerate(counts):
        age_from = index * 5
        age_to = None if index == len(counts) - 1 else age_from + 4
        female = round(count * FEMALE_SHARE_BY_BAND[index])
        bands.append(Band("female", age_from, age_to, female))
        bands.append(Band("male", age_from, age_to, count - female))
    return bands


def weighting_factor(bands: list[Band]) -> float:
    """A Carr-Hill-like need weight: older lists weigh more (the demo's stand-in for the formula)."""
    total = sum(b.patients for b in bands)
    older = sum(b.patients for b in bands if b.age_from >= 65)
    young = sum(b.patients for b in bands if b.age_from < 5)
    return 0.8 + 1.4 * older / total + 0.8 * young / total


def _person(rng: random.Random, used: set[tuple[str, str]]) -> tuple[str, str]:
    while True:
        name = (rng.choice(names.GIVEN_NAMES), rng.choice(names.FAMILY_NAMES))
        if name not in used:
            used.add(name)
            return name


def build_registry(
    *, seed: int, progress: Callable[[str, int], None] | None = None
) -> DemoRegistry:
    rng = random.Random(seed)
    tick = progress or (lambda _label, _n: None)
    alliance = actions.create_alliance(by=None, name=names.ALLIANCE_NAME, is_synthetic=True)
    place = actions.create_place(by=None, alliance=alliance, name=names.PLACE_NAME)
    demo = DemoRegistry(alliance=alliance, place=place)
    used_names: set[tuple[str, str]] = set()

    def new_person(org: Organisation, title: str, since: dt.date) -> Person:
        given, family = _person(rng, used_names)
        person = actions.add_person(
            by=None,
            organisation=org,
            given_name=given,
            family_name=family,
            email=f"{given}.{family}@example.org".lower(),
            is_synthetic=True,
        )
        actions.appoint(by=None, person=person, organisation=org, title=title, start_date=since)
        return person

    sizes = list_sizes(rng, sum(PRACTICES_PER_NETWORK), TOTAL_PATIENTS)
    plans: list[PopulationPlan] = []
    practice_index = 0
    for n, (network_name, practice_count) in enumerate(
        zip(names.NETWORK_NAMES, PRACTICES_PER_NETWORK, strict=True), start=1
    ):
        network = actions.create_network(
            by=None,
            alliance=alliance,
            place=place,
            name=network_name,
            ods_code=f"SYNP{n:02d}",
            open_date=NETWORK_START,
        )
        demo.networks.append(network)
        for _ in range(practice_count):
            stem = names.PRACTICE_STEMS[practice_index]
            suffix = names.PRACTICE_SUFFIXES[practice_index % len(names.PRACTICE_SUFFIXES)]
            practice = actions.create_practice(
                by=None,
                alliance=alliance,
                name=f"{stem} {suffix}",
                ods_code=f"SYN{practice_index + 1:03d}",
                open_date=dt.date(1974, 4, 1),
                postcode=f"ZZ{n} {practice_index % 9 + 1}AB",
                prescribing_setting=4,
            )
            actions.join_network(
                by=None,
                practice=practice,
                network=network,
                start_date=NETWORK_START,
                source="demo",
            )
            registered = sizes[practice_index]
            plans.extend(_plan_populations(rng, practice, registered))
            _add_practice_sites(rng, practice, n, practice_index)
            demo.practices.append(practice)
            demo.network_of[practice.pk] = network
            demo.list_sizes[practice.pk] = registered
            practice_index += 1
            tick("Practices", 1)
    _record_populations(plans)
    _add_hubs(demo)
    _add_people(demo, rng, new_person, tick)
    _add_board(demo)
    return demo


@dataclass(frozen=True)
class PopulationPlan:
    practice: Organisation
    date: dt.date
    registered: int
    weighted: float
    bands: list[Band]


def _plan_populations(
    rng: random.Random, practice: Organisation, registered: int
) -> list[PopulationPlan]:
    plans = []
    for date, size in (
        (PREVIOUS_SNAPSHOT_DATE, round(registered * rng.uniform(0.97, 1.0))),
        (SNAPSHOT_DATE, registered),
    ):
        bands = population_bands(rng, size)
        plans.append(PopulationPlan(practice, date, size, size * weighting_factor(bands), bands))
    return plans


def _record_populations(plans: list[PopulationPlan]) -> None:
    """Record snapshots; adjusted = weighted rescaled so its total equals the registered total."""
    for date in sorted({plan.date for plan in plans}):
        on_date = [plan for plan in plans if plan.date == date]
        scale = sum(p.registered for p in on_date) / sum(p.weighted for p in on_date)
        for plan in on_date:
            actions.record_population_snapshot(
                by=None,
                practice=plan.practice,
                date=date,
                registered=plan.registered,
                weighted=Decimal(plan.weighted).quantize(Decimal("0.01")),
                adjusted=Decimal(plan.weighted * scale).quantize(Decimal("0.01")),
                bands=plan.bands,
                source="synthetic demo",
            )


def _add_practice_sites(
    rng: random.Random, practice: Organisation, network_number: int, index: int
) -> None:
    # Each PCN sits around its own centre in a synthetic area; practices scatter around it.
    centre_lat = Decimal("53.70") + Decimal(network_number % 3) * Decimal("0.08")
    centre_lon = Decimal("-2.80") + Decimal(network_number // 3) * Decimal("0.12")

    def near(centre: Decimal) -> Decimal:
        return (centre + Decimal(rng.uniform(-0.04, 0.04))).quantize(Decimal("0.00001"))

    actions.add_site(
        by=None,
        organisation=practice,
        name=practice.name,
        kind="main",
        latitude=near(centre_lat),
        longitude=near(centre_lon),
        postcode=practice.postcode,
    )
    if index % 4 == 1:  # about a quarter of practices run a branch surgery
        stem = practice.name.split(" ")[0]
        actions.add_site(
            by=None,
            organisation=practice,
            name=f"{stem} Branch Surgery",
            kind="branch",
            latitude=near(centre_lat),
            longitude=near(centre_lon),
        )


def _add_hubs(demo: DemoRegistry) -> None:
    # Two Enhanced Access hubs, each hosted by a PCN and serving evenings and Saturdays.
    for network, hub_name in (
        (demo.networks[0], "Riverdale North Hub"),
        (demo.networks[4], "Riverdale South Hub"),
    ):
        actions.add_site(
            by=None,
            organisation=network,
            name=hub_name,
            kind="hub",
            offers_enhanced_access=True,
            latitude=Decimal("53.75000"),
            longitude=Decimal("-2.70000") if network == demo.networks[0] else Decimal("-2.55000"),
        )


def _add_people(
    demo: DemoRegistry,
    rng: random.Random,
    new_person: Callable[[Organisation, Any, dt.date], Person],  # title: a RoleTitle
    tick: Callable[[str, int], None],
) -> None:
    since = dt.date(2022, 4, 1)
    demo.chief_executive = new_person(demo.alliance, RoleTitle.CHIEF_EXECUTIVE, since)
    demo.finance_lead = new_person(demo.alliance, RoleTitle.FINANCE_LEAD, since)
    demo.analyst = new_person(demo.alliance, RoleTitle.ANALYST, since)
    for network in demo.networks:
        members = [p for p in demo.practices if demo.network_of[p.pk] == network]
        # The Clinical Director is a GP partner at one of the PCN's practices.
        director = new_person(members[0], RoleTitle.GP_PARTNER, dt.date(2015, 9, 1))
        actions.appoint(
            by=None,
            person=director,
            organisation=network,
            title=RoleTitle.CLINICAL_DIRECTOR,
            start_date=NETWORK_START,
        )
        demo.clinical_directors.append(director)
        demo.clinicians.append((director, members[0]))
        demo.pcn_managers[network.pk] = new_person(network, RoleTitle.PCN_MANAGER, since)
        for title, count in NETWORK_STAFF:
            for _ in range(count):
                person = new_person(network, title, since)
                demo.clinicians.append((person, network))
                tick("People", 1)
    for practice in demo.practices:
        demo.practice_managers[practice.pk] = new_person(
            practice, RoleTitle.PRACTICE_MANAGER, since
        )
        registered = demo.list_sizes[practice.pk]
        for title, per_patient in PRACTICE_STAFF_PER_PATIENT:
            count = max(1, round(registered * per_patient))
            if title == RoleTitle.GP_PARTNER and practice.pk == demo.practices[0].pk:
                count = max(1, count - 1)
            for _ in range(count):
                started = dt.date(rng.randint(2005, 2025), rng.randint(1, 12), 1)
                person = new_person(practice, title, started)
                demo.clinicians.append((person, practice))
                tick("People", 1)


def _add_board(demo: DemoRegistry) -> None:
    start = dt.date(2023, 4, 1)
    for number, director in enumerate(demo.clinical_directors):
        actions.seat_on_board(
            by=None,
            alliance=demo.alliance,
            person=director,
            role="chair" if number == 0 else "member",
            representing=demo.networks[number],
            start_date=start,
        )
    assert demo.chief_executive is not None
    actions.seat_on_board(
        by=None,
        alliance=demo.alliance,
        person=demo.chief_executive,
        role="executive",
        start_date=start,
    )
