"""The place development report (and the report across places) as PDF, written with ReportLab.

Plain data in, bytes out: the view gathers what the user may see and this lays it out.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

NHS_BLUE = colors.HexColor("#005EB8")


def _document(title: str) -> tuple[io.BytesIO, SimpleDocTemplate]:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="OpenPCN",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    return buffer, doc


def _styles() -> Any:
    styles = getSampleStyleSheet()
    styles["Heading1"].textColor = NHS_BLUE
    return styles


def _recommendation_table(recommendations: Sequence[Any], styles: Any) -> Table:
    body = styles["BodyText"]
    rows: list[list[Any]] = [["Recommendation", "Readiness", "Owner", "Actions done"]]
    for r in recommendations:
        actions = list(r.actions.all())
        cell = [Paragraph(f"<b>{escape(r.title)}</b>", body)]
        if r.evidence_of_impact:
            cell.append(Paragraph(f"Impact: {escape(r.evidence_of_impact)}", body))
        rows.append(
            [
                cell,
                Paragraph(escape(r.get_readiness_display()), body),
                Paragraph(escape(str(r.owner) if r.owner else "No owner yet"), body),
                f"{sum(1 for a in actions if a.done_on)} of {len(actions)}",
            ]
        )
    table = Table(rows, colWidths=[88 * mm, 32 * mm, 34 * mm, 20 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EDEE")),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
            ]
        )
    )
    return table


def place_report_pdf(report: dict[str, Any], *, today: dt.date) -> bytes:
    """The place's recommendations by theme and status, then its findings."""
    place = report["place"]
    title = f"{place.name}: development report"
    buffer, doc = _document(title)
    styles = _styles()
    story: list[Any] = [
        Paragraph(escape(title), styles["Heading1"]),
        Paragraph(f"Recommendations by theme and status, {today:%d %B %Y}.", styles["BodyText"]),
    ]
    for section in report["sections"]:
        story.append(Paragraph(escape(section.label), styles["Heading2"]))
        if not section.by_status:
            story.append(Paragraph("No recommendations in this theme.", styles["BodyText"]))
        for _status, status_label, found in section.by_status:
            story.append(Paragraph(escape(status_label), styles["Heading3"]))
            story.append(_recommendation_table(found, styles))
    if report["findings"]:
        story.append(Paragraph("Findings", styles["Heading2"]))
        for finding in report["findings"]:
            story.append(
                Paragraph(
                    f"<b>{escape(finding.title)}</b> ({escape(finding.get_theme_display())})",
                    styles["BodyText"],
                )
            )
    doc.build(story)
    return buffer.getvalue()


def across_places_pdf(places: Sequence[tuple[Any, Sequence[Any]]], *, today: dt.date) -> bytes:
    """What each place learned, shared with the others: its recommendations and their lessons."""
    title = "Development across places: what each place learned"
    buffer, doc = _document(title)
    styles = _styles()
    story: list[Any] = [
        Paragraph(escape(title), styles["Heading1"]),
        Paragraph(f"Shared with every place, {today:%d %B %Y}.", styles["BodyText"]),
    ]
    for place, recommendations in places:
        story.append(Paragraph(escape(place.name), styles["Heading2"]))
        if not recommendations:
            story.append(Paragraph("No recommendations yet.", styles["BodyText"]))
            continue
        for r in recommendations:
            story.append(
                Paragraph(
                    f"<b>{escape(r.title)}</b>: {escape(r.get_theme_display())}, "
                    f"{escape(r.get_status_display())}",
                    styles["BodyText"],
                )
            )
            if r.learning:
                story.append(Paragraph(f"Learning: {escape(r.learning)}", styles["BodyText"]))
        story.append(Spacer(1, 4 * mm))
    doc.build(story)
    return buffer.getvalue()
