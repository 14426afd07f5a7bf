"""Demo recruitment: vacancies across the demo's PCNs at every stage (a draft awaiting approval, one
approved, open, shortlisting, interviews, an offer, filled and withdrawn), with applications at
every stage, made through the real actions with synthetic CVs and statements (PDFs).

Most candidates answer the optional equality monitoring form, with a spread of answers such that
the larger groups show in the report and the smaller ones are withheld.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from openpcn.accounts.models import User
from openpcn.demo import names
from openpcn.organisations.models import Site
from openpcn.recruitment import actions
from openpcn.recruitment.models import Application, ApplicationStatus, Vacancy
from openpcn.workforce.models import JobRole

# (code, title, band, salary from, to, hours, ARRS, blurb)
POSTS = {
    "clinical-pharmacist": (
        "Clinical pharmacist", "7", 46148, 52809, "37.5", True,
        "Structured medication reviews, care home rounds and medicines optimisation across the "
        "PCN's practices, with a senior pharmacist's supervision.",
    ),
    "first-contact-physio": (
        "First contact physiotherapist", "7", 46148, 52809, "30", True,
        "See patients with musculoskeletal problems first, without a GP appointment, across "
        "the PCN's sites.",
    ),
    "paramedic": (
        "Community paramedic", "7", 46148, 52809, "37.5", True,
        "Home visits and same-day urgent care for housebound patients.",
    ),
    "social-prescriber": (
        "Social prescribing link worker", "5", 29970, 36483, "37.5", True,
        "Help patients connect with local services and groups, working from the directory of "
        "local services.",
    ),
    "advanced-practitioner": (
        "Advanced nurse practitioner", "8a", 53755, 60504, "37.5", True,
        "Run same-day clinics and minor illness sessions, independent prescribing.",
    ),
    "care-coordinator": (
        "Care coordinator", "4", 26530, 29114, "37.5", True,
        "Coordinate personalised care and support plans for people with complex needs.",
    ),
    "practice-nurse": (
        "Practice nurse", "6", 37338, 44962, "22.5", False,
        "Long-term condition reviews, cervical screening and childhood immunisations.",
    ),
    "health-coach": (
        "Health and wellbeing coach", "5", 29970, 36483, "37.5", True,
        "Coaching for people with long-term conditions to manage their own health.",
    ),
    "mental-health-practitioner": (
        "Mental health practitioner", "6", 37338, 44962, "37.5", True,
        "Assessment and brief interventions for adults with mental health needs.",
    ),
}  # fmt: skip
CRITERIA = [
    ("Registered with the professional body for the role (where one applies)", True),
    ("Experience of working in primary care or the community", True),
    ("Shows how they would work across several practices and sites", True),
    ("Experience of quality improvement or audit", False),
]
# Equality answers drawn with these weights: large groups show, small ones are withheld.
ETHNICITY = [
    ("white", 60),
    ("asian", 24),
    ("black", 7),
    ("mixed", 5),
    ("other", 2),
    ("not_said", 2),
]
AGE = [("16-24", 8), ("25-34", 38), ("35-44", 30), ("45-54", 16), ("55-64", 7), ("65+", 1)]
SEX = [("female", 68), ("male", 30), ("not_said", 2)]
DISABILITY = [("no", 85), ("yes", 9), ("not_said", 6)]
RELIGION = [
    ("none", 38), ("christian", 34), ("muslim", 16), ("hindu", 5), ("sikh", 3), ("jewish", 1),
    ("buddhist", 1), ("not_said", 2),
]  # fmt: skip
ORIENTATION = [("heterosexual", 86), ("gay_lesbian", 4), ("bisexual", 4), ("not_said", 6)]
GENDER_SAME = [("yes", 96), ("no", 1), ("not_said", 3)]


@dataclass
class Plan:
    """One demo vacancy: where it is in its life, how many apply, and its dates (days ago)."""

    role: str
    network: int  # index into demo.networks
    stage: str
    applicants: int
    opened_ago: int
    at_practice: bool = False


PLANS = [
    Plan("clinical-pharmacist", 0, "filled", 9, 170),
    Plan("care-coordinator", 1, "filled", 7, 220),
    Plan("practice-nurse", 0, "filled", 6, 140, at_practice=True),
    Plan("social-prescriber", 2, "filled", 7, 120),
    Plan("mental-health-practitioner", 3, "filled", 6, 100),
    Plan("first-contact-physio", 0, "open", 5, 12),
    Plan("paramedic", 2, "shortlisting", 7, 40),
    Plan("social-prescriber", 0, "interviews", 6, 45),
    Plan("advanced-practitioner", 1, "offer", 5, 60),
    Plan("health-coach", 0, "draft", 0, 0),
    Plan("care-coordinator", 3, "approved", 0, 0),
    Plan("paramedic", 4, "withdrawn", 3, 80),
]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _pdf(title: str, lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(title)
    y = 800
    page.setFont("Helvetica-Bold", 14)
    page.drawString(60, y, title)
    page.setFont("Helvetica", 10)
    for line in lines:
        y -= 16
        page.drawString(60, y, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _users() -> dict[str, User]:
    return {
        u.username: u
        for u in User.objects.filter(
            username__in=["admin", "pcn.manager", "clinical.director", "board", "practice.manager"]
        )
    }


def build_recruitment(demo: Any, *, seed: int = 2026) -> list[Vacancy]:
    """Needs the demo logins (panels are users), so it runs after create_logins."""
    rng = random.Random(seed + 13)
    today = timezone.localdate()
    users = _users()
    roles = {r.code: r for r in JobRole.objects.all()}
    used_names: set[tuple[str, str]] = set()
    vacancies = []
    for number, plan in enumerate(PLANS):
        vacancies.append(_vacancy(demo, plan, number, rng, today, users, roles, used_names))
    return list(Vacancy.objects.filter(pk__in=[v.pk for v in vacancies]).order_by("pk"))


def _person(rng: random.Random, used: set[tuple[str, str]]) -> tuple[str, str]:
    while True:
        name = (rng.choice(names.GIVEN_NAMES), rng.choice(names.FAMILY_NAMES))
        if name not in used:
            used.add(name)
            return name


def _vacancy(
    demo: Any,
    plan: Plan,
    number: int,
    rng: random.Random,
    today: dt.date,
    users: dict[str, User],
    roles: dict[str, JobRole],
    used: set[tuple[str, str]],
) -> Vacancy:
    network = demo.networks[plan.network]
    first = plan.network == 0
    employer = (
        next(p for p in demo.practices if demo.network_of[p.pk] == network)
        if plan.at_practice
        else network
    )
    title, band, low, high, hours, arrs, blurb = POSTS[plan.role]
    opened = today - dt.timedelta(days=plan.opened_ago)
    drafted = opened - dt.timedelta(days=10)
    manager = users["practice.manager"] if plan.at_practice else users["pcn.manager"]
    drafter = manager if first else None
    chair, member = (
        (users["pcn.manager"], users["clinical.director"])
        if first
        else (users["admin"], users["board"])
    )
    approver = users["clinical.director"] if first else users["admin"]
    sites = list(Site.objects.filter(organisation=employer, is_active=True)[:1]) or list(
        Site.objects.filter(
            organisation__in=[p for p in demo.practices if demo.network_of[p.pk] == network]
        )[:2]
    )
    closing = opened + dt.timedelta(days=28)
    if plan.stage in ("draft", "approved"):
        closing = today + dt.timedelta(days=35)
    vacancy = actions.create_vacancy(
        by=drafter,
        employer=employer,
        job_role=roles[plan.role],
        title=title,
        description=f"{blurb}\n\n{employer.name} is part of {demo.alliance.name}. Flexible working "
        "is welcome; the post is based at the sites listed and may work across the PCN.",
        hours_per_week=Decimal(hours),
        band=band,
        salary_from=Decimal(low),
        salary_to=Decimal(high),
        arrs_funded=arrs and not plan.at_practice,
        closing_date=closing,
        sites=sites,
        blind_shortlisting=number % 4 != 3,
        today=drafted,
    )
    criteria = [
        actions.add_criterion(by=drafter, vacancy=vacancy, text=text, essential=essential)
        for text, essential in CRITERIA
    ]
    actions.add_panel_member(by=drafter, vacancy=vacancy, user=chair, chair=True)
    actions.add_panel_member(by=drafter, vacancy=vacancy, user=member)
    if plan.stage == "draft":
        return vacancy
    actions.approve_vacancy(by=approver, vacancy=vacancy, today=opened - dt.timedelta(days=3))
    if plan.stage == "approved":
        return vacancy
    actions.open_vacancy(by=drafter, vacancy=vacancy, today=opened)
    applied = []
    for n in range(plan.applicants):
        given, family = _person(rng, used)
        day = opened + dt.timedelta(days=min(rng.randrange(1, 27), max(1, plan.opened_ago - 1)))
        body = vacancy.job_role.professional_body
        result = actions.apply(
            vacancy=vacancy,
            given_name=given,
            family_name=family,
            email=f"{given.lower()}.{family.lower()}{number}{n}@example.org",
            telephone=f"07700 9{rng.randrange(10000, 99999)}",
            professional_body=body,
            registration_number=f"{rng.randrange(2000000, 2999999)}" if body else "",
            cv=actions.Upload(
                "cv.pdf",
                _pdf(
                    f"CV: {given} {family}",
                    [
                        f"{title} applicant. Synthetic demo document.",
                        f"{rng.randrange(2, 15)} years in primary care and community services.",
                    ],
                ),
            ),
            statement=actions.Upload(
                "statement.pdf",
                _pdf(
                    "Supporting statement",
                    [
                        "How I meet each criterion of the person specification.",
                        "Synthetic demo document: no name, as the panel may read it blind.",
                    ],
                ),
            ),
            today=min(day, today),
            send_email=False,
        )
        if rng.random() < 0.88:
            actions.record_equality(token=result.equality_token, answers=_equality(rng))
        applied.append(result)
    if plan.applicants > 3:
        actions.withdraw_application(
            token=applied[-1].token, today=min(opened + dt.timedelta(days=20), today)
        )
    if plan.stage == "open":
        return vacancy
    if plan.stage == "withdrawn":
        actions.withdraw_vacancy(
            by=drafter,
            vacancy=vacancy,
            reason="Funding moved to a mental health practitioner post",
            today=opened + dt.timedelta(days=30),
        )
        return vacancy
    actions.close_applications(by=drafter, vacancy=vacancy)
    considered = list(vacancy.applications.filter(status=ApplicationStatus.APPLIED))
    scorers = [chair, member] if plan.stage != "shortlisting" else [chair]
    for application in considered:
        for user in scorers:
            actions.score_application(
                by=user,
                application=application,
                scores={c.pk: rng.choice([1, 2, 2, 3]) for c in criteria},
            )
    if plan.stage == "shortlisting":
        return vacancy
    chosen = sorted(considered, key=lambda a: -sum(s.value for s in a.scores.all()))[:3]
    actions.shortlist(by=chair if first else None, vacancy=vacancy, chosen=chosen)
    interviewed = opened + dt.timedelta(days=38)
    for slot, application in enumerate(chosen):
        starts = dt.datetime.combine(
            min(interviewed, today + dt.timedelta(days=7)),
            dt.time(9 + slot),
            tzinfo=timezone.get_current_timezone(),
        )
        interview = actions.schedule_interview(
            by=drafter,
            application=application,
            starts_at=starts,
            minutes=45,
            location=sites[0].name if sites else employer.name,
            send_email=False,
        )
        if plan.stage == "interviews" and slot > 0:
            continue  # the later interviews are still to come
        good = slot == 0
        actions.record_interview_outcome(
            by=member,
            interview=interview,
            outcome="appointable" if good else "not_appointable",
            feedback="Clear examples for every criterion; strong on working across sites."
            if good
            else "Good clinical knowledge; less experience of primary care than the post needs.",
        )
    if plan.stage == "interviews":
        return vacancy
    winner = _fresh(chosen[0])
    offered_on = min(interviewed + dt.timedelta(days=2), today)
    offer = actions.make_offer(
        by=drafter,
        application=winner,
        start_date=offered_on + dt.timedelta(days=42),
        annual_salary=Decimal(low + (high - low) // 3).quantize(Decimal("1")),
        home_practice=actions.home_practices(vacancy)[0],
        today=offered_on,
    )
    actions.record_checks(
        by=drafter,
        offer=offer,
        right_to_work_checked_on=offered_on + dt.timedelta(days=3),
        right_to_work_evidence="UK passport" if rng.random() < 0.7 else "Home Office share code",
    )
    if plan.stage == "offer":
        return vacancy
    actions.record_offer_response(
        by=drafter, offer=offer, accepted=True, on=offered_on + dt.timedelta(days=2)
    )
    actions.record_checks(
        by=drafter,
        offer=offer,
        registration_checked_on=offered_on + dt.timedelta(days=4)
        if winner.registration_number
        else None,
        dbs_level="enhanced",
        dbs_certificate=f"00{rng.randrange(1000000000, 9999999999)}",
        dbs_checked_on=offered_on + dt.timedelta(days=20),
    )
    actions.hire(by=drafter, offer=offer, today=offered_on + dt.timedelta(days=24))
    return vacancy


def _fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


def _equality(rng: random.Random) -> dict[str, str]:
    answers = {
        "age_band": _pick(rng, AGE),
        "sex": _pick(rng, SEX),
        "gender_same_as_birth": _pick(rng, GENDER_SAME),
        "ethnicity": _pick(rng, ETHNICITY),
        "disability": _pick(rng, DISABILITY),
        "sexual_orientation": _pick(rng, ORIENTATION),
        "religion": _pick(rng, RELIGION),
    }
    # Some leave a question or two out, as the form allows.
    for name in rng.sample(list(answers), k=rng.choice([0, 0, 0, 1, 2])):
        answers[name] = ""
    return answers
