"""Reads for the rota pages: plans in scope, the site week grid, coverage, my rota and swaps.

Every read that takes a user stays within the organisations the user's roles cover.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from openpcn.accounts.models import User
from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.organisations.models import Organisation, OrganisationKind, Site
from openpcn.rostering.models import (
    CalendarFeed,
    DemandException,
    PlanStatus,
    RotaAssignment,
    RotaPlan,
    SessionDemand,
    SwapRequest,
    SwapStatus,
)
from openpcn.rostering.problem_builder import scope_sites
from openpcn.rostering.sessions import SessionTimes, times_for
from openpcn.workforce.models import Skill, StaffMember
from openpcn.workforce.queries import current_contracts

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# The sessions (SessionKind values) in the order of a day.
SESSIONS = ["am", "pm", "evening"]
SESSION_SHORT = {"am": "AM", "pm": "PM", "evening": "Evening"}
SESSION_ORDER = {session: number for number, session in enumerate(SESSIONS)}
# Plans a planner may still change by hand (the actions refuse the others).
EDITABLE = (PlanStatus.PLANNED, PlanStatus.FAILED, PlanStatus.CANCELLED)


def session_label(session: str) -> str:
    return SESSION_SHORT[session]


# --- plans ---------------------------------------------------------------------------------


def plans_in_scope(user: User, permission: Permission = Permission.ROTA_VIEW) -> QuerySet[RotaPlan]:
    return RotaPlan.objects.filter(
        scope_id__in=covered_organisation_ids(user, permission)
    ).select_related("scope", "created_by", "published_by", "repaired_from")


def get_plan_or_404(user: User, pk: int, permission: Permission = Permission.ROTA_VIEW) -> RotaPlan:
    """The plan, or a 404 when it is missing or its scope is outside the user's roles."""
    plan = plans_in_scope(user, permission).filter(pk=pk).first()
    if plan is None:
        raise Http404("No such rota")
    return plan


def progress_shown(plan: RotaPlan, now: dt.datetime | None = None) -> tuple[int, str]:
    """The plan's progress and message to show.

    The worker reports nothing while the solver searches (up to the time limit), so meanwhile the
    bar moves with the time spent against the limit.
    """
    message = plan.progress_message or plan.get_status_display()
    searching = plan.status == PlanStatus.SOLVING and 15 <= plan.progress < 90
    if not searching or plan.heartbeat_at is None:
        return plan.progress, message
    elapsed = ((now or timezone.now()) - plan.heartbeat_at).total_seconds()
    limit = max(1, plan.time_limit_seconds)
    left = max(0, round(limit - elapsed))
    percent = plan.progress + int((90 - plan.progress) * min(1.0, max(0.0, elapsed / limit)))
    return percent, f"{message}: about {left} s left" if left else f"{message}: finishing"


def planning_scopes(user: User) -> list[Organisation]:
    """The PCNs and alliances the user may plan a rota for."""
    return list(
        Organisation.objects.filter(
            pk__in=covered_organisation_ids(user, Permission.ROTA_PLAN),
            kind__in=[OrganisationKind.ALLIANCE, OrganisationKind.NETWORK],
        ).order_by("kind", "name")
    )


def rota_for_network(network: Organisation, week_start: dt.date) -> RotaPlan | None:
    """The rota covering a PCN that week: the published one, else the latest planned draft."""
    plans = RotaPlan.objects.filter(
        scope_id__in=[network.pk, network.alliance_id],
        first_day__lte=week_start,
        first_day__gt=week_start - dt.timedelta(days=7 * 8),
    ).select_related("scope")
    covering = [p for p in plans if p.last_day >= week_start]
    for status in (PlanStatus.PUBLISHED, PlanStatus.PLANNED):
        found = [p for p in covering if p.status == status]
        if found:
            return max(found, key=lambda p: (p.published_at or p.created_at, p.pk))
    return None


def plan_weeks(plan: RotaPlan) -> list[dt.date]:
    return [plan.first_day + dt.timedelta(days=7 * week) for week in range(plan.weeks)]


def plan_sites(plan: RotaPlan) -> list[Site]:
    """The sites a plan covers: its practices' sites and the Enhanced Access hubs they use."""
    _, sites = scope_sites(plan.scope, plan.first_day)
    return sorted(sites, key=lambda s: (s.kind == "hub", s.name))


