"""Demo directory of local services: a synthetic Open Referral UK feed for the demo's area.

Built as an ORUK bundle and loaded through the real import (so it is checked against the ORUK
schemas like any feed): a needs taxonomy, statutory, voluntary, community and faith providers,
40 services at venues near the demo's practice sites, weekly and monthly schedules, costs and
contacts (Ofcom's drama numbers). The postcode table gets the practices' and venues' synthetic
ZZ postcodes. One entry is left past its review date.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.utils import timezone

from openpcn.directory import actions
from openpcn.directory.models import Service
from openpcn.organisations.models import Site

NAMESPACE = uuid.UUID("6f1c3c52-8d0e-4a55-9a53-5b1f0c0de2c1")
TAXONOMY_NAME = "Riverdale personalised care needs"
OVERDUE_SERVICE = "Riverdale Memory Café"


def _id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


# Need → narrower terms (the search's "need" is a top-level term).
NEEDS: dict[str, list[str]] = {
    "Money and debt": ["Debt advice", "Benefits advice", "Energy bills"],
    "Food": ["Food bank", "Community meals"],
    "Loneliness and isolation": ["Befriending", "Lunch club", "Men's shed"],
    "Physical activity": ["Walking group", "Exercise class", "Gardening group"],
    "Mental wellbeing": ["Talking therapies", "Peer support", "Bereavement support"],
    "Carers": ["Carers' support"],
    "Healthy living": ["Stop smoking", "Weight management"],
    "Housing": ["Housing advice"],
    "Work and skills": ["Employment support", "Digital skills"],
    "Memory and dementia": ["Dementia support"],
}

# (name, kind, description, charity number or "")
PROVIDERS = [
    (
        "Riverdale Food Bank Trust",
        "voluntary",
        "A local charity running food banks with churches and schools.",
        "1190401",
    ),
    (
        "Riverdale Money Advice Centre",
        "voluntary",
        "Free, confidential advice on debt, benefits and bills.",
        "1190402",
    ),
    (
        "Riverdale Carers Centre",
        "voluntary",
        "Support, breaks and advice for unpaid carers of all ages.",
        "1190403",
    ),
    (
        "Riverdale Council Public Health",
        "statutory",
        "The council's public health team: stop smoking and healthy living services.",
        "",
    ),
    (
        "Riverdale Talking Therapies",
        "statutory",
        "The NHS talking therapies service for anxiety and depression.",
        "",
    ),
    ("Larkmead Walking Friends", "community", "Volunteer-led health walks of all lengths.", ""),
    ("Brookside Men's Shed", "community", "A workshop where men meet, make and mend.", "1190407"),
    (
        "Riverdale Bereavement Support",
        "voluntary",
        "Listening and group support after someone dies.",
        "1190408",
    ),
    (
        "St Aidan's Church",
        "faith",
        "A parish church hosting a lunch club, a community fridge and a warm space.",
        "1190409",
    ),
    (
        "Northgate Community Mosque",
        "faith",
        "Community kitchen and support open to everyone.",
        "1190410",
    ),
    (
        "Riverdale Age Friendly Network",
        "voluntary",
        "Befriending, lunch clubs and a memory café for older people.",
        "1190411",
    ),
    (
        "Riverdale Housing Options",
        "statutory",
        "The council's housing advice and homelessness prevention team.",
        "",
    ),
    (
        "Fernhollow Community Garden",
        "community",
        "A community garden where anyone can grow food and meet people.",
        "1190413",
    ),
    ("Riverdale Works", "statutory", "Employment support and digital skills for residents.", ""),
]

# (venue, postcode district digit): each venue sits near one of the demo's practice sites.
VENUES = [
    "Brookside Community Centre",
    "Northgate Library",
    "Larkmead Village Hall",
    "Fernhollow Family Hub",
    "Westbury Vale Leisure Centre",
    "Oakridge Methodist Hall",
    "Millbeck Youth and Community Centre",
    "Hartwell Park Pavilion",
    "Kestrel Coast Neighbourhood Centre",
    "St Aidan's Church Hall",
    "Northgate Community Mosque",
    "Riverdale Civic Centre",
]

# (service, provider index, terms, venue indexes, schedule, cost, ages, description)
# schedule: (byday, opens, closes) weekly; or ("1TH", ...) monthly.
SERVICES: list[
    tuple[
        str,
        int,
        list[str],
        list[int],
        tuple[str, str, str],
        str,
        tuple[int | None, int | None],
        str,
    ]
] = [
    (
        "Brookside Food Bank",
        0,
        ["Food bank"],
        [0],
        ("TU,FR", "10:00", "13:00"),
        "",
        (None, None),
        "Emergency food parcels with a referral voucher from a GP practice, link worker or advice service.",
    ),
    (
        "Northgate Food Bank",
        0,
        ["Food bank"],
        [1],
        ("WE", "12:00", "15:00"),
        "",
        (None, None),
        "Three days of nutritionally balanced food; toiletries and baby supplies too.",
    ),
    (
        "Larkmead Food Bank",
        0,
        ["Food bank"],
        [2],
        ("SA", "10:00", "12:00"),
        "",
        (None, None),
        "Saturday food bank with a warm drink and a chat.",
    ),
    (
        "Debt advice drop-in",
        1,
        ["Debt advice"],
        [11],
        ("MO,WE", "09:30", "16:00"),
        "",
        (18, None),
        "Help with priority debts, payment plans and talking to creditors.",
    ),
    (
        "Benefits check and claims help",
        1,
        ["Benefits advice"],
        [11, 4],
        ("TU,TH", "09:30", "16:00"),
        "",
        (16, None),
        "A full benefits check and help filling in claims, including PIP and Universal Credit.",
    ),
    (
        "Energy bills advice",
        1,
        ["Energy bills"],
        [3],
        ("TH", "10:00", "14:00"),
        "",
        (18, None),
        "Help with energy debt, warm home grants and priority services registers.",
    ),
    (
        "Carers' support and assessments",
        2,
        ["Carers' support"],
        [11],
        ("MO,TU,WE,TH,FR", "09:00", "17:00"),
        "",
        (None, None),
        "Information, a carer's assessment, emergency planning and time off for unpaid carers.",
    ),
    (
        "Young carers group",
        2,
        ["Carers' support", "Peer support"],
        [6],
        ("WE", "16:00", "18:00"),
        "",
        (8, 17),
        "Fun, breaks and support for children who look after someone at home.",
    ),
    (
        "Carers' coffee morning",
        2,
        ["Carers' support", "Befriending"],
        [5],
        ("1TH", "10:00", "12:00"),
        "",
        (18, None),
        "Monthly coffee morning where carers meet others in the same position.",
    ),
    (
        "Stop smoking service",
        3,
        ["Stop smoking"],
        [11, 0, 7],
        ("MO,TU,WE,TH,FR", "09:00", "17:00"),
        "",
        (12, None),
        "Twelve weeks of support from an adviser with free nicotine replacement or a vape starter kit.",
    ),
    (
        "Healthy weight programme",
        3,
        ["Weight management", "Exercise class"],
        [4],
        ("TU", "18:00", "19:30"),
        "",
        (18, None),
        "Twelve weekly sessions on food, activity and habits, with a weigh-in.",
    ),
    (
        "Talking therapies (self-referral)",
        4,
        ["Talking therapies"],
        [11],
        ("MO,TU,WE,TH,FR", "08:00", "20:00"),
        "",
        (16, None),
        "Talking therapies for anxiety, low mood, stress and sleep problems. Refer yourself online or by phone.",
    ),
    (
        "Talking therapies online",
        4,
        ["Talking therapies"],
        [],
        ("MO,TU,WE,TH,FR", "08:00", "20:00"),
        "",
        (16, None),
        "Guided self-help and therapy by video for people who prefer not to travel.",
    ),
    (
        "Stress control classes",
        4,
        ["Talking therapies", "Peer support"],
        [5],
        ("WE", "18:30", "20:00"),
        "",
        (16, None),
        "A six-week class teaching ways to manage stress; no need to talk in the group.",
    ),
    (
        "Larkmead health walk",
        5,
        ["Walking group"],
        [2],
        ("MO", "10:00", "11:00"),
        "",
        (None, None),
        "A gentle hour-long walk on flat paths, finishing with a cuppa.",
    ),
    (
        "Brookside riverside walk",
        5,
        ["Walking group"],
        [0],
        ("TH", "10:30", "11:30"),
        "",
        (None, None),
        "A 3-mile walk along the river at a steady pace.",
    ),
    (
        "Hartwell Park buggy walk",
        5,
        ["Walking group"],
        [7],
        ("FR", "10:00", "11:00"),
        "",
        (None, None),
        "A walk for parents and carers with prams and buggies.",
    ),
    (
        "Nordic walking taster",
        5,
        ["Walking group", "Exercise class"],
        [8],
        ("SA", "09:30", "11:00"),
        "Poles lent free",
        (16, None),
        "Learn Nordic walking with trained leaders; poles provided.",
    ),
    (
        "Brookside Men's Shed",
        6,
        ["Men's shed", "Befriending"],
        [0],
        ("TU,TH", "10:00", "15:00"),
        "£2 a session towards tea and materials",
        (18, None),
        "Woodwork, repairs and conversation in a friendly workshop.",
    ),
    (
        "Shed on the Coast",
        6,
        ["Men's shed"],
        [8],
        ("WE", "10:00", "14:00"),
        "£2 a session",
        (18, None),
        "The shed's second workshop, by the harbour.",
    ),
    (
        "Bereavement listening service",
        7,
        ["Bereavement support"],
        [11],
        ("MO,WE,FR", "10:00", "16:00"),
        "",
        (18, None),
        "One-to-one listening sessions with trained volunteers, by appointment.",
    ),
    (
        "Bereavement support group",
        7,
        ["Bereavement support", "Peer support"],
        [5],
        ("2TU", "14:00", "16:00"),
        "",
        (18, None),
        "A monthly group for people who have lost someone close.",
    ),
    (
        "Child bereavement support",
        7,
        ["Bereavement support"],
        [3],
        ("TH", "16:00", "17:30"),
        "",
        (5, 17),
        "Support for children and young people after a death in the family.",
    ),
    (
        "St Aidan's lunch club",
        8,
        ["Lunch club", "Community meals"],
        [9],
        ("WE", "12:00", "14:00"),
        "£4 for a two-course lunch",
        (60, None),
        "A hot two-course lunch and company for older people.",
    ),
    (
        "St Aidan's warm space",
        8,
        ["Befriending", "Community meals"],
        [9],
        ("MO,TH", "10:00", "15:00"),
        "",
        (None, None),
        "A warm room with hot drinks, soup, games and newspapers.",
    ),
    (
        "Community fridge",
        8,
        ["Food bank"],
        [9],
        ("TU,FR", "14:00", "16:00"),
        "",
        (None, None),
        "Surplus food from local shops, free for anyone to take.",
    ),
    (
        "Community kitchen",
        9,
        ["Community meals", "Food bank"],
        [10],
        ("FR", "17:00", "19:00"),
        "",
        (None, None),
        "A free hot meal for anyone, every Friday evening.",
    ),
    (
        "Sisters' wellbeing circle",
        9,
        ["Peer support", "Befriending"],
        [10],
        ("TU", "11:00", "13:00"),
        "",
        (18, None),
        "A women's group for conversation, crafts and wellbeing talks.",
    ),
    (
        "Telephone befriending",
        10,
        ["Befriending"],
        [],
        ("MO,TU,WE,TH,FR", "10:00", "16:00"),
        "",
        (60, None),
        "A weekly friendly phone call from a volunteer for people who feel alone.",
    ),
    (
        "Northgate lunch club",
        10,
        ["Lunch club"],
        [1],
        ("TH", "12:00", "14:00"),
        "£4.50 lunch",
        (60, None),
        "A weekly lunch club with transport for those who need it.",
    ),
    (
        OVERDUE_SERVICE,
        10,
        ["Dementia support", "Peer support"],
        [6],
        ("3WE", "14:00", "16:00"),
        "",
        (None, None),
        "A relaxed monthly café for people living with dementia and their carers.",
    ),
    (
        "Chair-based exercise",
        10,
        ["Exercise class"],
        [5, 1],
        ("MO", "14:00", "15:00"),
        "£3 a class",
        (55, None),
        "Seated exercise to build strength and balance, to music.",
    ),
    (
        "Housing advice and homelessness prevention",
        11,
        ["Housing advice"],
        [11],
        ("MO,TU,WE,TH,FR", "09:00", "17:00"),
        "",
        (16, None),
        "Advice if you are worried about losing your home, and help to find somewhere to live.",
    ),
    (
        "Tenancy sustainment support",
        11,
        ["Housing advice", "Debt advice"],
        [4],
        ("WE", "10:00", "15:00"),
        "",
        (18, None),
        "Help with rent arrears, bills and keeping a tenancy going.",
    ),
    (
        "Grow and share",
        12,
        ["Gardening group", "Befriending"],
        [3],
        ("WE,SA", "10:00", "13:00"),
        "",
        (None, None),
        "Gardening sessions; take home what you grow.",
    ),
    (
        "Green health sessions",
        12,
        ["Gardening group", "Peer support"],
        [3],
        ("TU", "13:00", "15:00"),
        "",
        (18, None),
        "Small-group gardening for people with low mood or anxiety, referred by a link worker.",
    ),
    (
        "Employment support",
        13,
        ["Employment support"],
        [11, 7],
        ("MO,TU,WE,TH", "09:30", "16:30"),
        "",
        (16, 66),
        "One-to-one help with CVs, applications, interviews and confidence.",
    ),
    (
        "Get online sessions",
        13,
        ["Digital skills"],
        [1],
        ("TH", "10:00", "12:00"),
        "",
        (None, None),
        "Learn to use a phone, tablet or computer: email, video calls and the NHS App.",
    ),
    (
        "Library digital drop-in",
        13,
        ["Digital skills"],
        [1, 8],
        ("SA", "10:00", "12:00"),
        "",
        (None, None),
        "Drop in with your device for help from digital volunteers.",
    ),
    (
        "Carers' emergency card scheme",
        2,
        ["Carers' support"],
        [],
        ("MO,TU,WE,TH,FR", "09:00", "17:00"),
        "",
        (18, None),
        "A card carers carry so help can be arranged for the person they look after in an emergency.",
    ),
]


def _sites(demo: Any) -> list[Site]:
    return list(
        Site.objects.filter(
            organisation__in=demo.practices, latitude__isnull=False, kind="main"
        ).order_by("organisation__ods_code")
    )


def _schedule(service_name: str, rule: tuple[str, str, str]) -> dict[str, Any]:
    byday, opens, closes = rule
    monthly = byday[0].isdigit()
    out: dict[str, Any] = {
        "id": _id("schedule", service_name),
        "freq": "MONTHLY" if monthly else "WEEKLY",
        "interval": 1,
        "byday": byday,
        "opens_at": f"{opens}:00",
        "closes_at": f"{closes}:00",
    }
    return out


def feed(demo: Any) -> tuple[dict[str, Any], list[tuple[str, float, float]]]:
    """The demo's ORUK bundle, and the synthetic postcodes (with centroids) it uses."""
    sites = _sites(demo)
    postcodes: dict[str, tuple[float, float]] = {}
    for site in sites:
        if site.postcode:
            postcodes.setdefault(site.postcode, (float(site.latitude), float(site.longitude)))
    taxonomy_id = _id("taxonomy")
    terms: list[dict[str, Any]] = []
    term_ids: dict[str, str] = {}
    for need, narrower in NEEDS.items():
        term_ids[need] = _id("term", need)
        terms.append(
            {
                "id": term_ids[need],
                "name": need,
                "description": f"Services that help with {need.lower()}.",
                "taxonomy": TAXONOMY_NAME,
                "taxonomy_id": taxonomy_id,
            }
        )
        for name in narrower:
            term_ids[name] = _id("term", name)
            terms.append(
                {
                    "id": term_ids[name],
                    "name": name,
                    "description": f"{name} ({need.lower()}).",
                    "parent_id": term_ids[need],
                    "taxonomy": TAXONOMY_NAME,
                    "taxonomy_id": taxonomy_id,
                }
            )
    locations: list[dict[str, Any]] = []
    for index, venue in enumerate(VENUES):
        site = sites[(index * 3) % len(sites)]
        # A short walk from the practice: about 300 to 900 metres north-east.
        lat = round(float(site.latitude) + 0.003 + (index % 3) * 0.002, 5)
        lon = round(float(site.longitude) + 0.004 + (index % 4) * 0.002, 5)
        postcode = f"ZZ{index % 9 + 1} {index % 9 + 1}D{'ABDEFGHJKLMN'[index]}"
        postcodes[postcode] = (lat, lon)
        locations.append(
            {
                "id": _id("location", venue),
                "location_type": "physical",
                "name": venue,
                "latitude": lat,
                "longitude": lon,
                "addresses": [
                    {
                        "id": _id("address", venue),
                        "address_1": f"{index * 7 + 3} {venue.split()[0]} Road",
                        "city": "Riverdale",
                        "state_province": "Riverdale",
                        "postal_code": postcode,
                        "country": "GB",
                        "address_type": "physical",
                    }
                ],
                "accessibility": [
                    {
                        "id": _id("accessibility", venue),
                        "description": "Step-free entrance and an accessible toilet."
                        if index % 3
                        else "Ramp at the side entrance; hearing loop in the main hall.",
                    }
                ],
            }
        )
    online: dict[str, Any] = {
        "id": _id("location", "online"),
        "location_type": "virtual",
        "name": "Online and by telephone",
    }
    organizations = []
    for name, kind, description, charity in PROVIDERS:
        organization: dict[str, Any] = {
            "id": _id("organization", name),
            "name": name,
            "description": f"{description} ({kind} sector)",
            "email": f"hello@{name.lower().replace(' ', '-').replace(chr(39), '')}.example",
            "website": f"https://{name.lower().replace(' ', '').replace(chr(39), '')}.example",
        }
        if charity:
            organization["organization_identifiers"] = [
                {
                    "id": _id("identifier", name),
                    "identifier_scheme": "GB-CHC",
                    "identifier_type": "Registered charity number",
                    "identifier": charity,
                }
            ]
        organizations.append(organization)
    services = []
    today = timezone.localdate()
    for n, (name, provider, tags, venues, rule, fees, ages, description) in enumerate(SERVICES):
        places = [locations[v] for v in venues] or [online]
        service: dict[str, Any] = {
            "id": _id("service", name),
            "organization_id": organizations[provider]["id"],
            "name": name,
            "description": description,
            "status": "active",
            "assured_date": (today - dt.timedelta(days=30 + n * 5)).isoformat(),
            "assurer_email": "directory@synthetic-alliance.example",
            "schedules": [
                {
                    **_schedule(name, rule),
                    "attending_type": "In person" if venues else "By telephone or online",
                }
            ],
            "service_at_locations": [
                {"id": _id("service_at_location", name, place["id"]), "location": place}
                for place in places
            ],
            "contacts": [
                {
                    "id": _id("contact", name),
                    "name": "Duty coordinator" if n % 2 else "Reception",
                    "title": PROVIDERS[provider][0],
                    "phones": [{"id": _id("phone", name), "number": f"01632 960{100 + n:03d}"}],
                }
            ],
            "attributes": [
                {
                    "id": _id("attribute", name, tag),
                    "link_type": "need",
                    "taxonomy_term": {
                        "id": term_ids[tag],
                        "name": tag,
                        "description": next(t["description"] for t in terms if t["name"] == tag),
                    },
                }
                for tag in tags
            ],
            "service_areas": [
                {
                    "id": _id("service_area", name),
                    "name": "Residents of Riverdale",
                    "service_area": "Riverdale",
                }
            ],
        }
        if fees:
            service["fees"] = fees
            service["cost_options"] = [
                {"id": _id("cost", name), "option": "Per session", "amount_description": fees}
            ]
        else:
            service["fees"] = "Free"
        if ages[0] is not None:
            service["minimum_age"] = ages[0]
        if ages[1] is not None:
            service["maximum_age"] = ages[1]
        services.append(service)
    bundle = {
        "taxonomies": [
            {
                "id": taxonomy_id,
                "name": TAXONOMY_NAME,
                "description": "The needs link workers and social prescribers search by, with narrower terms.",
                "version": "2026",
            }
        ],
        "taxonomy_terms": terms,
        "organizations": organizations,
        "services": services,
    }
    return bundle, [(code, lat, lon) for code, (lat, lon) in sorted(postcodes.items())]


def build_directory(demo: Any) -> None:
    bundle, postcodes = feed(demo)
    rows = "\n".join(f"{code},{lat},{lon}" for code, lat, lon in postcodes)
    actions.load_postcodes(by=None, name="demo-postcodes.csv", content=f"pcds,lat,long\n{rows}\n")
    actions.import_feed(
        by=None,
        alliance=demo.alliance,
        name="riverdale-directory.json",
        content=json.dumps(bundle),
    )
    overdue = Service.objects.get(id=_id("service", OVERDUE_SERVICE))
    actions.update_service(
        by=None, service=overdue, review_date=timezone.localdate() - dt.timedelta(days=21)
    )
