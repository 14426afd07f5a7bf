"""Demo PCN development: the other places of the area, each with a few PCNs and their Clinical
Directors, then Maturity Matrix self-assessments for every PCN (two for the demo's own PCNs),
workshops and one-to-one conversations (one confidential), findings and recommendations.

Call `build_development(demo)` after the registry (it needs `demo.alliance` and `demo.place`; the
PCNs, people and the chief executive are read from the database, so a loaded demo works too).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from openpcn.demo import names
from openpcn.demo.registry import NETWORK_START
from openpcn.development import actions
from openpcn.development.models import MaturityArea
from openpcn.development.reference import ensure_reference_data
from openpcn.organisations import actions as organisations
from openpcn.organisations.models import Network, Organisation, Person, RoleHolding, RoleTitle
from openpcn.organisations.queries import clinical_director

# The area's other places and their PCNs (synthetic names; the demo's own place is the fifth).
OTHER_PLACES = [
    ("Central Lancashire (synthetic)", ["Ribble Valley PCN", "Preston City PCN", "Chorley Rural PCN"]),
    ("Fylde Coast (synthetic)", ["Blackpool North PCN", "Lytham Shores PCN"]),
    ("Morecambe Bay (synthetic)", ["Lune Valley PCN", "Bay Coast PCN", "Furness Fells PCN"]),
    ("Pennine Lancashire (synthetic)", ["Hyndburn Hills PCN", "Pendle West PCN"]),
]  # fmt: skip
FIRST_ASSESSMENT = dt.date(2025, 6, 16)
LATEST_ASSESSMENT = dt.date(2026, 6, 15)
EVIDENCE = {
    "leadership": "Clinical Director and PCN manager meet weekly; a shared plan agreed by the practices.",
    "data_phm": "Monthly population health dashboard reviewed at the PCN board.",
    "integrating_care": "Joint multidisciplinary meetings with community nursing and social care.",
    "managing_resources": "ARRS roles recruited to plan; shared estates review started.",
    "people_communities": "Patient participation group and voluntary sector partners at the table.",
}

# (place index, theme, finding, recommendation, readiness, status, impact, learning)
RECOMMENDATIONS = [
    (0, "leadership", "New Clinical Directors feel isolated in their first year",
     "Peer support set for new Clinical Directors", "ready", "in_progress",
     "", "Pair each new Clinical Director with one from another PCN for a year"),
    (0, "relationships", "PCNs rarely meet the community trust outside contract meetings",
     "Quarterly place forum with the community trust", "ready", "done",
     "Two joint projects agreed at the first two forums", "Start each forum with one shared problem"),
    (0, "management", "Each PCN buys its own analyst time",
     "Shared analyst across the place", "feasibility", "proposed", "", ""),
    (1, "leadership", "Leadership time is squeezed by clinical sessions",
     "Protected leadership sessions for Clinical Directors", "feasibility", "agreed", "", ""),
    (1, "management", "Estates data is held in five spreadsheets",
     "One estates register for the place", "ready", "done",
     "Space for two more ARRS roles found", "Share the register template, not only the data"),
    (2, "relationships", "Voluntary sector partners join late in planning",
     "Voluntary sector seat on each PCN board", "ready", "in_progress", "", ""),
    (2, "management", "Rotas are planned practice by practice",
     "Shared Enhanced Access rota across the place", "feasibility", "dropped",
     "", "Dropped: travel times across the fells made a shared rota unworkable"),
    (3, "leadership", "Succession for Clinical Directors is unplanned",
     "Deputy Clinical Director in each PCN", "ready", "agreed", "", ""),
    (3, "relationships", "Mental health teams are not in multidisciplinary meetings",
     "Mental health practitioner at every MDT", "ready", "in_progress", "", ""),
    (4, "management", "PCN managers rebuild the same reports each month",
     "Common monthly PCN report", "ready", "done",
     "Half a day a month saved per PCN manager", "Agree the questions before the layout"),
    (4, "leadership", "Boards spend little time on development",
     "Development item on every PCN board agenda", "ready", "proposed", "", ""),
]  # fmt: skip


def _new_person(rng: random.Random, organisation: Organisation) -> Person:
    given, family = rng.choice(names.GIVEN_NAMES), rng.choice(names.FAMILY_NAMES)
    return organisations.add_person(
        by=None,
        organisation=organisation,
        given_name=given,
        family_name=family,
        email=f"{given}.{family}.{organisation.ods_code}@example.org".lower(),
        is_synthetic=True,
    )


def _add_places(alliance: Organisation, rng: random.Random) -> list[Organisation]:
    places = []
    code = 0
    for place_name, network_names in OTHER_PLACES:
        place = organisations.create_place(by=None, alliance=alliance, name=place_name)
        for network_name in network_names:
            code += 1
            network = organisations.create_network(
                by=None,
                alliance=alliance,
                place=place,
                name=network_name,
                ods_code=f"SYNQ{code:02d}",
                open_date=NETWORK_START,
            )
            director = _new_person(rng, network)
            organisations.appoint(
                by=None,
                person=director,
                organisation=network,
                title=RoleTitle.CLINICAL_DIRECTOR,
                start_date=NETWORK_START,
            )
        places.append(place)
    return places


def _assess(network: Organisation, on: dt.date, levels: list[int]) -> None:
    keys = list(MaturityArea.objects.values_list("key", flat=True))
    actions.record_maturity_assessment(
        by=None,
        network=network,
        assessed_on=on,
        ratings={
            key: (level, EVIDENCE.get(key, "")) for key, level in zip(keys, levels, strict=True)
        },
        summary="Self-assessed at a PCN board development session.",
    )


def build_development(demo: Any, *, seed: int = 2026) -> list[Organisation]:
    """Add the area's other places and the development programme; returns every place, the
    demo's own first."""
    rng = random.Random(seed + 10)
    ensure_reference_data()
    places = [demo.place, *_add_places(demo.alliance, rng)]
    own = list(Network.objects.filter(place=demo.place).order_by("pk"))
    for place in places:
        for network in Network.objects.filter(place=place).order_by("pk"):
            latest = [rng.choice([0, 1, 1, 2, 2, 3]) for _ in range(5)]
            if network in own:
                _assess(network, FIRST_ASSESSMENT, [max(0, level - 1) for level in latest])
            _assess(network, LATEST_ASSESSMENT, latest)
    facilitator = (
        RoleHolding.objects.current()
        .filter(organisation=demo.alliance, title=RoleTitle.CHIEF_EXECUTIVE)
        .select_related("person")
        .first()
    )
    facilitators = [facilitator.person] if facilitator else [_new_person(rng, demo.alliance)]
    sessions = {}
    for index, place in enumerate(places):
        directors = [
            holding.person
            for network in Network.objects.filter(place=place)
            if (holding := clinical_director(network)) is not None
        ]
        sessions[place.pk] = actions.record_session(
            by=None,
            organisation=place,
            kind="workshop",
            held_on=dt.date(2026, 9, 8) + dt.timedelta(days=7 * index),
            title=f"{place.name}: development workshop",
            facilitators=facilitators,
            attendees=directors,
            notes="Each PCN shared its self-assessment; themes agreed for recommendations.",
        )
    first_own = own[0]
    director = clinical_director(first_own)
    actions.record_session(
        by=None,
        organisation=first_own,
        kind="one_to_one",
        held_on=dt.date(2026, 9, 2),
        title=f"Conversation with the Clinical Director of {first_own.name}",
        facilitators=facilitators,
        attendees=[director.person] if director else [],
        notes="Talked openly about workload and whether to stand again as Clinical Director.",
        confidential=True,
    )
    for (
        place_index,
        theme,
        finding_title,
        title,
        readiness,
        status,
        impact,
        learning,
    ) in RECOMMENDATIONS:
        place = places[place_index]
        finding = actions.record_finding(
            by=None,
            place=place,
            theme=theme,
            title=finding_title,
            found_on=sessions[place.pk].held_on,
            session=sessions[place.pk],
        )
        owner = facilitators[0]
        recommendation = actions.add_recommendation(
            by=None,
            place=place,
            theme=theme,
            title=title,
            readiness=readiness,
            owner=owner,
            findings=[finding],
        )
        action = actions.add_recommendation_action(
            by=None,
            recommendation=recommendation,
            what=f"Agree the first step: {title.lower()}",
            who=owner,
            due=finding.found_on + dt.timedelta(days=30),
        )
        if status in ("done", "in_progress"):
            actions.complete_recommendation_action(
                by=None, action=action, on=finding.found_on + dt.timedelta(days=21)
            )
        if status != "proposed" or impact or learning:
            actions.update_recommendation(
                by=None,
                recommendation=recommendation,
                status=status,
                evidence_of_impact=impact,
                learning=learning,
            )
    return places
