"""The CPD certificate for an attendee, as PDF written with ReportLab: who, what, when, how long."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

from openpcn.education.models import Booking

NHS_BLUE = colors.HexColor("#005EB8")


def _styles() -> dict[str, Any]:
    base = getSampleStyleSheet()
    centred = {"alignment": TA_CENTER}
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], textColor=NHS_BLUE, fontSize=28, leading=34
        ),
        "name": ParagraphStyle("name", parent=base["Heading1"], fontSize=22, **centred),
        "event": ParagraphStyle("event", parent=base["Heading2"], **centred),
        "centre": ParagraphStyle("centre", parent=base["BodyText"], fontSize=12, **centred),
        "body": base["BodyText"],
        "small": ParagraphStyle("small", parent=base["BodyText"], fontSize=8, **centred),
    }


def certificate_pdf(booking: Booking) -> bytes:
    event = booking.event
    person = booking.staff.person
    day = timezone.localtime(event.starts_at)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=f"CPD certificate: {event.title}",
        author="OpenPCN",
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=20 * mm,
        bottomMargin=15 * mm,
    )
    s = _styles()
    hours = f"{event.cpd_hours.normalize():f}"
    story: list[Any] = [
        Paragraph("Certificate of attendance", s["title"]),
        Paragraph("This certifies that", s["centre"]),
        Paragraph(escape(person.full_name), s["name"]),
        Paragraph("attended", s["centre"]),
        Paragraph(escape(event.title), s["event"]),
        Paragraph(
            escape(
                f"{event.get_kind_display()} run by {event.organisation.name} on {day:%d %B %Y}"
            ),
            s["centre"],
        ),
        Spacer(1, 4 * mm),
        Paragraph(f"<b>CPD hours: {escape(hours)}</b>", s["centre"]),
        Spacer(1, 6 * mm),
        Paragraph("<b>Learning outcomes</b>", s["body"]),
        ListFlowable(
            [ListItem(Paragraph(escape(o), s["body"])) for o in event.outcomes],
            bulletType="bullet",
        ),
    ]
    if event.speakers:
        story.append(Paragraph(f"Speakers: {escape(event.speakers)}", s["body"]))
    story += [
        Spacer(1, 8 * mm),
        Paragraph(
            escape(
                f"Certificate {booking.certificate_number}. Attendance recorded on the register "
                f"kept by {event.organisation.name}. Keep it with your appraisal evidence."
            ),
            s["small"],
        ),
    ]
    doc.build(story)
    return buffer.getvalue()
