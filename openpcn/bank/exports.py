"""Approved bank sessions for a month, for payroll and for recharging practices: CSV and XLSX.

One row per approved timesheet, then the totals per practice for the month: in the XLSX on a second
sheet, in the CSV as totals rows after a blank line (each starting "Total").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from openpcn.bank.models import Timesheet

HEADER = ["Date", "Practice", "Site", "Staff", "Role", "Start", "End", "Hours", "Rate", "Amount"]
TOTALS_HEADER = ["Month", "Practice", "Sessions", "Hours", "Amount"]


@dataclass(frozen=True)
class PaymentRow:
    date: dt.date
    practice: str
    site: str
    staff: str
    role: str
    start: str
    end: str
    hours: Decimal
    rate: Decimal
    amount: Decimal

    def values(self) -> list[object]:
        return [
            self.date,
            self.practice,
            self.site,
            self.staff,
            self.role,
            self.start,
            self.end,
            self.hours,
            self.rate,
            self.amount,
        ]


@dataclass(frozen=True)
class PracticeTotal:
    month: dt.date
    practice: str
    sessions: int
    hours: Decimal
    amount: Decimal

    def values(self) -> list[object]:
        return [f"{self.month:%Y-%m}", self.practice, self.sessions, self.hours, self.amount]


def hours_between(start: dt.datetime, end: dt.datetime) -> Decimal:
    return (Decimal((end - start).total_seconds()) / Decimal(3600)).quantize(Decimal("0.01"))


def rows(timesheets: QuerySet[Timesheet]) -> Iterator[PaymentRow]:
    for t in timesheets:
        request = t.booking.cover_request
        start = timezone.localtime(t.started_at)
        yield PaymentRow(
            date=start.date(),
            practice=request.practice.name,
            site=request.site.name,
            staff=t.booking.staff.person.full_name,
            role=request.skill.name,
            start=f"{start:%H:%M}",
            end=f"{timezone.localtime(t.ended_at):%H:%M}",
            hours=hours_between(t.started_at, t.ended_at),
            rate=request.rate,
            amount=t.amount,
        )


def totals(payment_rows: list[PaymentRow], month: dt.date) -> list[PracticeTotal]:
    """Sessions, hours and amount per practice, by practice name."""
    by_practice: dict[str, list[PaymentRow]] = {}
    for row in payment_rows:
        by_practice.setdefault(row.practice, []).append(row)
    return [
        PracticeTotal(
            month=month,
            practice=practice,
            sessions=len(practice_rows),
            hours=sum((r.hours for r in practice_rows), Decimal("0")),
            amount=sum((r.amount for r in practice_rows), Decimal("0")),
        )
        for practice, practice_rows in sorted(by_practice.items())
    ]


def filename(month: dt.date, extension: str) -> str:
    return f"bank-payments-{month:%Y-%m}.{extension}"


def _text(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def to_csv(timesheets: QuerySet[Timesheet], month: dt.date) -> str:
    payment_rows = list(rows(timesheets))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in payment_rows:
        writer.writerow([_text(v) for v in row.values()])
    writer.writerow([])
    writer.writerow(["Total", *TOTALS_HEADER])
    for total in totals(payment_rows, month):
        writer.writerow(["Total", *total.values()])
    grand = sum((r.amount for r in payment_rows), Decimal("0"))
    hours = sum((r.hours for r in payment_rows), Decimal("0"))
    writer.writerow(["Total", f"{month:%Y-%m}", "All practices", len(payment_rows), hours, grand])
    return out.getvalue()


def to_xlsx(timesheets: QuerySet[Timesheet], month: dt.date) -> bytes:
    payment_rows = list(rows(timesheets))
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "Sessions"
    sheet.append(HEADER)
    for row in payment_rows:
        sheet.append(row.values())
    for cell in sheet["A"][1:]:
        cell.number_format = "yyyy-mm-dd"
    for column in "IJ":
        for cell in sheet[column][1:]:
            cell.number_format = "#,##0.00"
    for column, width in zip("ABCDEFGHIJ", [12, 30, 30, 26, 24, 7, 7, 7, 10, 11], strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"

    summary = book.create_sheet("Totals by practice")
    summary.append(TOTALS_HEADER)
    for total in totals(payment_rows, month):
        summary.append(total.values())
    summary.append(
        [
            f"{month:%Y-%m}",
            "All practices",
            len(payment_rows),
            sum((r.hours for r in payment_rows), Decimal("0")),
            sum((r.amount for r in payment_rows), Decimal("0")),
        ]
    )
    for cell in summary["E"][1:]:
        cell.number_format = "#,##0.00"
    for column, width in zip("ABCDE", [9, 30, 9, 9, 12], strict=True):
        summary.column_dimensions[column].width = width
    for sheet_ in (sheet, summary):
        for header in sheet_[1]:
            header.font = Font(bold=True)
    for cell in summary[summary.max_row]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