def plan_networks(plan: RotaPlan) -> list[Organisation]:
    if plan.scope.kind == OrganisationKind.NETWORK:
        return [plan.scope]
    return list(
        Organisation.objects.filter(kind=OrganisationKind.NETWORK, alliance=plan.scope).order_by(
            "name"
        )
    )


def eligible_staff(plan: RotaPlan, site: Site) -> QuerySet[StaffMember]:
    """Active staff of the plan's organisations who may work at `site`."""
    organisations, _ = scope_sites(plan.scope, plan.first_day)
    org_ids = [o.pk for o in organisations]
    employed = current_contracts(plan.first_day).filter(employer_id__in=org_ids).values("staff_id")
    return (
        StaffMember.objects.filter(
            Q(pk__in=employed) | Q(home_practice_id__in=org_ids), is_active=True, sites=site
        )
        .select_related("person")
        .prefetch_related("skills")
        .distinct()
        .order_by("person__family_name", "person__given_name")
    )


# --- the site week grid ----------------------------------------------------------------------


@dataclass
class DemandLine:
    """`count` people with `skill` wanted in a session (for `network`'s Enhanced Access if set)."""

    skill: Skill
    count: int
    network: Organisation | None
    filled: int = 0

    @property
    def short(self) -> int:
        return max(0, self.count - self.filled)


@dataclass
class Cell:
    site: Site
    date: dt.date
    session: str
    times: SessionTimes | None
    assignments: list[RotaAssignment] = field(default_factory=list)
    demand: list[DemandLine] = field(default_factory=list)
    closed: str = ""

    @property
    def held(self) -> bool:
        """False when the session does not exist that day (e.g. Saturday evening)."""
        return self.times is not None

    @property
    def wanted(self) -> int:
        return sum(d.count for d in self.demand)

    @property
    def filled(self) -> int:
        return sum(d.filled for d in self.demand)

    @property
    def short(self) -> int:
        return sum(d.short for d in self.demand)

    @property
    def dom_id(self) -> str:
        return f"cell-{self.site.pk}-{self.date:%Y%m%d}-{self.session}"

    @property
    def label(self) -> str:
        return f"{WEEKDAYS[self.date.weekday()]} {self.date:%d %B} {session_label(self.session)}"

    def suggested_skill_id(self) -> int | None:
        """The skill most needed here: the first one short, else the first demanded."""
        for line in self.demand:
            if line.short:
                return line.skill.pk
        return self.demand[0].skill.pk if self.demand else None

    def network_for(self, skill_id: int | None) -> Organisation | None:
        """The PCN whose Enhanced Access a new person here delivers, if any."""
        candidates = [d for d in self.demand if d.network is not None]
        for line in candidates:
            if line.skill.pk == skill_id and line.short:
                return line.network
        for line in candidates:
            if line.short:
                return line.network
        return candidates[0].network if candidates else None


def _demand(plan: RotaPlan, sites: list[Site]) -> dict[tuple[int, int, str], list[SessionDemand]]:
    networks = [n.pk for n in plan_networks(plan)]
    rows: dict[tuple[int, int, str], list[SessionDemand]] = defaultdict(list)
    for row in (
        SessionDemand.objects.filter(site__in=sites)
        .filter(Q(network__isnull=True) | Q(network_id__in=networks))
        .select_related("skill", "network")
    ):
        rows[(row.site_id, row.weekday, row.session)].append(row)
    return rows


def _closures(sites: list[Site], first: dt.date, last: dt.date) -> dict[tuple[int, dt.date], str]:
    """(site, date) → why the site is closed, from closures of the site, its owner or alliance."""
    owners: dict[int, set[int]] = defaultdict(set)
    for site in sites:
        owners[site.organisation_id].add(site.pk)
        if site.organisation.alliance_id:
            owners[site.organisation.alliance_id].add(site.pk)
    closed: dict[tuple[int, dt.date], str] = {}
    for row in DemandException.objects.filter(
        date__gte=first, date__lte=last, organisation_id__in=list(owners)
    ):
        for site_id in [row.site_id] if row.site_id else owners[row.organisation_id]:
            closed[(site_id, row.date)] = row.reason
    return closed


