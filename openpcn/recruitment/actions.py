"""Writes to recruitment. Each checks permission, runs in a transaction and is audited.

Managing a vacancy needs RECRUITMENT_MANAGE over its employer; approving it VACANCY_APPROVE there
(by someone other than who drafted it); scoring needs a seat on its panel. Candidates act through
their private link only (checked by its SHA-256, as survey links are). The hire goes through the
registry's and the workforce's own actions, so the new staff member and contract are recorded as
if typed in by the manager.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from openpcn.accounts.models import User
from openpcn.accounts.permissions import Permission
from openpcn.core import audit, uploads
from openpcn.core.actions import require_permission
from openpcn.core.tokens import hash_token
from openpcn.finance.entitlements import FinancialYear
from openpcn.organisations import actions as registry
from openpcn.organisations.models import Organisation, OrganisationKind, Site
from openpcn.organisations.queries import alliance_of, current_network
from openpcn.recruitment.models import (
    EQUALITY_QUESTIONS,
    Application,
    ApplicationStatus,
    Criterion,
    DbsLevel,
    EqualityRecord,
    Interview,
    InterviewOutcome,
    Offer,
    PanelMember,
    Score,
    Vacancy,
    VacancyStatus,
)
from openpcn.workforce import actions as workforce
from openpcn.workforce.models import Band, JobRole

UPLOAD_AREA = "recruitment"
UPLOAD_TYPES = frozenset({uploads.PDF, uploads.DOCX})
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
CANDIDATE = "candidate (through their private link)"
EMPLOYER_KINDS = (OrganisationKind.ALLIANCE, OrganisationKind.NETWORK, OrganisationKind.PRACTICE)
# Panel and criteria can change until applications are read.
BEFORE_SHORTLISTING = (VacancyStatus.DRAFT, VacancyStatus.APPROVED, VacancyStatus.OPEN)


def equality_link_key(application: Application) -> str:
    """The keyed hash that ties an equality record to its application, known only to actions."""
    message = f"recruitment-equality:{application.pk}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _site_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _fresh(application: Application) -> Application:
    """The application as stored now (callers may hold a copy read before the last step)."""
    return Application.objects.select_for_update().select_related("vacancy").get(pk=application.pk)


def _fresh_offer(offer: Offer) -> Offer:
    return Offer.objects.select_for_update().select_related("application__vacancy").get(pk=offer.pk)


def _manage(by: Any, vacancy: Vacancy) -> None:
    require_permission(by, Permission.RECRUITMENT_MANAGE, organisation=vacancy.employer)


def _status(vacancy: Vacancy, *allowed: Any, doing: str) -> None:
    if vacancy.status not in allowed:
        raise ValidationError(
            f"A vacancy that is {vacancy.get_status_display().lower()} cannot be {doing}"
        )


def _move(by: Any, vacancy: Vacancy, status: Any, action: str, **fields: Any) -> Vacancy:
    before = audit.snapshot(vacancy, exclude=("sites",))
    vacancy.status = status
    for name, value in fields.items():
        setattr(vacancy, name, value)
    vacancy.save(update_fields=["status", *fields])
    audit.record(
        by=by,
        action=action,
        obj=vacancy,
        organisation=vacancy.employer,
        before=before,
        after=audit.snapshot(vacancy, exclude=("sites",)),
    )
    return vacancy


def arrs_network(employer: Organisation) -> Organisation | None:
    """The PCN whose ARRS sum pays for a post: the employer, or the practice's current PCN."""
    if employer.kind == OrganisationKind.NETWORK:
        return employer
    if employer.kind == OrganisationKind.PRACTICE:
        return current_network(employer)
    return None


def employer_sites(employer: Organisation) -> list[Site]:
    """Where the employer's staff may work: its own sites and, for a PCN, its practices' sites."""
    from openpcn.organisations.queries import practices_of

    ids = {employer.pk}
    if employer.kind == OrganisationKind.NETWORK:
        ids |= {p.pk for p in practices_of(employer)}
    elif employer.kind == OrganisationKind.ALLIANCE:
        ids |= set(Organisation.objects.filter(alliance=employer).values_list("pk", flat=True))
    return list(Site.objects.filter(organisation_id__in=ids, is_active=True).order_by("name"))


