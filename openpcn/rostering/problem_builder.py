"""Turn a rota plan's scope, demand and staff into the engine's frozen `RotaProblem`, and back.

The engine knows nothing of Django: staff, sites and sessions become string ids here, and
`RotaMapping` keeps the way back from the engine's answer to the database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from openpcn.organisations.models import Organisation, OrganisationKind, Site
from openpcn.organisations.queries import practices_of
from openpcn.rostering.engine.problem import (
    CoverRequirement,
    Day,
    LockedAssignment,
    RotaProblem,
    RotaWeights,
    ShiftRequest,
    ShiftType,
)
from openpcn.rostering.engine.problem import (
    StaffMember as EngineStaff,
)
from openpcn.rostering.models import DemandException, EnhancedAccessHub, RotaPlan, SessionDemand
from openpcn.rostering.sessions import is_network_standard_hours, times_for
from openpcn.workforce.models import Absence, AbsenceStatus, StaffMember
from openpcn.workforce.queries import current_contracts

# Weights of the soft rules: a missing clinician costs far more than any preference, and a missing
# Enhanced Access session (a contractual minimum) more than any other.
UNDER_COVER_WEIGHT = {"gp": 100}
DEFAULT_UNDER_COVER_WEIGHT = 60
ENHANCED_ACCESS_UNDER_COVER_WEIGHT = 150
OVER_COVER_WEIGHT = 2
OUTSIDE_USUAL_AVAILABILITY_WEIGHT = 4
ROTA_WEIGHTS = RotaWeights(two_sites_one_day=20, site_continuity=2, unsocial_fairness=3)
MIN_REST_MINUTES = 11 * 60  # Working Time Regulations: 11 consecutive hours' daily rest
MAX_AVERAGE_WEEKLY_MINUTES = 48 * 60  # ...and at most 48 hours a week on average


@dataclass(frozen=True)
class ShiftKey:
    site_id: int
    session: str
    saturday: bool
    network_id: int | None

    @property
    def id(self) -> str:
        return f"s{self.site_id}-{self.session}{'-sat' if self.saturday else ''}-n{self.network_id or 0}"


@dataclass
class RotaMapping:
    """How to read the engine's answer: ids back to staff, sites, sessions and dates."""

    plan: RotaPlan
    dates: list[dt.date]
    shifts: dict[str, ShiftKey] = field(default_factory=dict)
    staff: dict[str, StaffMember] = field(default_factory=dict)
    demanded_skills: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    skills_of: dict[str, frozenset[str]] = field(default_factory=dict)

    def day_of(self, date: dt.date) -> int:
        return (date - self.dates[0]).days


def scope_sites(scope: Organisation, on: dt.date) -> tuple[list[Organisation], list[Site]]:
    """The practices a plan covers and their sites, plus the Enhanced Access hubs they use."""
    if scope.kind == OrganisationKind.NETWORK:
        networks = [scope]
    else:
        networks = list(Organisation.objects.filter(kind=OrganisationKind.NETWORK, alliance=scope))
    practices = [p for n in networks for p in practices_of(n, on)]
    sites = list(Site.objects.filter(organisation__in=practices, is_active=True))
    hub_ids = set(
        EnhancedAccessHub.objects.filter(network__in=networks).values_list("site_id", flat=True)
    )
    sites += list(Site.objects.filter(pk__in=hub_ids).exclude(pk__in=[s.pk for s in sites]))
    return networks + practices, sites


def staff_for(organisations: list[Organisation], on: dt.date) -> list[StaffMember]:
    org_ids = [o.pk for o in organisations]
    employed = current_contracts(on).filter(employer_id__in=org_ids).values("staff_id")
    return list(
        StaffMember.objects.filter(
            Q(pk__in=employed) | Q(home_practice_id__in=org_ids), is_active=True
        )
        .select_related("person")
        .prefetch_related("skills", "sites", "availability")
        .distinct()
    )


