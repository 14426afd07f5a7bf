"""Managing vacancies: the list, drafting one, its page (approval, opening, applications, scores,
interviews, the offer, checks and the hire), the candidate documents and the applications export."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpcn.accounts.models import User
from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import get_organisation_or_404, has_permission, organisations_for
from openpcn.core import uploads
from openpcn.recruitment import actions, queries
from openpcn.recruitment.cards import recruits
from openpcn.recruitment.forms import ChecksForm, InterviewForm, OfferForm, VacancyForm
from openpcn.recruitment.models import Application, ApplicationStatus, Interview, VacancyStatus
from openpcn.workforce.models import JobRole


def _do(request: HttpRequest, pk: int, work: Callable[[], Any], done: str) -> HttpResponse:
    try:
        work()
    except PermissionDenied as error:
        raise Http404("No such vacancy") from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("recruitment:detail", pk)


@login_required
def vacancy_list(request: HttpRequest) -> HttpResponse:
    vacancies = list(queries.visible_vacancies(request.user))
    if not vacancies and not recruits(request.user):
        raise Http404("No vacancies for you")
    alliances = {v.alliance for v in vacancies}
    return render(
        request,
        "recruitment/list.jinja",
        {
            "vacancies": vacancies,
            "panels": list(queries.panel_vacancies(request.user)),
            "can_create": has_permission(request.user, Permission.RECRUITMENT_MANAGE),
            "alliances": sorted(alliances, key=lambda a: a.name),
        },
    )


def _form(request: HttpRequest, data: Any = None) -> VacancyForm:
    employers = (
        organisations_for(request.user, Permission.RECRUITMENT_MANAGE)
        .filter(kind__in=actions.EMPLOYER_KINDS)
        .order_by("kind", "name")
    )
    roles = JobRole.objects.order_by("name")
    return VacancyForm(
        data,
        employers=[(o.pk, f"{o.name} ({o.kind_label})") for o in employers],
        roles=[(r.pk, f"{r.name}{' (ARRS)' if r.is_arrs else ''}") for r in roles],
    )


@login_required
def vacancy_new(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user, Permission.RECRUITMENT_MANAGE):
        raise Http404("You do not manage recruitment")
    form = _form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        employer = get_organisation_or_404(
            request.user, Permission.RECRUITMENT_MANAGE, pk=int(data["employer"])
        )
        job_role = JobRole.objects.filter(pk=int(data["job_role"])).first()
        if job_role is None:
            raise Http404("No such role")
        try:
            vacancy = actions.create_vacancy(
                by=request.user,
                employer=employer,
                job_role=job_role,
                title=data["title"],
                description=data["description"],
                hours_per_week=data["hours_per_week"],
                band=data["band"],
                salary_from=data["salary_from"],
                salary_to=data["salary_to"],
                arrs_funded=data["arrs_funded"] == "yes",
                closing_date=data["closing_date"],
                blind_shortlisting=data["blind"] == "yes",
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(
                request,
                "Vacancy drafted: add its criteria, panel and sites, then ask for approval.",
            )
            return redirect("recruitment:detail", vacancy.pk)
    return render(request, "recruitment/new.jinja", {"form": form})


@login_required
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = queries.vacancy_or_404(request.user, pk)
    manage = queries.can_manage(request.user, vacancy)
    sees = queries.sees_candidates(request.user, vacancy)
    applications = list(vacancy.applications.prefetch_related("interviews"))
    offer = next((a.offer for a in applications if hasattr(a, "offer")), None)
    offer_application = offer.application if offer else None
    appointable = [
        a
        for a in applications
        if a.status == ApplicationStatus.SHORTLISTED
        and any(i.outcome == "appointable" for i in a.interviews.all())
    ]
    return render(
        request,
        "recruitment/detail.jinja",
        {
            "vacancy": vacancy,
            "can_manage": manage,
            "can_approve": queries.can_approve(request.user, vacancy),
            "seat": queries.seat(request.user, vacancy),
            "sees_candidates": sees,
            "criteria": queries.criteria(vacancy),
            "panel": list(vacancy.panel.select_related("user")),
            "panel_candidates": actions.panel_candidates(vacancy) if manage else [],
            "sites": list(vacancy.sites.all()),
            "employer_sites": actions.employer_sites(vacancy.employer) if manage else [],
            "applications": applications,
            "sheet": queries.score_sheet(vacancy) if sees else None,
            "arrs": queries.arrs_position(vacancy),
            "offer": offer,
            "offer_application": offer_application,
            "missing_checks": actions.missing_checks(offer) if offer else [],
            "appointable": appointable,
            "interview_form": InterviewForm(),
            "offer_form": OfferForm(
                practices=[(p.pk, p.name) for p in actions.home_practices(vacancy)]
            ),
            "checks_form": ChecksForm(),
            "public_url": reverse("recruitment:job", args=[vacancy.alliance_id, vacancy.pk]),
            "statuses": VacancyStatus,
            "today": timezone.localdate(),
        },
    )


def _managed(request: HttpRequest, pk: int) -> Any:
    vacancy = queries.vacancy_or_404(request.user, pk)
    if not queries.can_manage(request.user, vacancy):
        raise Http404("No such vacancy")
    return vacancy


@login_required
@require_POST
def criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _managed(request, pk)
    return _do(
        request,
        pk,
        lambda: actions.add_criterion(
            by=request.user,
            vacancy=vacancy,
            text=request.POST.get("text", ""),
            essential=request.POST.get("essential", "yes") == "yes",
        ),
        "Criterion added",
    )


@login_required
@require_POST
def panel_add(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _managed(request, pk)
    chosen = request.POST.get("user", "")
    user = User.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if user is None:
        messages.error(request, "Choose who joins the panel")
        return redirect("recruitment:detail", pk)
    return _do(
        request,
        pk,
        lambda: actions.add_panel_member(
            by=request.user, vacancy=vacancy, user=user, chair=request.POST.get("chair") == "yes"
        ),
        f"{user.get_full_name() or user.username} is on the panel",
    )


@login_required
@require_POST
def sites_set(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _managed(request, pk)
    wanted = set(request.POST.getlist("sites"))
    sites = [s for s in actions.employer_sites(vacancy.employer) if str(s.pk) in wanted]
    return _do(
        request,
        pk,
        lambda: actions.set_vacancy_sites(by=request.user, vacancy=vacancy, sites=sites),
        "Sites saved",
    )


@login_required
@require_POST
def vacancy_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    vacancy = queries.vacancy_or_404(request.user, pk)
    steps: dict[str, tuple[Callable[[], Any], str]] = {
        "approve": (
            lambda: actions.approve_vacancy(by=request.user, vacancy=vacancy),
            "Vacancy approved: it can now be opened",
        ),
        "open": (
            lambda: actions.open_vacancy(by=request.user, vacancy=vacancy),
            "Vacancy open: it is on the public jobs page",
        ),
        "close": (
            lambda: actions.close_applications(by=request.user, vacancy=vacancy),
            "Applications closed: the panel can shortlist",
        ),
        "withdraw": (
            lambda: actions.withdraw_vacancy(
                by=request.user, vacancy=vacancy, reason=request.POST.get("reason", "")
            ),
            "Vacancy withdrawn",
        ),
    }
    if step not in steps:
        raise Http404("No such step")
    work, done = steps[step]
    return _do(request, pk, work, done)


@login_required
@require_POST
def shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = queries.vacancy_or_404(request.user, pk)
    seat = queries.seat(request.user, vacancy)
    if not (queries.can_manage(request.user, vacancy) or (seat and seat.chair)):
        raise Http404("No such vacancy")
    wanted = {int(v) for v in request.POST.getlist("shortlist") if v.isdigit()}
    chosen = list(vacancy.applications.filter(pk__in=wanted))
    response = _do(
        request,
        pk,
        lambda: actions.shortlist(by=request.user, vacancy=vacancy, chosen=chosen),
        f"{len(chosen)} shortlisted for interview",
    )
    if seat is not None and not queries.can_manage(request.user, vacancy):
        return redirect("recruitment:panel", pk)
    return response


@login_required
@require_POST
def interview_add(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _managed(request, pk)
    form = InterviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the interview's start (YYYY-MM-DD HH:MM), length and place.")
        return redirect("recruitment:detail", pk)
    data = form.cleaned_data
    application = queries.application_or_404(vacancy, data["application"])
    return _do(
        request,
        pk,
        lambda: actions.schedule_interview(
            by=request.user,
            application=application,
            starts_at=data["starts_at"],
            minutes=data["minutes"],
            location=data["location"],
        ),
        f"Interview booked for {application.candidate}: invitations sent",
    )


def _interview(request: HttpRequest, pk: int) -> Interview:
    interview = (
        Interview.objects.filter(pk=pk).select_related("application__vacancy__employer").first()
    )
    if interview is None:
        raise Http404("No such interview")
    queries.vacancy_or_404(request.user, interview.application.vacancy_id)
    return interview


@login_required
@require_POST
def interview_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    interview = _interview(request, pk)
    vacancy_pk = interview.application.vacancy_id
    return _do(
        request,
        vacancy_pk,
        lambda: actions.record_interview_outcome(
            by=request.user,
            interview=interview,
            outcome=request.POST.get("outcome", ""),
            feedback=request.POST.get("feedback", ""),
        ),
        "Interview outcome recorded",
    )


@login_required
def interview_invite(request: HttpRequest, pk: int) -> HttpResponse:
    interview = _interview(request, pk)
    vacancy = interview.application.vacancy
    if not (queries.can_manage(request.user, vacancy) or queries.seat(request.user, vacancy)):
        raise Http404("No such interview")  # the invitation names the candidate's email
    response = HttpResponse(
        actions.interview_calendar(interview), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.ics"'
    return response


@login_required
@require_POST
def offer_make(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _managed(request, pk)
    form = OfferForm(
        request.POST, practices=[(p.pk, p.name) for p in actions.home_practices(vacancy)]
    )
    if not form.is_valid():
        messages.error(request, "Give the start date, the salary and the home practice.")
        return redirect("recruitment:detail", pk)
    data = form.cleaned_data
    application = queries.application_or_404(vacancy, data["application"])
    practice = next(
        p for p in actions.home_practices(vacancy) if str(p.pk) == data["home_practice"]
    )
    return _do(
        request,
        pk,
        lambda: actions.make_offer(
            by=request.user,
            application=application,
            start_date=data["start_date"],
            annual_salary=data["annual_salary"],
            home_practice=practice,
        ),
        f"Offer made to {application.candidate}",
    )


def _offer(vacancy: Any) -> Any:
    application = vacancy.applications.filter(offer__isnull=False).order_by("-offer__made_on")
    found = application.first()
    if found is None:
        raise Http404("No offer")
    return found.offer


@login_required
@require_POST
def offer_checks(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _managed(request, pk)
    offer = _offer(vacancy)
    form = ChecksForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give dates as YYYY-MM-DD.")
        return redirect("recruitment:detail", pk)
    return _do(
        request,
        pk,
        lambda: actions.record_checks(by=request.user, offer=offer, **form.cleaned_data),
        "Pre-employment checks recorded",
    )


@login_required
@require_POST
def offer_response(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _managed(request, pk)
    offer = _offer(vacancy)
    accepted = request.POST.get("answer") == "accepted"
    return _do(
        request,
        pk,
        lambda: actions.record_offer_response(by=request.user, offer=offer, accepted=accepted),
        "Offer accepted" if accepted else "Offer declined",
    )


@login_required
@require_POST
def hire(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _managed(request, pk)
    offer = _offer(vacancy)
    try:
        actions.hire(by=request.user, offer=offer)
    except PermissionDenied as error:
        raise Http404("No such vacancy") from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("recruitment:detail", pk)
    offer.refresh_from_db()
    messages.success(request, "Appointed: the new starter is in the staff records with a contract.")
    return redirect("workforce:staff_detail", offer.contract.staff_id)


@login_required
def document(request: HttpRequest, pk: int, application: int, kind: str) -> HttpResponse:
    """A candidate's CV or statement. A blind panel reads statements only, never the CV."""
    vacancy = queries.vacancy_or_404(request.user, pk)
    found: Application = queries.application_or_404(vacancy, application)
    manage = queries.sees_candidates(request.user, vacancy)
    on_panel = queries.seat(request.user, vacancy) is not None
    if kind == "statement" and (manage or on_panel):
        path, name, content_type = found.statement_path, "statement", found.statement_type
    elif kind == "cv" and (
        manage or (on_panel and not queries.names_hidden(request.user, vacancy))
    ):
        path, name, content_type = found.cv_path, "cv", found.cv_type
    else:
        raise Http404("No such document")
    response = HttpResponse(uploads.read(path), content_type=content_type)
    extension = uploads.EXTENSIONS[content_type]
    response["Content-Disposition"] = (
        f'attachment; filename="{vacancy.reference}-candidate-{found.number}-{name}{extension}"'
    )
    return response


@login_required
def applications_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The applications as CSV: names for the recruiting managers, candidate numbers for a blind
    panel; never any equality monitoring answer."""
    vacancy = queries.vacancy_or_404(request.user, pk)
    sees = queries.sees_candidates(request.user, vacancy)
    if not sees and queries.seat(request.user, vacancy) is None:
        raise Http404("No such vacancy")
    sheet = queries.score_sheet(vacancy)
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{vacancy.reference}-applications.csv"'
    writer = csv.writer(response)
    members = [m.user.get_full_name() or m.user.username for m in sheet.members]
    personal = ["Name", "Email", "Telephone", "Registration"] if sees else []
    writer.writerow(["Candidate", *personal, "Applied on", "Status", *members, "Combined (mean)"])
    for application, totals, mean in sheet.rows:
        details = (
            [
                application.full_name,
                application.email,
                application.telephone,
                f"{application.professional_body} {application.registration_number}".strip(),
            ]
            if sees
            else []
        )
        writer.writerow(
            [
                application.candidate,
                *details,
                application.applied_on.isoformat(),
                application.get_status_display(),
                *["" if t is None else t for t in totals],
                "" if mean is None else mean,
            ]
        )
    return response
