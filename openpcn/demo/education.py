"""Demo education events: a term of protected learning time, courses, webinars and clinical
meetings across the alliance and its first PCNs.

Past events were booked before they happened, their registers taken and feedback given, so the
demo clinician's CPD log has certificates and the report has figures. Upcoming events are open for
booking; the hands-on spirometry course is full with a waitlist. Everything goes through the real
actions (no emails are sent while loading).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from openpcn.education import actions
from openpcn.education.models import Booking, Event
from openpcn.organisations.models import Organisation
from openpcn.workforce.models import JobRole, StaffMember

COMMENTS = [
    "Practical cases we can use on Monday.",
    "Good to meet colleagues from the other practices.",
    "A little rushed at the end; more time for questions please.",
    "The speaker's worked examples were very clear.",
    "Would like the slides shared afterwards.",
    "Useful update on the referral pathway.",
]


@dataclass(frozen=True)
class Plan:
    kind: str
    title: str
    outcomes: str
    speakers: str
    venue: str
    online: str
    days: int  # from today; negative for past events
    start: tuple[int, int]
    hours: float
    cpd: str
    capacity: int
    where: str  # "alliance" or "network"
    roles: tuple[str, ...] = ()
    attendance: float = 0.85


PLANS = [
    Plan(
        "plt",
        "Protected learning time: frailty and falls",
        "Recognise frailty using the Clinical Frailty Scale\nPlan a falls risk assessment\n"
        "Know when to refer to the community frailty team",
        "Dr Helen Marsh, consultant geriatrician",
        "Riverdale Community Hub, Seminar Room 1",
        "",
        -63,
        (13, 30),
        3.5,
        "3",
        40,
        "alliance",
    ),
    Plan(
        "webinar",
        "Webinar: prescribing in chronic kidney disease",
        "Adjust doses for eGFR\nAvoid nephrotoxic combinations",
        "Priya Anand, clinical pharmacist",
        "",
        "https://meet.example.org/ckd-prescribing",
        -35,
        (12, 30),
        1,
        "1",
        60,
        "alliance",
    ),
    Plan(
        "clinical_meeting",
        "Clinical meeting: significant event review",
        "Apply a structured significant event analysis\nAgree learning to share across practices",
        "",
        "Brookside Medical Centre, meeting room",
        "",
        -14,
        (13, 0),
        1.5,
        "1.5",
        20,
        "network",
    ),
    Plan(
        "plt",
        "Protected learning time: menopause care in general practice",
        "Offer evidence-based HRT options\nSupport women with menopause at work",
        "Dr Sarah Okafor, GP with extended role in women's health",
        "Riverdale Community Hub, Main Hall",
        "https://meet.example.org/plt-menopause",
        12,
        (13, 30),
        3.5,
        "3",
        50,
        "alliance",
    ),
    Plan(
        "course",
        "Spirometry: hands-on performance and interpretation",
        "Perform quality-assured spirometry\nInterpret obstructive and restrictive patterns",
        "Respiratory nurse specialist team",
        "Riverdale Community Hub, Clinical Skills Room",
        "",
        19,
        (9, 30),
        6,
        "5.5",
        6,
        "alliance",
        ("practice-nurse", "arrs-practice-nurse", "advanced-practitioner", "salaried-gp"),
    ),
    Plan(
        "webinar",
        "Webinar: social prescribing and the community offer",
        "Know the local community services\nMake a good referral to a link worker",
        "Social prescribing link workers",
        "",
        "https://meet.example.org/social-prescribing",
        26,
        (12, 30),
        1,
        "1",
        80,
        "alliance",
    ),
]


def _at(day: dt.date, start: tuple[int, int]) -> dt.datetime:
    zone = timezone.get_current_timezone()
    return dt.datetime.combine(day, dt.time(*start), tzinfo=zone)


def _staff(demo: Any) -> list[StaffMember]:
    return list(
        StaffMember.objects.filter(home_practice__alliance=demo.alliance)
        .select_related("person")
        .order_by("pk")
    )


def _clinician(demo: Any) -> Any:
    """The person the demo's clinician login belongs to (as demo.logins chooses them)."""
    first_network = demo.networks[0]
    first_practice = next(p for p in demo.practices if demo.network_of[p.pk] == first_network)
    director = demo.clinical_directors[0]
    return next(p for p, org in demo.clinicians if org == first_practice and p != director)


def build_education(demo: Any, *, seed: int = 2026) -> list[Event]:
    rng = random.Random(seed + 11)
    today = timezone.localdate()
    staff = _staff(demo)
    clinician = _clinician(demo)
    network: Organisation = demo.networks[0]
    in_network = [s for s in staff if demo.network_of.get(s.home_practice_id) == network]
    made: list[Event] = []
    for plan in PLANS:
        starts = _at(today + dt.timedelta(days=plan.days), plan.start)
        organisation = demo.alliance if plan.where == "alliance" else network
        roles = list(JobRole.objects.filter(code__in=plan.roles))
        event = actions.create_event(
            by=None,
            organisation=organisation,
            kind=plan.kind,
            title=plan.title,
            learning_outcomes=plan.outcomes,
            speakers=plan.speakers,
            venue=plan.venue,
            online_link=plan.online,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=plan.hours),
            cpd_hours=Decimal(plan.cpd),
            capacity=plan.capacity,
            audience_roles=roles,
        )
        made.append(event)
        pool = in_network if plan.where == "network" else staff
        role_ids = {r.pk for r in roles}
        if role_ids:
            pool = [
                s for s in pool if set(s.contracts.values_list("job_role_id", flat=True)) & role_ids
            ]
        full = plan.days > 0 and plan.capacity < 10
        wanted = plan.capacity + 3 if full else min(len(pool), int(plan.capacity * 0.7))
        bookers = rng.sample(pool, min(wanted, len(pool)))
        own = next((s for s in pool if s.person_id == clinician.pk), None)
        # The demo clinician came to the past events and is booked on the next one.
        if own is not None and own not in bookers and (plan.days < 0 or plan.days == 12):
            bookers = [own, *bookers[:-1]] if bookers else [own]
        booked_from = starts - dt.timedelta(days=21)
        for n, person in enumerate(bookers):
            actions.book(
                by=None,
                event=event,
                staff=person,
                now=booked_from + dt.timedelta(hours=n),
                email=False,
            )
        if plan.days < 0:
            _held(event, clinician, rng)
    return made


def _held(event: Event, clinician: Any, rng: random.Random) -> None:
    booked = list(event.bookings.filter(status="booked").select_related("staff__person"))
    came = [b for b in booked if b.staff.person_id == clinician.pk or rng.random() < 0.85]
    actions.take_register(by=None, event=event, attended=[b.pk for b in came])
    for booking in Booking.objects.filter(pk__in=[b.pk for b in came]).select_related(
        "staff__person", "event"
    ):
        # Most attendees answer; the demo clinician leaves the latest one for the demo to try.
        latest = event.starts_at > timezone.now() - dt.timedelta(days=20)
        if booking.staff.person_id == clinician.pk and latest:
            continue
        if rng.random() > 0.75:
            continue
        actions.give_feedback(
            by=None,
            booking=booking,
            overall=rng.choice([3, 4, 4, 5, 5]),
            relevance=rng.choice([3, 4, 5, 5]),
            comments=rng.choice(COMMENTS) if rng.random() < 0.4 else "",
        )
