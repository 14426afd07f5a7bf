"""The demo's workforce: a staff record, contract, skills, sites and availability for every clinician."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from openpcn.demo.registry import DemoRegistry
from openpcn.organisations.models import Organisation, RoleTitle, Site
from openpcn.workforce import actions
from openpcn.workforce.models import AbsenceKind, JobRole, Skill
from openpcn.workforce.reference import ensure_reference_data

JOB_ROLE_FOR_TITLE = {
    RoleTitle.GP_PARTNER: "gp-partner",
    RoleTitle.SALARIED_GP: "salaried-gp",
    RoleTitle.PRACTICE_NURSE: "practice-nurse",
    RoleTitle.HEALTHCARE_ASSISTANT: "healthcare-assistant",
    RoleTitle.CLINICAL_PHARMACIST: "clinical-pharmacist",
    RoleTitle.ADVANCED_PRACTITIONER: "advanced-practitioner",
    RoleTitle.PHYSICIAN_ASSOCIATE: "physician-associate",
    RoleTitle.SOCIAL_PRESCRIBER: "social-prescriber",
    RoleTitle.FIRST_CONTACT_PHYSIO: "first-contact-physio",
    RoleTitle.CARE_COORDINATOR: "care-coordinator",
}

# Annual salary for a full-time post and the AfC band, by job role (2025/26-like figures).
PAY = {
    "gp-partner": (Decimal("110000"), ""),
    "salaried-gp": (Decimal("82000"), ""),
    "practice-nurse": (Decimal("38000"), "6"),
    "healthcare-assistant": (Decimal("25000"), "3"),
    "clinical-pharmacist": (Decimal("48000"), "7"),
    "advanced-practitioner": (Decimal("60000"), "8a"),
    "physician-associate": (Decimal("48000"), "7"),
    "social-prescriber": (Decimal("30000"), "5"),
    "first-contact-physio": (Decimal("53000"), "7"),
    "care-coordinator": (Decimal("26000"), "4"),
}
COMPETENCIES = {
    "gp": ["minor-surgery", "coil-fitting", "independent-prescriber"],
    "nurse": ["diabetes-review", "spirometry", "childhood-immunisation", "cervical-screening"],
    "hca": ["phlebotomy"],
    "pharmacist": ["independent-prescriber"],
}
SESSIONS = ("am", "pm")
MINUTES_PER_SESSION = 250  # 4 h 10 min


def build_workforce(
    demo: DemoRegistry, *, seed: int, progress: Callable[[str, int], None] | None = None
) -> None:
    ensure_reference_data()
    rng = random.Random(seed + 1)
    tick = progress or (lambda _label, _n: None)
    roles = {role.code: role for role in JobRole.objects.select_related("rota_skill")}
    skills = {skill.code: skill for skill in Skill.objects.all()}
    sites_of: dict[int, list[Site]] = {}
    for site in Site.objects.filter(organisation__alliance=demo.alliance).select_related(
        "organisation"
    ):
        sites_of.setdefault(site.organisation_id, []).append(site)
    hubs = [s for s in Site.objects.filter(kind="hub", organisation__alliance=demo.alliance)]
    since = dt.date(2024, 4, 1)
    for person, organisation in demo.clinicians:
        holding = (
            person.roles.filter(organisation=organisation)
            .exclude(title=RoleTitle.CLINICAL_DIRECTOR)
            .first()
        )
        if holding is None or holding.title not in JOB_ROLE_FOR_TITLE:
            continue
        role = roles[JOB_ROLE_FOR_TITLE[holding.title]]
        network = (
            organisation if organisation.kind == "network" else demo.network_of[organisation.pk]
        )
        home = organisation if organisation.kind == "practice" else _first_practice(demo, network)
        staff = actions.add_staff_member(by=None, person=person, home_practice=home)
        employer = _employer(rng, demo, role, organisation)
        full_time, band = PAY[role.code]
        hours = Decimal(
            rng.choice(
                [37.5, 37.5, 30, 25, 20]
                if role.rota_skill.code != "gp"
                else [37.5, 33.33, 29.17, 25, 20.83]
            )
        )
        hours = hours.quantize(Decimal("0.01"))
        salary = (full_time * hours / Decimal("37.5")).quantize(Decimal("1"))
        actions.add_contract(
            by=None,
            staff=staff,
            employer=employer,
            job_role=role,
            hours_per_week=hours,
            start_date=max(holding.start_date, since) if role.is_arrs else holding.start_date,
            annual_salary=salary,
            employer_ni=(salary * Decimal("0.138")).quantize(Decimal("1")),
            employer_pension=(salary * Decimal("0.2068")).quantize(Decimal("1")),
            band=band,
            arrs_funded=role.is_arrs and employer.kind == "network",
        )
        extra = [
            skills[c] for c in COMPETENCIES.get(role.rota_skill.code, []) if rng.random() < 0.4
        ]
        actions.set_skills(by=None, staff=staff, skills=[role.rota_skill, *extra], since=since)
        sites = list(sites_of.get(home.pk, []))
        if organisation.kind == "network" or employer.kind != "practice":
            sites = [
                s
                for p in demo.practices
                if demo.network_of[p.pk] == network
                for s in sites_of.get(p.pk, [])
            ]
        if role.rota_skill.code in ("gp", "nurse", "advanced-practitioner") and rng.random() < 0.5:
            sites += hubs
        actions.set_sites(by=None, staff=staff, sites=sites)
        actions.set_availability(by=None, staff=staff, slots=_pattern(rng, hours, sites, hubs))
        actions.record_training(
            by=None,
            staff=staff,
            course="Basic life support",
            completed_on=dt.date(2025, rng.randint(1, 12), 1),
            expires_on=dt.date(2026, rng.randint(1, 12), 1),
        )
        if rng.random() < 0.15:
            start = dt.date(2026, 12, 1) + dt.timedelta(days=rng.randint(0, 40))
            actions.request_absence(
                by=None,
                staff=staff,
                kind=AbsenceKind.ANNUAL_LEAVE,
                first_day=start,
                last_day=start + dt.timedelta(days=rng.randint(0, 4)),
            )
        tick("Staff", 1)


def _first_practice(demo: DemoRegistry, network: Organisation) -> Organisation:
    return next(p for p in demo.practices if demo.network_of[p.pk] == network)


def _employer(
    rng: random.Random, demo: DemoRegistry, role: JobRole, organisation: Organisation
) -> Organisation:
    # ARRS staff are employed by their PCN; some salaried GPs centrally by the alliance.
    if role.is_arrs:
        return organisation if organisation.kind == "network" else demo.network_of[organisation.pk]
    if role.code == "salaried-gp" and rng.random() < 0.15:
        return demo.alliance
    return organisation


def _pattern(
    rng: random.Random, hours: Decimal, sites: list[Site], hubs: list[Site]
) -> list[tuple[int, str]]:
    """Usual sessions: enough weekday AM/PM slots for the contract, plus hub evenings for some."""
    sessions = max(1, round(float(hours) * 60 / MINUTES_PER_SESSION))
    slots = [(day, session) for day in range(5) for session in SESSIONS]
    rng.shuffle(slots)
    # Offer a few more slots than contracted so the planner has room to choose.
    chosen = slots[: min(10, sessions + 2)]
    if any(site in hubs for site in sites):
        chosen += [(rng.randint(0, 4), "evening")]
        if rng.random() < 0.4:
            chosen += [(5, "am"), (5, "pm")]
    return chosen
