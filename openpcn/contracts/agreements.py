"""The Network Agreement as a reader sees it: each version's schedules with Schedule 1 and 4 read
live (members, Clinical Director, nominated payee, finance rules as on the effective date), who has
signed, and the PDF export. Writes are in agreement_actions.py."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from openpcn.contracts.models import NetworkAgreement
from openpcn.organisations.models import Organisation, Person, RoleHolding, RoleTitle


@dataclass
class PracticeSignatories:
    practice: Organisation
    partners: list[Person]
    signed: dict[int, dt.date] = field(default_factory=dict)  # person pk → signed on

    @property
    def complete(self) -> bool:
        return bool(self.partners) and all(p.pk in self.signed for p in self.partners)


@dataclass
class AgreementView:
    agreement: NetworkAgreement
    members: list[Organisation]
    clinical_director: Person | None
    finance_schedule: Any  # finance.FinanceSchedule or None
    finance_rules: list[tuple[str, str]]  # (stream, how it is paid out)
    signatories: list[PracticeSignatories]

    @property
    def nominated_payee(self) -> Organisation | None:
        return self.finance_schedule.nominated_payee if self.finance_schedule else None

    @property
    def fully_signed(self) -> bool:
        return all(s.complete for s in self.signatories)

    @property
    def outstanding(self) -> list[tuple[Organisation, Person]]:
        return [
            (s.practice, p) for s in self.signatories for p in s.partners if p.pk not in s.signed
        ]


def partners_of(practice: Organisation, on: dt.date) -> list[Person]:
    """The practice's GP partners on the day: who must sign for it."""
    holdings = (
        RoleHolding.objects.filter(organisation=practice, title=RoleTitle.GP_PARTNER)
        .filter(start_date__lte=on)
        .exclude(end_date__lte=on)
        .select_related("person")
    )
    return sorted({h.person for h in holdings}, key=lambda p: (p.family_name, p.given_name))


def agreement_view(agreement: NetworkAgreement) -> AgreementView:
    from openpcn.finance.distribution import schedule_in_force
    from openpcn.finance.models import FinanceSchedule
    from openpcn.organisations.queries import clinical_director, practices_of

    network = agreement.network
    on = agreement.effective_from
    members = sorted(practices_of(network, on), key=lambda p: p.name)
    director = clinical_director(network)
    schedule = schedule_in_force(
        list(
            FinanceSchedule.objects.filter(network=network)
            .select_related("nominated_payee")
            .prefetch_related("rules__stream")
        ),
        on,
    )
    rules = (
        [(r.stream.name, r.get_method_display()) for r in schedule.rules.all()]  # type: ignore[attr-defined]
        if schedule is not None
        else []
    )
    signed: dict[tuple[int, int], dt.date] = {
        (s.practice_id, s.person_id): s.signed_on for s in agreement.signatures.all()
    }
    signatories = []
    for practice in members:
        partners = partners_of(practice, on)
        signatories.append(
            PracticeSignatories(
                practice,
                partners,
                {
                    p.pk: signed[(practice.pk, p.pk)]
                    for p in partners
                    if (practice.pk, p.pk) in signed
                },
            )
        )
    return AgreementView(
        agreement, members, director.person if director else None, schedule, rules, signatories
    )


def export_pdf(view: AgreementView) -> bytes:
    """The agreement's local schedules as a PDF document."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import ListFlowable, Paragraph, SimpleDocTemplate, Spacer

    agreement = view.agreement
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=str(agreement),
        author="OpenPCN",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
    )
    styles = getSampleStyleSheet()
    body, h1, h2 = styles["BodyText"], styles["Heading1"], styles["Heading2"]

    def para(text: str) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), body)

    def bullets(items: list[str]) -> ListFlowable:
        return ListFlowable(
            [para(i) for i in items] or [para("None recorded")], bulletType="bullet"
        )

    story: list[Any] = [
        Paragraph(escape(f"{agreement.network.name}: Network Agreement"), h1),
        para(
            f"Version {agreement.version}, effective from {agreement.effective_from:%d %B %Y}. "
            f"Status: {agreement.get_status_display()}. The national mandatory clauses apply "
            "unchanged; these are the locally completed schedules."
        ),
        Paragraph("Schedule 1: core details and governance", h2),
        Paragraph("Member practices", styles["Heading3"]),
        bullets([f"{p.name} ({p.ods_code})" for p in view.members]),
        para(f"Clinical Director: {view.clinical_director or 'not recorded'}"),
        para(
            f"Nominated payee: {view.nominated_payee.name if view.nominated_payee else 'not recorded'}"
        ),
        para(f"Network area: {agreement.network_area or 'not recorded'}"),
        para(f"Governance: {agreement.governance or 'not recorded'}"),
        para(f"Appointing the Clinical Director: {agreement.director_terms}."),
        Paragraph("Schedule 2: additional local terms", h2),
        para(agreement.local_terms or "None"),
        Paragraph("Schedule 3: activities", h2),
        para(agreement.activities or "None recorded"),
        Paragraph("Schedule 4: finances", h2),
        bullets([f"{stream}: {method}" for stream, method in view.finance_rules]),
    ]
    if view.finance_schedule is not None:
        story.append(
            para(
                f"The nominated payee pays the member practices on day "
                f"{view.finance_schedule.payment_day} of each month. "
                f"{view.finance_schedule.holding_terms}"
            )
        )
    story += [
        Paragraph("Schedule 5: workforce", h2),
        para(agreement.workforce or "None recorded"),
        Paragraph("Schedule 7: arrangements with organisations outside the PCN", h2),
        para(agreement.external_arrangements or "None recorded"),
        Paragraph("Signatories", h2),
        bullets(
            [
                f"{person} for {s.practice.name}: "
                + (
                    f"signed {s.signed[person.pk]:%d %B %Y}"
                    if person.pk in s.signed
                    else "not yet signed"
                )
                for s in view.signatories
                for person in s.partners
            ]
        ),
        Spacer(1, 6 * mm),
    ]
    doc.build(story)
    return buffer.getvalue()
