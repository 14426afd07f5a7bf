"""The Network Agreement as a Word document: a heading per locally completed schedule, with
Schedule 1's members, Clinical Director and nominated payee and Schedule 4 read live."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument

from openpcn.agreements.models import SCHEDULE_LABELS
from openpcn.agreements.queries import AgreementView


def _table(document: DocxDocument, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def _text(document: DocxDocument, view: AgreementView, name: str) -> None:
    value = getattr(view.agreement, name)
    document.add_heading(SCHEDULE_LABELS[name], level=2)
    document.add_paragraph(value or "Not completed.")


def agreement_docx(view: AgreementView) -> bytes:
    agreement = view.agreement
    document = Document()
    document.add_heading(f"{agreement.network.name}: Network Agreement", level=0)
    document.add_paragraph(
        f"Version {agreement.version}, effective from {agreement.effective_from:%d %B %Y}. "
        f"Status: {agreement.get_status_display()}"
        + (f" on {agreement.signed_on:%d %B %Y}." if agreement.signed_on else ".")
    )
    document.add_paragraph(
        "The national mandatory template's clauses apply unchanged; these are the schedules "
        "the member practices completed locally."
    )

    document.add_heading("Schedule 1: core details and governance", level=1)
    document.add_heading("Member practices", level=2)
    _table(
        document,
        ["Practice", "ODS code"],
        [[p.name, p.ods_code or ""] for p in view.members],
    )
    document.add_paragraph(
        f"Clinical Director: {view.clinical_director or 'none recorded'}",
    )
    document.add_paragraph(f"Nominated payee: {view.nominated_payee or 'none recorded'}")
    for name in (
        "network_area",
        "meeting_frequency",
        "decision_making",
        "clinical_director_appointment",
    ):
        _text(document, view, name)

    document.add_heading("Schedule 2: additional local terms", level=1)
    _text(document, view, "local_terms")
    document.add_heading("Schedule 3: activities", level=1)
    _text(document, view, "activities")

    document.add_heading("Schedule 4: finances", level=1)
    schedule = view.finance_schedule
    if schedule is None:
        document.add_paragraph("No finance schedule is in force on the effective date.")
    else:
        document.add_paragraph(f"Nominated payee: {schedule.nominated_payee}")
        document.add_paragraph(f"Practices are paid on day {schedule.payment_day} of each month.")
        if schedule.holding_terms:
            document.add_paragraph(f"Holding terms: {schedule.holding_terms}")
        _table(
            document,
            ["Payment stream", "How it is paid out"],
            [
                [
                    line.stream,
                    line.method
                    + "".join(f"; {name}: £{amount:,.2f} a year" for name, amount in line.fixed),
                ]
                for line in view.finance_rules
            ],
        )

    document.add_heading("Schedule 5: workforce", level=1)
    _text(document, view, "workforce")
    document.add_heading("Schedule 7: arrangements with organisations outside the PCN", level=1)
    _text(document, view, "external_arrangements")
    if agreement.notes:
        document.add_heading("Notes", level=1)
        document.add_paragraph(agreement.notes)

    document.add_heading("Signatures", level=1)
    rows = []
    for practice in view.practices:
        if not practice.partners:
            rows.append([practice.practice.name, "No partner recorded", ""])
        for person in practice.partners:
            signature = practice.signed.get(person.pk)
            rows.append(
                [
                    practice.practice.name,
                    str(person),
                    f"{signature.signed_on:%d %B %Y}" if signature else "Not yet signed",
                ]
            )
    _table(document, ["Practice", "Partner", "Signed on"], rows)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
