"""The demo's staff bank: sessional GPs and locums with their documents (one lapsed), and three
months of cover requests: filled and paid, unfilled, cancelled, a no-show, and some still open.

Dates are relative to the day the demo is loaded, so the reports and payment exports always have
last month's and this month's figures. The sessional staff have no logins (the demo's logins are
one per role), and `claim_cover` needs a signed-in claimer, so `_book` writes the booking a claim
would have made; everything else goes through the bank's actions.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from openpcn.bank import actions
from openpcn.bank.models import Booking, CoverRequest, CoverStatus
from openpcn.demo.registry import DemoRegistry
from openpcn.organisations import actions as registry
from openpcn.organisations.models import Organisation, Site
from openpcn.workforce import actions as workforce
from openpcn.workforce.models import Skill, StaffMember

# (given name, family name, skill code, documents' months to expiry; negative is lapsed)
SESSIONAL = [
    ("Amara", "Okafor", "gp", 14),
    ("Tom", "Lindqvist", "gp", 9),
    ("Priya", "Raman", "gp", -1),  # DBS lapsed last month: not offered sessions
    ("Grace", "Whitfield", "nurse", 20),
]
SESSION_TIMES = [((8, 30), (12, 30)), ((13, 30), (18, 0)), ((9, 0), (13, 0))]
RATES = {"gp": Decimal("340.00"), "nurse": Decimal("150.00")}


def _months(today: dt.date, months: int) -> dt.date:
    month = today.month - 1 + months
    year = today.year + month // 12
    return dt.date(year, month % 12 + 1, min(today.day, 28))


def _local(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _weekday_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def build_bank(demo: DemoRegistry, *, seed: int) -> None:
    rng = random.Random(seed + 5)
    today = timezone.localdate()
    skills = {s.code: s for s in Skill.objects.filter(code__in=["gp", "nurse"])}
    members = _sessional_staff(demo, skills, today)
    network = demo.networks[0]
    practices = [p for p in demo.practices if demo.network_of[p.pk] == network]
    # The first practice is the demo practice manager's: leave it to the people trying the demo.
    busy = practices[1:] or practices
    _past_requests(rng, busy, skills, members, today)
    _open_requests(rng, busy, skills, today)


def _sessional_staff(
    demo: DemoRegistry, skills: dict[str, Skill], today: dt.date
) -> dict[str, list[StaffMember]]:
    members: dict[str, list[StaffMember]] = {"gp": [], "nurse": []}
    for given, family, skill, months in SESSIONAL:
        person = registry.add_person(
            by=None,
            organisation=demo.alliance,
            given_name=given,
            family_name=family,
            email=f"{given}.{family}@bank.example.invalid".lower(),
            is_synthetic=True,
        )
        staff = workforce.add_staff_member(by=None, person=person)
        workforce.set_skills(by=None, staff=staff, skills=[skills[skill]])
        member = actions.register_bank_member(
            by=None, staff=staff, alliance=demo.alliance, joined_on=dt.date(2025, 4, 1)
        )
        for kind, reference in (
            ("registration", f"{'GMC' if skill == 'gp' else 'NMC'} {7000000 + len(given) * 1111}"),
            ("indemnity", f"MDU-{family.upper()[:4]}-2026"),
            ("dbs", f"00{len(family)}{len(given)}4471892"),
        ):
            expires = _months(today, months) if kind == "dbs" else _months(today, abs(months) + 6)
            actions.record_compliance_document(
                by=None, member=member, kind=kind, reference=reference, expires_on=expires
            )
        if months > 0:
            members[skill].append(staff)
    return members


def _site(practice: Organisation) -> Site:
    site = Site.objects.filter(organisation=practice, is_active=True).order_by("kind", "pk").first()
    assert site is not None, f"{practice} has no site"
    return site


def _post(
    practice: Organisation,
    skill: Skill,
    day: dt.date,
    times: tuple[tuple[int, int], tuple[int, int]],
    posted: dt.datetime,
    notes: str = "",
) -> CoverRequest:
    (start_h, start_m), (end_h, end_m) = times
    return actions.post_cover_request(
        by=None,
        practice=practice,
        site=_site(practice),
        starts_at=_local(day, start_h, start_m),
        ends_at=_local(day, end_h, end_m),
        skill=skill,
        rate=RATES[skill.code],
        notes=notes,
        now=posted,
    )


def _book(request: CoverRequest, staff: StaffMember, claimed_at: dt.datetime) -> Booking:
    """What claim_cover writes when a bank member claims (see the module's docstring)."""
    booking = Booking.objects.create(
        cover_request=request,
        staff=staff,
        starts_at=request.starts_at,
        ends_at=request.ends_at,
        claimed_at=claimed_at,
        pool=3,
        idempotency_key=f"demo-{request.pk}",
    )
    request.status = CoverStatus.FILLED
    request.filled_at = claimed_at
    request.save(update_fields=["status", "filled_at"])
    return booking


def _past_requests(
    rng: random.Random,
    practices: list[Organisation],
    skills: dict[str, Skill],
    members: dict[str, list[StaffMember]],
    today: dt.date,
) -> None:
    """About three sessions a week over the last ten weeks; most filled by the bank and paid."""
    used: dict[int, set[dt.date]] = {}
    for days_ago in range(70, 1, -2):
        day = _weekday_before(today - dt.timedelta(days=days_ago))
        skill = skills["gp"] if rng.random() < 0.75 else skills["nurse"]
        staff = rng.choice(members[skill.code])
        if day in used.setdefault(staff.pk, set()):
            continue
        times = rng.choice(SESSION_TIMES)
        posted = _local(day, 9, 0) - dt.timedelta(days=rng.randint(2, 12))
        request = _post(rng.choice(practices), skill, day, times, posted, "Sickness cover")
        outcome = rng.random()
        if outcome < 0.12:
            continue  # nobody claimed it: an unfilled session
        if outcome < 0.2:
            actions.cancel_cover_request(
                by=None,
                request=request,
                reason="The GP returned from sick leave",
                now=posted + dt.timedelta(hours=rng.randint(2, 30)),
            )
            continue
        # The bank is offered a request 7 hours after posting (the default escalation).
        claimed = posted + dt.timedelta(hours=7, minutes=rng.randint(5, 60 * 30))
        claimed = min(claimed, request.starts_at - dt.timedelta(hours=1))
        booking = _book(request, staff, claimed)
        used[staff.pk].add(day)
        if outcome < 0.24:
            actions.record_no_show(by=None, booking=booking)
            continue
        if day >= today - dt.timedelta(days=3):
            continue  # recent: the practice has yet to approve the timesheet
        ended = request.ends_at - dt.timedelta(minutes=30 if rng.random() < 0.15 else 0)
        actions.approve_timesheet(
            by=None,
            booking=booking,
            started_at=request.starts_at,
            ended_at=ended,
            now=request.ends_at + dt.timedelta(hours=rng.randint(1, 48)),
        )


def _open_requests(
    rng: random.Random, practices: list[Organisation], skills: dict[str, Skill], today: dt.date
) -> None:
    """A few sessions in the next fortnight, posted in the last few days, still open."""
    now = timezone.now()
    for offset in (3, 6, 9, 13):
        day = _weekday_before(today + dt.timedelta(days=offset))
        if day <= today:
            day = today + dt.timedelta(days=offset + 2)
        skill = skills["gp"] if offset != 9 else skills["nurse"]
        _post(
            practices[offset % len(practices)],
            skill,
            day,
            rng.choice(SESSION_TIMES),
            now - dt.timedelta(hours=rng.randint(1, 60)),
            "Covering a partner's leave",
        )
