"""Reads for recruitment, narrowed to what the user may see; anything else is a 404.

A vacancy is visible to RECRUITMENT_MANAGE or VACANCY_APPROVE over its employer, and to the members
of its panel. The panel's view of applications (`panel_rows`) leaves out names and personal details
while shortlisting is blind. Nothing here reads equality records: they have their own module
(`equality.py`), reached only with EQUALITY_REPORT_VIEW.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids, has_permission
from openpcn.recruitment.models import (
    Application,
    ApplicationStatus,
    Criterion,
    PanelMember,
    Score,
    Vacancy,
    VacancyStatus,
)


def _ids(user: Any, permission: Permission) -> set[int]:
    return covered_organisation_ids(user, permission)


def visible_vacancies(user: Any) -> QuerySet[Vacancy]:
    scope = _ids(user, Permission.RECRUITMENT_MANAGE) | _ids(user, Permission.VACANCY_APPROVE)
    panel = PanelMember.objects.filter(user_id=getattr(user, "pk", None)).values("vacancy_id")
    return (
        Vacancy.objects.filter(Q(employer_id__in=scope) | Q(pk__in=panel))
        .select_related("employer", "job_role", "alliance")
        .distinct()
    )


def vacancy_or_404(user: Any, pk: int) -> Vacancy:
    vacancy = visible_vacancies(user).filter(pk=pk).first()
    if vacancy is None:
        raise Http404("No such vacancy")
    return vacancy


def can_manage(user: Any, vacancy: Vacancy) -> bool:
    return has_permission(user, Permission.RECRUITMENT_MANAGE, organisation=vacancy.employer)


def can_approve(user: Any, vacancy: Vacancy) -> bool:
    return has_permission(user, Permission.VACANCY_APPROVE, organisation=vacancy.employer)


def seat(user: Any, vacancy: Vacancy) -> PanelMember | None:
    return vacancy.panel.filter(user_id=getattr(user, "pk", None)).first()


def names_hidden(user: Any, vacancy: Vacancy) -> bool:
    """Blind shortlisting: a panel member sees no names until the shortlist is made, even one
    who also manages recruitment."""
    if not vacancy.blind_shortlisting:
        return False
    if vacancy.status not in (VacancyStatus.OPEN, VacancyStatus.SHORTLISTING):
        return False
    return seat(user, vacancy) is not None


def sees_candidates(user: Any, vacancy: Vacancy) -> bool:
    """Names and contact details: the recruiting managers, except a panel member while blind."""
    return can_manage(user, vacancy) and not names_hidden(user, vacancy)


def panel_vacancies(user: Any) -> QuerySet[Vacancy]:
    return (
        Vacancy.objects.filter(panel__user_id=getattr(user, "pk", None))
        .select_related("employer", "job_role")
        .order_by("closing_date")
    )


def application_or_404(vacancy: Vacancy, pk: int) -> Application:
    application = vacancy.applications.filter(pk=pk).first()
    if application is None:
        raise Http404("No such application")
    return application


# --- the panel's view ---------------------------------------------------------------------------


@dataclass
class PanelRow:
    """What a panel member sees of an application: the candidate number, never (while blind)
    the name, email, telephone or registration."""

    pk: int
    candidate: str
    status: str
    status_label: str
    name: str | None
    my_scores: dict[int, int]
    my_total: int | None
    panel_mean: Decimal | None
    scored_by: int


def _totals(vacancy: Vacancy) -> dict[int, dict[int, int]]:
    """{application id: {panel member id: total}} for complete score sets only."""
    criteria = vacancy.criteria.count()
    by_pair: dict[tuple[int, int], list[int]] = {}
    for score in Score.objects.filter(application__vacancy=vacancy):
        by_pair.setdefault((score.application_id, score.panel_member_id), []).append(score.value)
    totals: dict[int, dict[int, int]] = {}
    for (application_id, member_id), values in by_pair.items():
        if len(values) == criteria:
            totals.setdefault(application_id, {})[member_id] = sum(values)
    return totals


def panel_rows(user: Any, vacancy: Vacancy) -> list[PanelRow]:
    member = seat(user, vacancy)
    hidden = names_hidden(user, vacancy)
    totals = _totals(vacancy)
    mine: dict[int, dict[int, int]] = {}
    if member is not None:
        for score in Score.objects.filter(panel_member=member):
            mine.setdefault(score.application_id, {})[score.criterion_id] = score.value
    rows = []
    for application in vacancy.applications.exclude(status=ApplicationStatus.WITHDRAWN):
        panel = totals.get(application.pk, {})
        rows.append(
            PanelRow(
                application.pk,
                application.candidate,
                application.status,
                application.get_status_display(),
                None if hidden else application.full_name,
                mine.get(application.pk, {}),
                panel.get(member.pk) if member is not None else None,
                (Decimal(sum(panel.values())) / len(panel)).quantize(Decimal("0.1"))
                if panel
                else None,
                len(panel),
            )
        )
    return rows


@dataclass
class ScoreSheet:
    """Each panel member's total per application and the combined (mean) score."""

    members: list[PanelMember]
    rows: list[tuple[Application, list[int | None], Decimal | None]]


def score_sheet(vacancy: Vacancy) -> ScoreSheet:
    members = list(vacancy.panel.select_related("user"))
    totals = _totals(vacancy)
    rows = []
    for application in vacancy.applications.exclude(status=ApplicationStatus.WITHDRAWN):
        given = totals.get(application.pk, {})
        values = [given.get(m.pk) for m in members]
        mean = (
            (Decimal(sum(given.values())) / len(given)).quantize(Decimal("0.1")) if given else None
        )
        rows.append((application, values, mean))
    rows.sort(key=lambda row: (row[2] is None, -(row[2] or 0), row[0].number))
    return ScoreSheet(members, rows)