@transaction.atomic
def create_vacancy(
    *,
    by: Any,
    employer: Organisation,
    job_role: JobRole,
    title: str,
    description: str,
    hours_per_week: Decimal,
    salary_from: Decimal,
    salary_to: Decimal,
    closing_date: dt.date,
    band: str = "",
    arrs_funded: bool = False,
    sites: Iterable[Site] = (),
    blind_shortlisting: bool = True,
    today: dt.date | None = None,
) -> Vacancy:
    require_permission(by, Permission.RECRUITMENT_MANAGE, organisation=employer)
    alliance = alliance_of(employer)
    if alliance is None or employer.kind not in EMPLOYER_KINDS:
        raise ValidationError("The employer must be the alliance, one of its PCNs or practices")
    if not title.strip():
        raise ValidationError("A vacancy needs a job title")
    if not description.strip():
        raise ValidationError("Say what the job is: the description is shown to candidates")
    if band and band not in Band.values:
        raise ValidationError(f"Unknown band {band!r}")
    if salary_to < salary_from:
        raise ValidationError("The top of the salary range is below its bottom")
    if arrs_funded:
        if not job_role.is_arrs:
            raise ValidationError(f"{job_role} is not an ARRS role, so it cannot be ARRS-funded")
        if arrs_network(employer) is None:
            raise ValidationError(
                "An ARRS-funded post is employed by a PCN or one of its member practices"
            )
    chosen = list(sites)
    allowed = {s.pk for s in employer_sites(employer)}
    for site in chosen:
        if site.pk not in allowed:
            raise ValidationError(f"{site} is not one of the employer's sites")
    vacancy = Vacancy(
        alliance=alliance,
        employer=employer,
        job_role=job_role,
        title=title.strip(),
        description=description.strip(),
        hours_per_week=hours_per_week,
        band=band,
        salary_from=salary_from,
        salary_to=salary_to,
        arrs_funded=arrs_funded,
        closing_date=closing_date,
        blind_shortlisting=blind_shortlisting,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        created_on=_today(today),
    )
    vacancy.full_clean(exclude=["sites"])
    vacancy.save()
    vacancy.sites.set(chosen)
    audit.record(
        by=by,
        action="create_vacancy",
        obj=vacancy,
        organisation=employer,
        after={
            **(audit.snapshot(vacancy, exclude=("sites",)) or {}),
            "sites": [s.pk for s in chosen],
        },
    )
    return vacancy


@transaction.atomic
def add_criterion(*, by: Any, vacancy: Vacancy, text: str, essential: bool = True) -> Criterion:
    _manage(by, vacancy)
    _status(vacancy, *BEFORE_SHORTLISTING, doing="given new criteria")
    if not text.strip():
        raise ValidationError("A criterion needs its text")
    criterion = Criterion.objects.create(
        vacancy=vacancy,
        text=text.strip(),
        essential=essential,
        position=vacancy.criteria.count() + 1,
    )
    audit.record(
        by=by,
        action="add_vacancy_criterion",
        obj=criterion,
        organisation=vacancy.employer,
        after=audit.snapshot(criterion),
    )
    return criterion


@transaction.atomic
def set_vacancy_sites(*, by: Any, vacancy: Vacancy, sites: Iterable[Site]) -> Vacancy:
    _manage(by, vacancy)
    _status(vacancy, *BEFORE_SHORTLISTING, doing="moved to other sites")
    chosen = list(sites)
    allowed = {s.pk for s in employer_sites(vacancy.employer)}
    for site in chosen:
        if site.pk not in allowed:
            raise ValidationError(f"{site} is not one of the employer's sites")
    before = sorted(vacancy.sites.values_list("pk", flat=True))
    vacancy.sites.set(chosen)
    audit.record(
        by=by,
        action="set_vacancy_sites",
        obj=vacancy,
        organisation=vacancy.employer,
        before={"sites": before},
        after={"sites": sorted(s.pk for s in chosen)},
    )
    return vacancy


def panel_candidates(vacancy: Vacancy) -> list[User]:
    """Users who may sit on the panel: anyone holding a current role in the vacancy's alliance."""
    from openpcn.accounts.models import Membership

    today = timezone.localdate()
    ids = (
        Membership.objects.filter(start_date__lte=today)
        .exclude(end_date__lte=today)
        .filter(organisation__in=Organisation.objects.filter(alliance=vacancy.alliance))
        .values_list("user_id", flat=True)
    )
    direct = Membership.objects.filter(organisation=vacancy.alliance, start_date__lte=today)
    direct = direct.exclude(end_date__lte=today).values_list("user_id", flat=True)
    return list(
        User.objects.filter(is_active=True)
        .filter(pk__in=[*ids, *direct])
        .order_by("last_name", "username")
    )


