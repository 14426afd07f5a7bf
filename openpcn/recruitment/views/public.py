"""Pages anyone can open without signing in: an alliance's jobs, one job (with its schema.org
JobPosting block and JSON export for job boards), applying, and a candidate's two private links
(their application, which they may withdraw; the optional equality monitoring form)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from openpcn.organisations.models import Organisation, OrganisationKind
from openpcn.recruitment import actions, queries
from openpcn.recruitment.forms import ApplicationForm
from openpcn.recruitment.models import EQUALITY_QUESTIONS, Vacancy


def _alliance(pk: int) -> Organisation:
    alliance = Organisation.objects.filter(pk=pk, kind=OrganisationKind.ALLIANCE).first()
    if alliance is None:
        raise Http404("No such alliance")
    return alliance


def _job(alliance_pk: int, pk: int) -> Vacancy:
    vacancy = queries.public_vacancy_or_404(pk)
    if vacancy.alliance_id != alliance_pk:
        raise Http404("No such vacancy")
    return vacancy


def _url(request: HttpRequest, vacancy: Vacancy) -> str:
    return request.build_absolute_uri(
        reverse("recruitment:job", args=[vacancy.alliance_id, vacancy.pk])
    )


def jobs(request: HttpRequest, alliance: int) -> HttpResponse:
    found = _alliance(alliance)
    return render(
        request,
        "recruitment/jobs.jinja",
        {"alliance": found, "vacancies": list(queries.public_vacancies(found))},
    )


def job(request: HttpRequest, alliance: int, pk: int) -> HttpResponse:
    vacancy = _job(alliance, pk)
    return render(
        request,
        "recruitment/job.jinja",
        {
            "vacancy": vacancy,
            "sites": list(vacancy.sites.all()),
            "json_ld": queries.job_posting_json(vacancy, _url(request, vacancy)),
        },
    )


def job_posting(request: HttpRequest, alliance: int, pk: int) -> JsonResponse:
    vacancy = _job(alliance, pk)
    return JsonResponse(
        queries.job_posting(vacancy, _url(request, vacancy)),
        json_dumps_params={"indent": 2},
        content_type="application/ld+json",
    )


def apply(request: HttpRequest, alliance: int, pk: int) -> HttpResponse:
    vacancy = _job(alliance, pk)
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.apply(
                vacancy=vacancy,
                given_name=data["given_name"],
                family_name=data["family_name"],
                email=data["email"],
                telephone=data["telephone"],
                professional_body=vacancy.job_role.professional_body
                if data["registration_number"]
                else "",
                registration_number=data["registration_number"],
                cv=actions.Upload(data["cv"].name, data["cv"].read()),
                statement=actions.Upload(data["statement"].name, data["statement"].read()),
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            return render(request, "recruitment/applied.jinja", {"vacancy": vacancy})
    return render(request, "recruitment/apply.jinja", {"vacancy": vacancy, "form": form})


def application(request: HttpRequest, token: str) -> HttpResponse:
    found = actions.application_for(token)
    if found is None:
        return render(request, "recruitment/link.jinja", {"problem": "This link is not valid."})
    error = ""
    if request.method == "POST":
        try:
            found = actions.withdraw_application(token=token)
        except ValidationError as problem:
            error = " ".join(problem.messages)
    return render(
        request,
        "recruitment/application.jinja",
        {
            "application": found,
            "vacancy": found.vacancy,
            "can_withdraw": found.status in actions.WITHDRAWABLE,
            "error": error,
        },
    )


def equality(request: HttpRequest, token: str) -> HttpResponse:
    if not actions.equality_link_valid(token):
        return render(
            request,
            "recruitment/link.jinja",
            {"problem": "This link is not valid, or the form has already been sent."},
        )
    error = ""
    if request.method == "POST":
        try:
            actions.record_equality(
                token=token,
                answers={name: request.POST.get(name, "") for name, _, _ in EQUALITY_QUESTIONS},
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            return render(request, "recruitment/link.jinja", {"problem": "", "thanks": True})
    questions = [(name, text, choices.choices) for name, text, choices in EQUALITY_QUESTIONS]
    return render(
        request, "recruitment/equality_form.jinja", {"questions": questions, "error": error}
    )
