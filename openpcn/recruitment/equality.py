"""The equality monitoring report: candidates' answers in aggregate, at each stage (applied,
shortlisted, appointed), across the alliance's vacancies, through the surveys' disclosure control.

Only this module reads `EqualityRecord`, and only by alliance and financial year: never by
vacancy, application or candidate. A group under 5 at a stage is withheld; shown counts are
rounded to the nearest 5; a report covering fewer than MIN_VACANCIES vacancies is withheld whole,
since a few vacancies' appointments could point at people.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import get_organisation_or_404
from openpcn.finance.entitlements import FinancialYear
from openpcn.organisations.models import Organisation, OrganisationKind
from openpcn.recruitment.models import EQUALITY_QUESTIONS, EqualityRecord, Vacancy
from openpcn.surveys import disclosure

MIN_VACANCIES = 3
STAGES = ("applied", "shortlisted", "appointed")
NOT_ANSWERED = "Not answered"


@dataclass(frozen=True)
class Cell:
    count: int | None  # rounded; None when withheld

    @property
    def withheld(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, Cell, Cell]  # applied, shortlisted, appointed


@dataclass(frozen=True)
class Characteristic:
    field: str
    question: str
    rows: list[Row]


@dataclass(frozen=True)
class Report:
    alliance: Organisation
    year: FinancialYear | None
    vacancies: int
    respondents: Cell
    characteristics: list[Characteristic]

    @property
    def withheld(self) -> bool:
        return self.vacancies < MIN_VACANCIES


def _cell(count: int) -> Cell:
    return Cell(disclosure.round_count(count) if disclosure.shown(count) else None)


def alliance_or_404(user: Any, pk: int | None) -> Organisation:
    if pk is None:
        from openpcn.accounts.scope import organisations_for

        alliance = (
            organisations_for(user, Permission.EQUALITY_REPORT_VIEW)
            .filter(kind=OrganisationKind.ALLIANCE)
            .order_by("name")
            .first()
        )
        if alliance is None:
            raise Http404("No equality monitoring for you")
        return alliance
    return get_organisation_or_404(
        user, Permission.EQUALITY_REPORT_VIEW, pk=pk, kind=OrganisationKind.ALLIANCE
    )


def tally(records: list[dict[str, Any]]) -> list[Characteristic]:
    """Counts per answer per stage, from plain rows (field -> value, plus the stage flags)."""
    result = []
    for field, question, choices in EQUALITY_QUESTIONS:
        counts = {stage: Counter() for stage in STAGES}  # type: ignore[var-annotated]
        for record in records:
            value = record[field] or ""
            counts["applied"][value] += 1
            if record["shortlisted"]:
                counts["shortlisted"][value] += 1
            if record["appointed"]:
                counts["appointed"][value] += 1
        labels = [*choices.choices, ("", NOT_ANSWERED)]
        rows = [
            Row(
                label,
                (
                    _cell(counts["applied"][value]),
                    _cell(counts["shortlisted"][value]),
                    _cell(counts["appointed"][value]),
                ),
            )
            for value, label in labels
        ]
        result.append(Characteristic(field, question, rows))
    return result


def report(alliance: Organisation, year: FinancialYear | None = None) -> Report:
    vacancies = Vacancy.objects.filter(alliance=alliance)
    records = EqualityRecord.objects.filter(alliance=alliance)
    if year is not None:
        vacancies = vacancies.filter(
            applications__applied_on__gte=year.start, applications__applied_on__lte=year.end
        )
        records = records.filter(year=year.first_year)
    else:
        vacancies = vacancies.filter(applications__isnull=False)
    count = vacancies.distinct().count()
    fields = [name for name, _, _ in EQUALITY_QUESTIONS]
    rows = list(records.values(*fields, "shortlisted", "appointed"))
    respondents = _cell(len(rows))
    if count < MIN_VACANCIES:
        return Report(alliance, year, count, Cell(None), [])
    return Report(alliance, year, count, respondents, tally(rows))


def years(alliance: Organisation) -> list[FinancialYear]:
    found = EqualityRecord.objects.filter(alliance=alliance).values_list("year", flat=True)
    return [FinancialYear(y) for y in sorted(set(found), reverse=True)]