def criteria(vacancy: Vacancy) -> list[Criterion]:
    return list(vacancy.criteria.all())


# --- ARRS headroom -----------------------------------------------------------------------------


@dataclass
class ArrsPosition:
    network: Any
    year: Any
    role_maximum: Decimal | None  # per WTE a year
    post_maximum: Decimal | None  # role maximum × the post's WTE
    entitlement: Decimal | None
    forecast: Decimal
    headroom: Decimal | None

    @property
    def fits(self) -> bool | None:
        if self.headroom is None or self.post_maximum is None:
            return None
        return self.post_maximum <= self.headroom


def role_maximum(job_role: Any, on: dt.date) -> Decimal | None:
    """The ARRS maximum per WTE valid on the day; failing that, the latest one published before it
    (for planning: this year's figure is often published months into the year)."""
    from openpcn.finance.models import ArrsRoleMaximum

    rows = ArrsRoleMaximum.objects.filter(job_role=job_role, valid_from__lte=on)
    row = (
        rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on)).order_by("-valid_from").first()
        or rows.order_by("-valid_from").first()
    )
    return row.annual_maximum if row else None


def arrs_position(vacancy: Vacancy, today: dt.date | None = None) -> ArrsPosition | None:
    """The PCN's ARRS sum for this year, what its current staff will claim, and what is left:
    the finance capability's own forecast, against this post's most reimbursable cost."""
    from openpcn.finance.arrs import network_forecast
    from openpcn.finance.entitlements import FinancialYear
    from openpcn.recruitment.actions import arrs_network

    if not vacancy.arrs_funded:
        return None
    network = arrs_network(vacancy.employer)
    if network is None:
        return None
    today = today or timezone.localdate()
    year = FinancialYear.containing(today)
    forecast = network_forecast(network, year)
    maximum = role_maximum(vacancy.job_role, today)
    return ArrsPosition(
        network,
        year,
        maximum,
        (maximum * vacancy.wte).quantize(Decimal("0.01")) if maximum is not None else None,
        forecast.entitlement,
        forecast.total,
        forecast.headroom,
    )


# --- the public jobs page ----------------------------------------------------------------------


def public_vacancies(alliance: Any, today: dt.date | None = None) -> QuerySet[Vacancy]:
    today = today or timezone.localdate()
    return (
        Vacancy.objects.filter(
            alliance=alliance, status=VacancyStatus.OPEN, closing_date__gte=today
        )
        .select_related("employer", "job_role")
        .prefetch_related("sites")
        .order_by("closing_date", "title")
    )


def public_vacancy_or_404(pk: int, today: dt.date | None = None) -> Vacancy:
    """Open vacancies are public; anything else (a draft, a filled post) is not found."""
    vacancy = (
        Vacancy.objects.filter(pk=pk, status=VacancyStatus.OPEN)
        .select_related("employer", "job_role", "alliance")
        .first()
    )
    if vacancy is None or vacancy.closing_date < (today or timezone.localdate()):
        raise Http404("No such vacancy, or it has closed")
    return vacancy


def job_posting(vacancy: Vacancy, url: str) -> dict[str, Any]:
    """schema.org JobPosting (as job boards and search engines read it) for an open vacancy."""
    employer = vacancy.employer
    locations = []
    for site in vacancy.sites.all() or []:
        locations.append(
            {
                "@type": "Place",
                "name": site.name,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": " ".join(site.address.split()),
                    "postalCode": site.postcode,
                    "addressCountry": "GB",
                },
            }
        )
    if not locations:
        locations.append(
            {
                "@type": "Place",
                "name": employer.name,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": " ".join(employer.address.split()),
                    "postalCode": employer.postcode,
                    "addressCountry": "GB",
                },
            }
        )
    hiring: dict[str, Any] = {"@type": "Organization", "name": employer.name}
    if employer.ods_code:
        hiring["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "ODS code",
            "value": employer.ods_code,
        }
    return {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": _description_html(vacancy),
        "identifier": {
            "@type": "PropertyValue",
            "name": employer.name,
            "value": vacancy.reference,
        },
        "datePosted": (vacancy.opened_on or vacancy.created_on).isoformat(),
        "validThrough": f"{vacancy.closing_date.isoformat()}T23:59:59+00:00",
        "employmentType": "FULL_TIME" if vacancy.full_time else "PART_TIME",
        "occupationalCategory": vacancy.job_role.name,
        "industry": "Primary care (NHS general practice)",
        "hiringOrganization": hiring,
        "jobLocation": locations,
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "GBP",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": float(vacancy.salary_from),
                "maxValue": float(vacancy.salary_to),
                "unitText": "YEAR",
            },
        },
        "workHours": f"{vacancy.hours_per_week.normalize():f} hours a week",
        "directApply": True,
        "url": url,
    }


def _description_html(vacancy: Vacancy) -> str:
    from django.utils.html import escape, linebreaks

    return str(linebreaks(escape(vacancy.description)))


def job_posting_json(vacancy: Vacancy, url: str) -> str:
    """For a <script type="application/ld+json"> block: `</` cannot end the script early."""
    return json.dumps(job_posting(vacancy, url), indent=2).replace("</", "<\\/")