@transaction.atomic
def add_panel_member(*, by: Any, vacancy: Vacancy, user: User, chair: bool = False) -> PanelMember:
    _manage(by, vacancy)
    _status(vacancy, *BEFORE_SHORTLISTING, doing="given a new panel member")
    if user not in panel_candidates(vacancy):
        raise ValidationError(f"{user} holds no role in {vacancy.alliance.name}")
    if vacancy.panel.filter(user=user).exists():
        raise ValidationError(f"{user.get_full_name() or user} is already on the panel")
    if chair:
        vacancy.panel.filter(chair=True).update(chair=False)
    member = PanelMember.objects.create(vacancy=vacancy, user=user, chair=chair)
    audit.record(
        by=by,
        action="add_panel_member",
        obj=member,
        organisation=vacancy.employer,
        after=audit.snapshot(member),
    )
    return member


@transaction.atomic
def approve_vacancy(*, by: Any, vacancy: Vacancy, today: dt.date | None = None) -> Vacancy:
    """A Clinical Director (or the alliance) agrees the post before it is advertised."""
    require_permission(by, Permission.VACANCY_APPROVE, organisation=vacancy.employer)
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    _status(vacancy, VacancyStatus.DRAFT, doing="approved")
    if by is not None and vacancy.created_by_id == by.pk:
        raise PermissionDenied("A vacancy is approved by someone other than who drafted it")
    if not vacancy.criteria.exists():
        raise ValidationError("Add the criteria candidates are shortlisted against first")
    if not vacancy.panel.exists():
        raise ValidationError("Name the shortlisting panel first")
    return _move(
        by,
        vacancy,
        VacancyStatus.APPROVED,
        "approve_vacancy",
        approved_by=by if getattr(by, "is_authenticated", False) else None,
        approved_on=_today(today),
    )


@transaction.atomic
def open_vacancy(*, by: Any, vacancy: Vacancy, today: dt.date | None = None) -> Vacancy:
    _manage(by, vacancy)
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    _status(vacancy, VacancyStatus.APPROVED, doing="opened (it must be approved first)")
    day = _today(today)
    if vacancy.closing_date < day:
        raise ValidationError("The closing date has passed: set a later one")
    return _move(by, vacancy, VacancyStatus.OPEN, "open_vacancy", opened_on=day)


@transaction.atomic
def close_applications(*, by: Any, vacancy: Vacancy) -> Vacancy:
    """Applications stop; the panel can now read and score them."""
    _manage(by, vacancy)
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    _status(vacancy, VacancyStatus.OPEN, doing="closed to applications")
    return _move(by, vacancy, VacancyStatus.SHORTLISTING, "close_vacancy_applications")


def close_due_vacancies(*, by: Any = None, today: dt.date | None = None) -> list[Vacancy]:
    """Close every open vacancy whose closing date has passed, so its panel can shortlist."""
    day = _today(today)
    closed = []
    for vacancy in Vacancy.objects.filter(status=VacancyStatus.OPEN, closing_date__lt=day):
        closed.append(close_applications(by=by, vacancy=vacancy))
    return closed


@transaction.atomic
def withdraw_vacancy(
    *, by: Any, vacancy: Vacancy, reason: str, today: dt.date | None = None
) -> Vacancy:
    _manage(by, vacancy)
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    _status(vacancy, *VACANCY_LIVE, doing="withdrawn")
    if not reason.strip():
        raise ValidationError("Say why the vacancy is withdrawn")
    return _move(
        by,
        vacancy,
        VacancyStatus.WITHDRAWN,
        "withdraw_vacancy",
        withdrawn_on=_today(today),
        withdrawn_reason=reason.strip()[:300],
    )


VACANCY_LIVE = (
    VacancyStatus.DRAFT,
    VacancyStatus.APPROVED,
    VacancyStatus.OPEN,
    VacancyStatus.SHORTLISTING,
    VacancyStatus.INTERVIEWS,
    VacancyStatus.OFFER,
)


# --- candidates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes


@dataclass(frozen=True)
class Applied:
    application: Application
    token: str  # the private link's token (only its hash is kept)
    equality_token: str