def _fill(cell: Cell, rows: list[SessionDemand]) -> Cell:
    cell.demand = [DemandLine(r.skill, r.count, r.network) for r in rows]
    # Each person counts once, towards a line for their skill (and PCN, for Enhanced Access).
    for a in cell.assignments:
        for line in cell.demand:
            same_network = line.network is None or line.network.pk == a.network_id
            if line.skill.pk == a.skill_id and same_network and line.short:
                line.filled += 1
                break
    return cell


def _assignments(plan: RotaPlan, first: dt.date, last: dt.date, **filters: object):  # type: ignore[no-untyped-def]
    return (
        plan.assignments.filter(date__gte=first, date__lte=last, **filters)
        .select_related("staff__person", "skill", "network", "site")
        .order_by("staff__person__family_name", "staff__person__given_name")
    )


@dataclass
class SiteWeek:
    plan: RotaPlan
    site: Site
    week_start: dt.date
    days: list[dt.date]
    rows: list[tuple[str, list[Cell]]]

    @property
    def cells(self) -> list[Cell]:
        return [cell for _, cells in self.rows for cell in cells]


def site_week(plan: RotaPlan, site: Site, week_start: dt.date) -> SiteWeek:
    """Rows are sessions, columns days (Monday to Saturday): who is rostered and what is wanted."""
    days = [week_start + dt.timedelta(days=d) for d in range(6)]
    demand = _demand(plan, [site])
    closed = _closures([site], days[0], days[-1])
    placed: dict[tuple[dt.date, str], list[RotaAssignment]] = defaultdict(list)
    for a in _assignments(plan, days[0], days[-1], site=site):
        placed[(a.date, a.session)].append(a)
    rows = []
    for session in SESSIONS:
        cells = []
        for day in days:
            cell = Cell(
                site=site,
                date=day,
                session=session,
                times=times_for(day.weekday(), session),
                assignments=placed[(day, session)],
                closed=closed.get((site.pk, day), ""),
            )
            rows_here = [] if cell.closed else demand[(site.pk, day.weekday(), session)]
            cells.append(_fill(cell, rows_here if cell.held else []))
        rows.append((session, cells))
    return SiteWeek(plan, site, week_start, days, rows)


def cell(plan: RotaPlan, site: Site, date: dt.date, session: str) -> Cell:
    """One cell of the grid, for refreshing it after an edit."""
    found = Cell(
        site=site,
        date=date,
        session=session,
        times=times_for(date.weekday(), session),
        assignments=list(_assignments(plan, date, date, site=site, session=session)),
        closed=_closures([site], date, date).get((site.pk, date), ""),
    )
    rows = [] if found.closed else _demand(plan, [site])[(site.pk, date.weekday(), session)]
    return _fill(found, rows if found.held else [])


# --- the coverage heat map -------------------------------------------------------------------


@dataclass(frozen=True)
class DayCoverage:
    date: dt.date
    wanted: int
    filled: int
    closed: str = ""

    @property
    def share(self) -> float | None:
        return None if not self.wanted else self.filled / self.wanted

    @property
    def band(self) -> str:
        """A word for the share filled; the page shows it as text and as a colour."""
        if self.closed:
            return "closed"
        if self.share is None:
            return "none"
        if self.share >= 1:
            return "full"
        if self.share >= 0.75:
            return "most"
        if self.share >= 0.5:
            return "half"
        return "low"


@dataclass(frozen=True)
class SiteCoverage:
    site: Site
    days: list[DayCoverage]

    @property
    def wanted(self) -> int:
        return sum(d.wanted for d in self.days)

    @property
    def filled(self) -> int:
        return sum(d.filled for d in self.days)