def build_problem(plan: RotaPlan) -> tuple[RotaProblem, RotaMapping]:
    dates = [plan.first_day + dt.timedelta(days=i) for i in range(7 * plan.weeks)]
    mapping = RotaMapping(plan=plan, dates=dates)
    organisations, sites = scope_sites(plan.scope, plan.first_day)
    networks = {o.pk for o in organisations if o.kind == OrganisationKind.NETWORK}
    site_by_id = {s.pk: s for s in sites}
    # The engine names sites in its explanations, so it gets names (made unique where they clash).
    clashing = {s.name for s in sites if sum(t.name == s.name for t in sites) > 1}
    site_names = {s.pk: f"{s.name} ({s.pk})" if s.name in clashing else s.name for s in sites}
    network_names = {o.pk: o.name for o in organisations if o.kind == OrganisationKind.NETWORK}
    network_of_staff = _networks_of_staff(plan.first_day, networks)
    demand = list(
        SessionDemand.objects.filter(site__in=sites)
        .filter(Q(network__isnull=True) | Q(network_id__in=networks))
        .select_related("skill")
    )
    closed = _closures(sites, dates)

    shift_types: dict[str, ShiftType] = {}
    cover: list[CoverRequirement] = []
    by_weekday: dict[int, list[SessionDemand]] = defaultdict(list)
    for row in demand:
        by_weekday[row.weekday].append(row)
    for day, date in enumerate(dates):
        for row in by_weekday.get(date.weekday(), []):
            times = times_for(date.weekday(), row.session)
            if times is None or (row.site_id, date) in closed:
                continue
            key = ShiftKey(row.site_id, row.session, date.weekday() == 5, row.network_id)
            if key.id not in shift_types:
                shift_types[key.id] = ShiftType(
                    id=key.id,
                    minutes=times.minutes,
                    start_minute=times.start,
                    site=_engine_site(site_names[row.site_id], row.network_id, network_names),
                    unsocial=is_network_standard_hours(date.weekday(), row.session),
                    label=row.get_session_display().lower()
                    + (" (Enhanced Access)" if row.network_id else ""),
                )
                mapping.shifts[key.id] = key
            cover.append(
                CoverRequirement(
                    day=day,
                    shift_id=key.id,
                    target=row.count,
                    weight_under=ENHANCED_ACCESS_UNDER_COVER_WEIGHT
                    if row.network_id
                    else UNDER_COVER_WEIGHT.get(row.skill.code, DEFAULT_UNDER_COVER_WEIGHT),
                    weight_over=OVER_COVER_WEIGHT,
                    skill=row.skill.name,
                )
            )
            mapping.demanded_skills.setdefault((key.id, day), []).append(row.skill.name)

    demanded = {c.skill for c in cover}
    absences = _absence_days(dates)
    engine_staff = []
    for member in staff_for(organisations, plan.first_day):
        skills = frozenset(s.name for s in member.skills.all())
        if not skills & demanded:
            continue
        staff_id = f"e{member.pk}"
        mapping.staff[staff_id] = member
        mapping.skills_of[staff_id] = skills
        allowed_sites = frozenset(
            site_names[s.pk] for s in member.sites.all() if s.pk in site_by_id
        )
        # Each PCN staffs its own Enhanced Access sessions at a shared hub.
        own_network = network_of_staff.get(member.pk)
        if own_network is not None:
            allowed_sites |= {
                _engine_site(name, own_network, network_names) for name in allowed_sites
            }
        contracted = sum(
            c.hours_per_week for c in current_contracts(plan.first_day).filter(staff=member)
        )
        usual = {(a.weekday, a.session) for a in member.availability.all()}
        engine_staff.append(
            EngineStaff(
                id=staff_id,
                name=member.person.full_name,
                skills=skills,
                sites=allowed_sites,
                max_minutes=int(contracted * 60 * plan.weeks) if contracted else 0,
                unavailable_days=frozenset(
                    day for day, date in enumerate(dates) if (member.pk, date) in absences
                ),
                shift_off_requests=_outside_usual(
                    usual, dates, shift_types, mapping, allowed_sites
                ),
            )
        )
    problem = RotaProblem(
        name=str(plan),
        days=tuple(Day(index=i, weekday=d.weekday(), date=d) for i, d in enumerate(dates)),
        shift_types=tuple(shift_types.values()),
        staff=tuple(engine_staff),
        cover=tuple(cover),
        locked=tuple(
            LockedAssignment(
                staff_id=f"e{a.staff_id}",
                day=mapping.day_of(a.date),
                shift_id=ShiftKey(a.site_id, a.session, a.date.weekday() == 5, a.network_id).id,
            )
            for a in plan.assignments.filter(locked=True)
            if f"e{a.staff_id}" in mapping.staff
        ),
        weights=ROTA_WEIGHTS,
        min_rest_minutes=MIN_REST_MINUTES,
        max_average_weekly_minutes=MAX_AVERAGE_WEEKLY_MINUTES,
    )
    return problem, mapping