def _links(token: str, equality_token: str | None) -> str:
    lines = [
        f"See or withdraw your application: {_site_url(f'/recruitment/jobs/application/{token}/')}"
    ]
    if equality_token:
        lines.append(
            "Equality monitoring (optional, never seen by the panel): "
            + _site_url(f"/recruitment/jobs/equality/{equality_token}/")
        )
    return "\n".join(lines)


@transaction.atomic
def apply(
    *,
    vacancy: Vacancy,
    given_name: str,
    family_name: str,
    email: str,
    cv: Upload,
    statement: Upload,
    telephone: str = "",
    professional_body: str = "",
    registration_number: str = "",
    today: dt.date | None = None,
    send_email: bool = True,
) -> Applied:
    """A candidate applies from the public page; both files are checked by their bytes first."""
    day = _today(today)
    vacancy = Vacancy.objects.select_for_update().select_related("employer").get(pk=vacancy.pk)
    if vacancy.status != VacancyStatus.OPEN or vacancy.closing_date < day:
        raise ValidationError("This vacancy is not open for applications")
    problems = []
    if not given_name.strip() or not family_name.strip():
        problems.append("Give your first name and last name")
    if "@" not in email:
        problems.append("Give an email address, so we can confirm your application")
    types = {}
    for label, upload in (("CV", cv), ("Supporting statement", statement)):
        try:
            types[label] = uploads.sniff(
                f"{label} ({upload.name})",
                upload.content,
                allowed=UPLOAD_TYPES,
                max_bytes=UPLOAD_MAX_BYTES,
            )
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError(problems)
    number = (vacancy.applications.aggregate(n=Max("number"))["n"] or 0) + 1
    token, equality_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    application = Application.objects.create(
        vacancy=vacancy,
        number=number,
        given_name=given_name.strip()[:100],
        family_name=family_name.strip()[:100],
        email=email.strip()[:254],
        telephone=telephone.strip()[:40],
        professional_body=professional_body.strip()[:10],
        registration_number=registration_number.strip()[:20],
        cv_name=cv.name[:200],
        cv_type=types["CV"],
        statement_name=statement.name[:200],
        statement_type=types["Supporting statement"],
        applied_on=day,
        token_hash=hash_token(token),
        equality_token_hash=hash_token(equality_token),
    )
    application.cv_path, _ = uploads.store(
        UPLOAD_AREA, f"{vacancy.pk}/{application.pk}/cv", cv.content, types["CV"]
    )
    application.statement_path, _ = uploads.store(
        UPLOAD_AREA,
        f"{vacancy.pk}/{application.pk}/statement",
        statement.content,
        types["Supporting statement"],
    )
    application.save(update_fields=["cv_path", "statement_path"])
    audit.record(
        by=None,
        action="apply_for_vacancy",
        obj=application,
        organisation=vacancy.employer,
        after={"vacancy": vacancy.pk, "number": number, "by": CANDIDATE},
    )
    if send_email:
        send_mail(
            f"Application received: {vacancy.title}",
            f"Dear {application.given_name},\n\nThank you for applying for {vacancy.title} "
            f"with {vacancy.employer.name} (reference {vacancy.reference}). You are candidate "
            f"{number}. Applications close on {vacancy.closing_date:%d %B %Y}.\n\n"
            f"{_links(token, equality_token)}\n\nKeep this email: the links are yours alone.\n",
            None,
            [application.email],
        )
    return Applied(application, token, equality_token)


def application_for(token: str) -> Application | None:
    return (
        Application.objects.select_related("vacancy__employer")
        .filter(token_hash=hash_token(token))
        .first()
    )


WITHDRAWABLE = (ApplicationStatus.APPLIED, ApplicationStatus.SHORTLISTED, ApplicationStatus.OFFERED)