def coverage(
    plan: RotaPlan, week_start: dt.date, network: Organisation | None = None
) -> list[SiteCoverage]:
    """Per site and day of a week: people wanted across its sessions, and how many are filled.

    With `network`, only that PCN's practices' sites and its Enhanced Access hub.
    """
    sites = plan_sites(plan)
    if network is not None and network.pk != plan.scope_id:
        _, network_sites = scope_sites(network, plan.first_day)
        ids = {s.pk for s in network_sites}
        sites = [s for s in sites if s.pk in ids]
    days = [week_start + dt.timedelta(days=d) for d in range(6)]
    demand = _demand(plan, sites)
    closed = _closures(sites, days[0], days[-1])
    placed: dict[tuple[int, dt.date, str], list[RotaAssignment]] = defaultdict(list)
    for a in plan.assignments.filter(date__gte=days[0], date__lte=days[-1]).select_related(
        "skill", "network"
    ):
        placed[(a.site_id, a.date, a.session)].append(a)
    table = []
    for site in sites:
        row = []
        for day in days:
            reason = closed.get((site.pk, day), "")
            wanted = filled = 0
            for session in SESSIONS:
                if reason or times_for(day.weekday(), session) is None:
                    continue
                one = _fill(
                    Cell(
                        site=site,
                        date=day,
                        session=session,
                        times=None,
                        assignments=placed[(site.pk, day, session)],
                    ),
                    demand[(site.pk, day.weekday(), session)],
                )
                wanted += one.wanted
                filled += one.filled
            row.append(DayCoverage(day, wanted, filled, reason))
        table.append(SiteCoverage(site, row))
    return table


# --- my rota, swaps and feeds ----------------------------------------------------------------


def _in_order(assignments: QuerySet[RotaAssignment]) -> list[RotaAssignment]:
    return sorted(assignments, key=lambda a: (a.date, SESSION_ORDER[a.session], a.site.name))


def published_sessions(staff: StaffMember, since: dt.date | None = None) -> list[RotaAssignment]:
    """A person's sessions on published rotas (from `since`), one per date and session."""
    rows = RotaAssignment.objects.filter(staff=staff, plan__status=PlanStatus.PUBLISHED)
    if since is not None:
        rows = rows.filter(date__gte=since)
    rows = rows.select_related("site", "skill", "network", "plan__scope").order_by(
        "-plan__published_at"
    )
    # Two published plans of different scopes could both hold a session: the latest wins.
    seen: dict[tuple[dt.date, str], RotaAssignment] = {}
    for a in rows:
        seen.setdefault((a.date, a.session), a)
    return sorted(seen.values(), key=lambda a: (a.date, SESSION_ORDER[a.session], a.site.name))


def active_feed(staff: StaffMember) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(staff=staff, revoked_at__isnull=True).first()


def feed_by_token(token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("staff__person")
        .first()
    )


def swap_colleagues(offered: RotaAssignment) -> QuerySet[StaffMember]:
    """Who could take a session: active, set up for the site, with its skill, free at that time."""
    busy = offered.plan.assignments.filter(date=offered.date, session=offered.session).values(
        "staff_id"
    )
    colleagues = StaffMember.objects.filter(is_active=True, sites=offered.site_id).exclude(
        pk__in=busy
    )
    if offered.skill_id is not None:
        colleagues = colleagues.filter(skills=offered.skill_id)
    return colleagues.select_related("person").distinct()


def my_swaps(staff: StaffMember) -> tuple[QuerySet[SwapRequest], QuerySet[SwapRequest]]:
    """(offers made to me awaiting my answer, swaps I have offered)."""
    related = ("offered__site", "offered__staff__person", "colleague__person", "offered__plan")
    incoming = SwapRequest.objects.filter(colleague=staff, status=SwapStatus.PROPOSED)
    # Once approved, the session is the colleague's; a swap does not record who offered it.
    outgoing = SwapRequest.objects.filter(offered__staff=staff).exclude(status=SwapStatus.APPROVED)
    return incoming.select_related(*related), outgoing.select_related(*related)


def swaps_to_approve(user: User) -> QuerySet[SwapRequest]:
    """Swaps both people agreed, on published rotas the user may publish."""
    return SwapRequest.objects.filter(
        status=SwapStatus.ACCEPTED,
        offered__plan__scope_id__in=covered_organisation_ids(user, Permission.ROTA_PUBLISH),
    ).select_related(
        "offered__site", "offered__staff__person", "offered__plan__scope", "colleague__person"
    )


def enhanced_access_networks(user: User) -> list[Organisation]:
    """The PCNs whose Enhanced Access the user may see (rota view)."""
    return list(
        Organisation.objects.filter(
            pk__in=covered_organisation_ids(user, Permission.ROTA_VIEW),
            kind=OrganisationKind.NETWORK,
        ).order_by("name")
    )
