"""A plan's assignments as CSV and XLSX: one row per person per session."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.styles import Font

from openpcn.rostering.models import RotaPlan
from openpcn.rostering.queries import SESSION_ORDER, WEEKDAYS, session_label
from openpcn.rostering.sessions import times_for

HEADER = [
    "Date",
    "Weekday",
    "Session",
    "Start",
    "End",
    "Site",
    "Staff",
    "Skill",
    "Enhanced Access for PCN",
    "Locked",
]


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def rows(plan: RotaPlan) -> Iterator[list[object]]:
    """The export's rows after the header; dates are `date` objects (CSV writes them as ISO)."""
    assignments = sorted(
        plan.assignments.select_related("site", "staff__person", "skill", "network"),
        key=lambda a: (
            a.date,
            SESSION_ORDER[a.session],
            a.site.name,
            a.staff.person.family_name,
            a.staff.person.given_name,
        ),
    )
    for a in assignments:
        times = times_for(a.date.weekday(), a.session)
        yield [
            a.date,
            WEEKDAYS[a.date.weekday()],
            session_label(a.session),
            _clock(times.start) if times else "",
            _clock(times.end) if times else "",
            a.site.name,
            a.staff.person.full_name,
            a.skill.name if a.skill else "",
            a.network.name if a.network else "",
            "yes" if a.locked else "no",
        ]


def filename(plan: RotaPlan, extension: str) -> str:
    name = "".join(c if c.isalnum() else "-" for c in plan.scope.name.lower()).strip("-")
    return f"rota-{name}-{plan.first_day.isoformat()}.{extension}"


def to_csv(plan: RotaPlan) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows(plan):
        writer.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in row])
    return out.getvalue()


def to_xlsx(plan: RotaPlan) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "Rota"
    sheet.append(HEADER)
    for header in sheet[1]:
        header.font = Font(bold=True)
    for row in rows(plan):
        sheet.append(row)
    for cell in sheet["A"][1:]:
        cell.number_format = "yyyy-mm-dd"
    widths = [12, 11, 9, 7, 7, 32, 28, 26, 26, 7]
    for column, width in zip("ABCDEFGHIJ", widths, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