@transaction.atomic
def withdraw_application(*, token: str, today: dt.date | None = None) -> Application:
    application = (
        Application.objects.select_for_update()
        .select_related("vacancy__employer")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if application is None:
        raise ValidationError("This link is not valid")
    if application.status not in WITHDRAWABLE:
        raise ValidationError(
            f"This application is {application.get_status_display().lower()}: it cannot be withdrawn"
        )
    before = audit.snapshot(application, exclude=("token_hash", "equality_token_hash"))
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_on = _today(today)
    application.save(update_fields=["status", "withdrawn_on"])
    offer = Offer.objects.filter(application=application).first()
    vacancy = application.vacancy
    if offer is not None and offer.open:
        offer.declined_on = application.withdrawn_on
        offer.save(update_fields=["declined_on"])
        if vacancy.status == VacancyStatus.OFFER:
            _move(None, vacancy, VacancyStatus.INTERVIEWS, "offer_withdrawn_by_candidate")
    audit.record(
        by=None,
        action="withdraw_application",
        obj=application,
        organisation=vacancy.employer,
        before=before,
        after={"status": application.status, "by": CANDIDATE},
    )
    return application


def equality_link_valid(token: str) -> bool:
    return Application.objects.filter(equality_token_hash=hash_token(token)).exists()


@transaction.atomic
def record_equality(*, token: str, answers: Mapping[str, str]) -> None:
    """Keep a candidate's optional equality answers apart from their application (one use).

    Returns nothing: the record's key is never handed back to anyone who knows the application.
    """
    application = (
        Application.objects.select_for_update()
        .select_related("vacancy")
        .filter(equality_token_hash=hash_token(token))
        .first()
    )
    if application is None:
        raise ValidationError("This link is not valid or has already been used")
    values: dict[str, str] = {}
    for name, question, choices in EQUALITY_QUESTIONS:
        given = (answers.get(name) or "").strip()
        if given and given not in choices.values:
            raise ValidationError(f"{question}: choose one of the answers")
        values[name] = given
    application.equality_token_hash = None
    application.save(update_fields=["equality_token_hash"])
    reached = {
        "shortlisted": application.status
        in (
            ApplicationStatus.SHORTLISTED,
            ApplicationStatus.UNSUCCESSFUL,
            ApplicationStatus.OFFERED,
            ApplicationStatus.APPOINTED,
            ApplicationStatus.DECLINED,
        ),
        "appointed": application.status == ApplicationStatus.APPOINTED,
    }
    EqualityRecord.objects.create(
        alliance_id=application.vacancy.alliance_id,
        year=FinancialYear.containing(application.applied_on).first_year,
        link_key=equality_link_key(application),
        **values,
        **reached,
    )
    # Audited without the answers or the application: only that a form came in for the alliance.
    audit.record(
        by=None,
        action="record_equality_monitoring",
        object_type="recruitment.EqualityRecord",
        object_label="Equality monitoring answers",
        organisation=application.vacancy.alliance,
    )


def _mark_equality(applications: Iterable[Application], **stage: bool) -> None:
    keys = [equality_link_key(a) for a in applications]
    if keys:
        EqualityRecord.objects.filter(link_key__in=keys).update(**stage)


# --- the panel ----------------------------------------------------------------------------------


def panel_seat(user: Any, vacancy: Vacancy) -> PanelMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return vacancy.panel.filter(user=user).first()


@transaction.atomic
def score_application(
    *, by: Any, application: Application, scores: Mapping[int, int]
) -> list[Score]:
    """One panel member's scores (0 to 3) for one application, criterion by criterion."""
    application = _fresh(application)
    vacancy = Vacancy.objects.select_related("employer").get(pk=application.vacancy_id)
    seat = panel_seat(by, vacancy)
    if seat is None:
        raise PermissionDenied("Only the vacancy's panel scores its applications")
    _status(vacancy, VacancyStatus.SHORTLISTING, doing="scored now")
    if application.status != ApplicationStatus.APPLIED:
        raise ValidationError(f"{application.candidate} is no longer being shortlisted")
    criteria = {c.pk: c for c in vacancy.criteria.all()}
    missing = [c.text for pk, c in criteria.items() if pk not in scores]
    if missing:
        raise ValidationError(f"Score every criterion: {'; '.join(missing)}")
    saved = []
    for pk, value in scores.items():
        if pk not in criteria:
            raise ValidationError("That criterion is not one of the vacancy's")
        if not 0 <= int(value) <= 3:
            raise ValidationError(f"{criteria[pk].text}: a score is from 0 to 3")
        score, _ = Score.objects.update_or_create(
            application=application,
            panel_member=seat,
            criterion=criteria[pk],
            defaults={"value": int(value)},
        )
        saved.append(score)
    audit.record(
        by=by,
        action="score_application",
        obj=application,
        organisation=vacancy.employer,
        after={"panel_member": seat.pk, "scores": {str(k): int(v) for k, v in scores.items()}},
    )
    return saved


@transaction.atomic
def shortlist(*, by: Any, vacancy: Vacancy, chosen: Iterable[Application]) -> Vacancy:
    """Choose who is interviewed; everyone else still being considered is told no."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    seat = panel_seat(by, vacancy)
    if by is not None and not (seat is not None and seat.chair):
        _manage(by, vacancy)
    _status(vacancy, VacancyStatus.SHORTLISTING, doing="shortlisted")
    considered = {a.pk: a for a in vacancy.applications.filter(status=ApplicationStatus.APPLIED)}
    picked = [considered[a.pk] for a in chosen if a.pk in considered]
    if not picked:
        raise ValidationError("Choose at least one candidate to interview")
    picked_ids = {a.pk for a in picked}
    vacancy.applications.filter(pk__in=picked_ids).update(status=ApplicationStatus.SHORTLISTED)
    others = [a for pk, a in considered.items() if pk not in picked_ids]
    vacancy.applications.filter(pk__in=[a.pk for a in others]).update(
        status=ApplicationStatus.NOT_SHORTLISTED
    )
    _mark_equality(picked, shortlisted=True)
    audit.record(
        by=by,
        action="shortlist",
        obj=vacancy,
        organisation=vacancy.employer,
        after={"shortlisted": sorted(a.number for a in picked), "not": len(others)},
    )
    return _move(by, vacancy, VacancyStatus.INTERVIEWS, "start_interviews")


def interview_calendar(interview: Interview) -> bytes:
    """An iCalendar invitation (RFC 5545, METHOD:REQUEST) for one interview."""
    from icalendar import Calendar, Event, vCalAddress, vText

    application = interview.application
    vacancy = application.vacancy
    calendar = Calendar()
    calendar.add("prodid", "-//OpenPCN//Recruitment//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"interview-{interview.uid}@openpcn")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", interview.starts_at)
    event.add("dtend", interview.ends_at)
    event.add("summary", f"Interview: {vacancy.title} ({vacancy.reference})")
    event.add("location", interview.location)
    event.add(
        "description", f"{application.candidate} for {vacancy.title} at {vacancy.employer.name}"
    )
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].strip('> ')}")
    organizer.params["cn"] = vText(vacancy.employer.name)
    event.add("organizer", organizer)
    for address in [application.email, *_panel_emails(vacancy)]:
        attendee = vCalAddress(f"mailto:{address}")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    return calendar.to_ical()


def _panel_emails(vacancy: Vacancy) -> list[str]:
    return [m.user.email for m in vacancy.panel.select_related("user") if m.user.email]


@transaction.atomic
def schedule_interview(
    *,
    by: Any,
    application: Application,
    starts_at: dt.datetime,
    minutes: int,
    location: str,
    send_email: bool = True,
) -> Interview:
    application = _fresh(application)
    vacancy = Vacancy.objects.select_related("employer").get(pk=application.vacancy_id)
    _manage(by, vacancy)
    _status(vacancy, VacancyStatus.INTERVIEWS, doing="given interviews now")
    if application.status != ApplicationStatus.SHORTLISTED:
        raise ValidationError(f"{application.candidate} is not shortlisted")
    if not 10 <= minutes <= 480:
        raise ValidationError("An interview lasts from 10 minutes to 8 hours")
    if not location.strip():
        raise ValidationError("Say where the interview is (a room, or a video link)")
    interview = Interview.objects.create(
        application=application,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        location=location.strip()[:300],
    )
    audit.record(
        by=by,
        action="schedule_interview",
        obj=interview,
        organisation=vacancy.employer,
        after=audit.snapshot(interview),
    )
    if send_email:
        invite = interview_calendar(interview)
        when = timezone.localtime(interview.starts_at)
        subject = f"Interview: {vacancy.title} on {when:%d %B %Y at %H:%M}"
        body = f"Your interview for {vacancy.title} is on {when:%A %d %B %Y at %H:%M}, at {interview.location}.\n"
        candidate = EmailMessage(
            subject, f"Dear {application.given_name},\n\n{body}", None, [application.email]
        )
        candidate.attach("interview.ics", invite, "text/calendar; method=REQUEST")
        candidate.send()
        panel = _panel_emails(vacancy)
        if panel:
            message = EmailMessage(subject, f"{application.candidate}: {body}", None, panel)
            message.attach("interview.ics", invite, "text/calendar; method=REQUEST")
            message.send()
    return interview


@transaction.atomic
def record_interview_outcome(
    *, by: Any, interview: Interview, outcome: str, feedback: str
) -> Interview:
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    application = _fresh(interview.application)
    vacancy = application.vacancy
    if panel_seat(by, vacancy) is None:
        _manage(by, vacancy)
    if outcome not in (InterviewOutcome.APPOINTABLE, InterviewOutcome.NOT_APPOINTABLE):
        raise ValidationError("Say whether the candidate is appointable")
    if not feedback.strip():
        raise ValidationError("Record the panel's feedback: candidates may ask for it")
    before = audit.snapshot(interview)
    interview.outcome = outcome
    interview.feedback = feedback.strip()
    interview.save(update_fields=["outcome", "feedback"])
    if (
        outcome == InterviewOutcome.NOT_APPOINTABLE
        and application.status == ApplicationStatus.SHORTLISTED
    ):
        application.status = ApplicationStatus.UNSUCCESSFUL
        application.save(update_fields=["status"])
    audit.record(
        by=by,
        action="record_interview_outcome",
        obj=interview,
        organisation=vacancy.employer,
        before=before,
        after=audit.snapshot(interview),
    )
    return interview


def home_practices(vacancy: Vacancy) -> list[Organisation]:
    """Practices a new starter can have as home: the employer, or its (or its sites') practices."""
    from openpcn.organisations.queries import practices_of

    employer = vacancy.employer
    if employer.kind == OrganisationKind.PRACTICE:
        return [employer]
    if employer.kind == OrganisationKind.NETWORK:
        return practices_of(employer)
    return [
        o.as_kind()
        for o in Organisation.objects.filter(alliance=employer, kind=OrganisationKind.PRACTICE)
    ]


@transaction.atomic
def make_offer(
    *,
    by: Any,
    application: Application,
    start_date: dt.date,
    annual_salary: Decimal,
    home_practice: Organisation,
    hours_per_week: Decimal | None = None,
    band: str | None = None,
    today: dt.date | None = None,
) -> Offer:
    application = _fresh(application)
    vacancy = Vacancy.objects.select_for_update().get(pk=application.vacancy_id)
    _manage(by, vacancy)
    _status(vacancy, VacancyStatus.INTERVIEWS, doing="offered now")
    appointable = application.interviews.filter(outcome=InterviewOutcome.APPOINTABLE).exists()
    if application.status != ApplicationStatus.SHORTLISTED or not appointable:
        raise ValidationError(f"{application.candidate} was not found appointable at interview")
    if home_practice.pk not in {p.pk for p in home_practices(vacancy)}:
        raise ValidationError(f"{home_practice} is not a practice this post can be based at")
    if not vacancy.salary_from <= annual_salary <= vacancy.salary_to:
        raise ValidationError(
            f"The salary is outside the advertised range (£{vacancy.salary_from:,.0f} to "
            f"£{vacancy.salary_to:,.0f})"
        )
    day = _today(today)
    if start_date < day:
        raise ValidationError("The start date has passed")
    Offer.objects.filter(application=application, declined_on__isnull=False).delete()
    offer = Offer(
        application=application,
        made_on=day,
        start_date=start_date,
        annual_salary=annual_salary,
        hours_per_week=hours_per_week or vacancy.hours_per_week,
        band=vacancy.band if band is None else band,
        home_practice=home_practice,
    )
    offer.full_clean(exclude=["application", "contract"])
    offer.save()
    application.status = ApplicationStatus.OFFERED
    application.save(update_fields=["status"])
    audit.record(
        by=by,
        action="make_offer",
        obj=offer,
        organisation=vacancy.employer,
        after=audit.snapshot(offer),
    )
    _move(by, vacancy, VacancyStatus.OFFER, "offer_made")
    return offer


@transaction.atomic
def record_checks(
    *,
    by: Any,
    offer: Offer,
    right_to_work_checked_on: dt.date | None = None,
    right_to_work_evidence: str = "",
    registration_checked_on: dt.date | None = None,
    dbs_level: str = "",
    dbs_certificate: str = "",
    dbs_checked_on: dt.date | None = None,
) -> Offer:
    """Right to work, professional registration (GMC, NMC, GPhC, HCPC) and DBS, as checked."""
    offer = _fresh_offer(offer)
    vacancy = offer.application.vacancy
    _manage(by, vacancy)
    if dbs_level and dbs_level not in DbsLevel.values:
        raise ValidationError(f"Unknown DBS level {dbs_level!r}")
    before = audit.snapshot(offer)
    if right_to_work_checked_on:
        if not right_to_work_evidence.strip():
            raise ValidationError("Right to work: say what was seen (a passport, a share code…)")
        offer.right_to_work_checked_on = right_to_work_checked_on
        offer.right_to_work_evidence = right_to_work_evidence.strip()[:200]
    if registration_checked_on:
        if not offer.application.registration_number:
            raise ValidationError("The candidate gave no registration number to check")
        offer.registration_checked_on = registration_checked_on
    if dbs_checked_on:
        if not dbs_level or not dbs_certificate.strip():
            raise ValidationError("DBS: give the level and the certificate number")
        offer.dbs_level = dbs_level
        offer.dbs_certificate = dbs_certificate.strip()[:20]
        offer.dbs_checked_on = dbs_checked_on
    offer.save()
    audit.record(
        by=by,
        action="record_pre_employment_checks",
        obj=offer,
        organisation=vacancy.employer,
        before=before,
        after=audit.snapshot(offer),
    )
    return offer


def missing_checks(offer: Offer) -> list[str]:
    application = offer.application
    missing = []
    if offer.right_to_work_checked_on is None:
        missing.append("right to work")
    body = application.vacancy.job_role.professional_body
    if body and offer.registration_checked_on is None:
        missing.append(f"{body} registration")
    if offer.dbs_checked_on is None:
        missing.append("DBS")
    return missing


@transaction.atomic
def record_offer_response(
    *, by: Any, offer: Offer, accepted: bool, on: dt.date | None = None
) -> Offer:
    offer = _fresh_offer(offer)
    application = offer.application
    vacancy = Vacancy.objects.select_for_update().get(pk=application.vacancy_id)
    _manage(by, vacancy)
    if not offer.open:
        raise ValidationError("The candidate has already answered this offer")
    before = audit.snapshot(offer)
    day = _today(on)
    if accepted:
        offer.accepted_on = day
    else:
        offer.declined_on = day
        application.status = ApplicationStatus.DECLINED
        application.save(update_fields=["status"])
    offer.save(update_fields=["accepted_on", "declined_on"])
    audit.record(
        by=by,
        action="accept_offer" if accepted else "decline_offer",
        obj=offer,
        organisation=vacancy.employer,
        before=before,
        after=audit.snapshot(offer),
    )
    if not accepted:
        _move(by, vacancy, VacancyStatus.INTERVIEWS, "offer_declined")
    return offer


@transaction.atomic
def hire(*, by: Any, offer: Offer, today: dt.date | None = None) -> Offer:
    """The accepted, checked offer becomes a person, a staff member and a contract."""
    offer = _fresh_offer(offer)
    application = offer.application
    vacancy = Vacancy.objects.select_for_update().get(pk=application.vacancy_id)
    _manage(by, vacancy)
    _status(vacancy, VacancyStatus.OFFER, doing="filled now")
    if offer.accepted_on is None:
        raise ValidationError("The offer has not been accepted")
    missing = missing_checks(offer)
    if missing:
        raise ValidationError(f"Record the pre-employment checks first: {', '.join(missing)}")
    person = registry.add_person(
        by=by,
        organisation=vacancy.employer,
        given_name=application.given_name,
        family_name=application.family_name,
        email=application.email,
        professional_body=application.professional_body or vacancy.job_role.professional_body,
        registration_number=application.registration_number,
        is_synthetic=vacancy.alliance.is_synthetic,
    )
    staff = workforce.add_staff_member(by=by, person=person, home_practice=offer.home_practice)
    contract = workforce.add_contract(
        by=by,
        staff=staff,
        employer=vacancy.employer,
        job_role=vacancy.job_role,
        hours_per_week=offer.hours_per_week,
        start_date=offer.start_date,
        annual_salary=offer.annual_salary,
        band=offer.band,
        arrs_funded=vacancy.arrs_funded,
    )
    sites = list(vacancy.sites.all())
    if sites:
        workforce.set_sites(by=by, staff=staff, sites=sites)
    offer.contract = contract
    offer.save(update_fields=["contract"])
    application.status = ApplicationStatus.APPOINTED
    application.save(update_fields=["status"])
    vacancy.applications.filter(status=ApplicationStatus.SHORTLISTED).update(
        status=ApplicationStatus.UNSUCCESSFUL
    )
    _mark_equality([application], appointed=True)
    audit.record(
        by=by,
        action="hire",
        obj=offer,
        organisation=vacancy.employer,
        after={"staff": staff.pk, "contract": contract.pk},
    )
    _move(by, vacancy, VacancyStatus.FILLED, "fill_vacancy", filled_on=_today(today))
    return offer