def _engine_site(site_name: str, network_id: int | None, network_names: dict[int, str]) -> str:
    """Enhanced Access sessions at a hub count as the PCN's own site there, so that PCNs sharing
    a hub stay independent parts of the problem (and are solved one by one)."""
    if network_id is None:
        return site_name
    return f"{site_name} for {network_names.get(network_id, network_id)}"


def _networks_of_staff(on: dt.date, networks: set[int]) -> dict[int, int]:
    """Each staff member's own PCN: the PCN that employs them, else their home practice's PCN."""
    from openpcn.organisations.models import NetworkMembership

    practice_network = dict(
        NetworkMembership.objects.current_on(on)
        .filter(network_id__in=networks)
        .values_list("practice_id", "network_id")
    )
    own: dict[int, int] = {}
    for staff_id, home in StaffMember.objects.values_list("pk", "home_practice_id"):
        if home in practice_network:
            own[staff_id] = practice_network[home]
    for staff_id, employer in (
        current_contracts(on)
        .filter(employer_id__in=networks)
        .values_list("staff_id", "employer_id")
    ):
        own[staff_id] = employer
    return own


def _closures(sites: list[Site], dates: list[dt.date]) -> set[tuple[int, dt.date]]:
    closed: set[tuple[int, dt.date]] = set()
    organisations = {s.organisation_id for s in sites} | {
        s.organisation.alliance_id for s in sites if s.organisation.alliance_id
    }
    for row in DemandException.objects.filter(
        date__gte=dates[0], date__lte=dates[-1], organisation_id__in=organisations
    ):
        for site in sites:
            if row.site_id == site.pk or (
                row.site_id is None
                and row.organisation_id in (site.organisation_id, site.organisation.alliance_id)
            ):
                closed.add((site.pk, row.date))
    return closed


def _absence_days(dates: list[dt.date]) -> set[tuple[int, dt.date]]:
    days: set[tuple[int, dt.date]] = set()
    for absence in Absence.objects.filter(
        status=AbsenceStatus.APPROVED, first_day__lte=dates[-1], last_day__gte=dates[0]
    ):
        day = max(absence.first_day, dates[0])
        while day <= min(absence.last_day, dates[-1]):
            days.add((absence.staff_id, day))
            day += dt.timedelta(days=1)
    return days


def _outside_usual(
    usual: set[tuple[int, str]],
    dates: list[dt.date],
    shift_types: dict[str, ShiftType],
    mapping: RotaMapping,
    allowed_sites: frozenset[str],
) -> tuple[ShiftRequest, ...]:
    """Sessions outside a person's usual weekly pattern are allowed, at a small cost."""
    if not usual:
        return ()
    requests = []
    for shift in shift_types.values():
        if shift.site not in allowed_sites:
            continue
        key = mapping.shifts[shift.id]
        for day, date in enumerate(dates):
            if (date.weekday() == 5) != key.saturday or date.weekday() == 6:
                continue
            if (date.weekday(), key.session) not in usual:
                requests.append(ShiftRequest(day, shift.id, OUTSIDE_USUAL_AVAILABILITY_WEIGHT))
    return tuple(requests)
