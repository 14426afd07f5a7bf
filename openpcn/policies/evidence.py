"""A practice's evidence pack for a CQC inspection: the policies it has adopted, with versions,
dates, local variations and acknowledgement rates, as PDF (ReportLab) and XLSX (openpyxl).

Plain data in (queries.practice_compliance), bytes out.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from xml.sax.saxutils import escape

from openpcn.policies.queries import PolicyCompliance, PracticeCompliance


def _status(row: PolicyCompliance, today: dt.date) -> str:
    version = row.adoption.version
    if version.out_of_date(today):
        return f"Out of date (review was due {version.review_date:%d %b %Y})"
    if row.newer is not None:
        return f"Version {row.newer.number} published, not yet adopted"
    return f"Current (review by {version.review_date:%d %b %Y})"


def _rate(row: PolicyCompliance) -> str:
    if row.rate is None:
        return "Applies to no staff here"
    return f"{row.rate}% ({len(row.acknowledged)} of {row.applies_to})"


def rows(compliance: PracticeCompliance, today: dt.date) -> list[list[Any]]:
    """One row per adopted policy, as both formats show it."""
    found = []
    for row in compliance.policies:
        adoption, version = row.adoption, row.adoption.version
        variation = (
            f"{adoption.local_variation} (approved by {adoption.variation_approved_by})"
            if adoption.varied
            else "Adopted as it is"
        )
        found.append(
            [
                adoption.policy.title,
                adoption.policy.get_category_display(),
                version.number,
                version.published_on,
                adoption.adopted_on,
                version.review_date,
                variation,
                _status(row, today),
                len(row.acknowledged),
                row.applies_to,
                _rate(row),
            ]
        )
    return found


HEADERS = [
    "Policy",
    "Category",
    "Version",
    "Published",
    "Adopted",
    "Review date",
    "Local variation",
    "Status",
    "Acknowledged",
    "Staff it applies to",
    "Acknowledgement rate",
]


def _overall(compliance: PracticeCompliance) -> str:
    if compliance.rate is None:
        return "No acknowledgements are due yet."
    return (
        f"Overall {compliance.rate}% of acknowledgements made "
        f"({compliance.acknowledged} of {compliance.due})."
    )


def evidence_pdf(compliance: PracticeCompliance, *, today: dt.date) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    practice = compliance.practice
    title = f"{practice.name}: policy evidence pack"
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=title,
        author="OpenPCN",
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
    )
    styles = getSampleStyleSheet()
    styles["Heading1"].textColor = colors.HexColor("#005EB8")
    body = styles["BodyText"]
    story: list[Any] = [
        Paragraph(escape(title), styles["Heading1"]),
        Paragraph(
            escape(
                f"Policies and protocols adopted by {practice.name}"
                + (f" ({practice.ods_code})" if practice.ods_code else "")
                + f", as on {today:%d %B %Y}. {_overall(compliance)}"
            ),
            body,
        ),
        Spacer(1, 4 * mm),
    ]

    def cell(value: Any) -> Any:
        if isinstance(value, dt.date):
            value = f"{value:%d %b %Y}"
        return Paragraph(escape("" if value is None else str(value)), body)

    table_rows: list[list[Any]] = [[cell(h) for h in HEADERS[:8]] + [cell(HEADERS[10])]]
    for r in rows(compliance, today):
        table_rows.append([cell(v) for v in r[:8]] + [cell(r[10])])
    if len(table_rows) == 1:
        story.append(Paragraph("The practice has adopted no policies yet.", body))
    else:
        widths = [42, 26, 17, 22, 22, 22, 43, 40, 38]
        table = Table(table_rows, colWidths=[w * mm for w in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EDEE")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                ]
            )
        )
        story.append(table)
    if compliance.roles:
        story.append(Paragraph("Acknowledgement by job role", styles["Heading2"]))
        role_rows = [[cell("Job role"), cell("Acknowledged"), cell("Due")]] + [
            [cell(r.role), cell(r.acknowledged), cell(r.due)] for r in compliance.roles
        ]
        story.append(Table(role_rows, colWidths=[90 * mm, 40 * mm, 40 * mm]))
    doc.build(story)
    return buffer.getvalue()


def evidence_xlsx(compliance: PracticeCompliance, *, today: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Policies"
    sheet.append([f"{compliance.practice.name}: policy evidence pack, {today:%d %B %Y}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_overall(compliance)])
    sheet.append([])
    sheet.append(HEADERS)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for r in rows(compliance, today):
        sheet.append(r)
    for column, width in zip(
        "ABCDEFGHIJK", [40, 24, 9, 13, 13, 13, 50, 44, 14, 18, 24], strict=True
    ):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=5, min_col=4, max_col=6):
        for cell in row:
            cell.number_format = "DD MMM YYYY"
    people = workbook.create_sheet("Staff")
    people.append(["Name", "Job roles", "Acknowledged", "Outstanding"])
    for cell in people[1]:
        cell.font = Font(bold=True)
    for s in compliance.staff:
        people.append(
            [
                s.staff.person.full_name,
                ", ".join(r.name for r in s.roles) or "No current contract",
                s.acknowledged,
                "; ".join(a.policy.title for a in s.outstanding) or "None",
            ]
        )
    roles = workbook.create_sheet("Job roles")
    roles.append(["Job role", "Acknowledged", "Due"])
    for tally in compliance.roles:
        roles.append([tally.role, tally.acknowledged, tally.due])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
