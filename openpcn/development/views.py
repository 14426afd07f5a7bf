"""PCN development pages: Maturity Matrix self-assessments and their comparison across places,
workshops and conversations, and each place's findings, recommendations and report (HTML, PDF).

Read with BOARD_VIEW (see queries.py); written by DEVELOPMENT_MANAGE holders over the PCN or place.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpcn.accounts.scope import covered_organisation_ids, get_organisation_or_404
from openpcn.development import actions, charts, pdf, queries
from openpcn.development.forms import (
    ActionForm,
    FindingForm,
    MaturityForm,
    RecommendationForm,
    RecommendationUpdateForm,
    SessionForm,
)
from openpcn.development.models import MaturityStep, RecommendationAction
from openpcn.development.reference import SOURCE_NOTE
from openpcn.organisations.models import Organisation, OrganisationKind


def _messages_of(error: Exception) -> str:
    return " ".join(getattr(error, "messages", [str(error)]))


def _require_reader(request: HttpRequest) -> None:
    if not queries.read_scope(request.user):
        raise Http404("No development work to show")


def _manage_or_404(request: HttpRequest, organisation: Organisation) -> None:
    if not queries.can_manage(request.user, organisation):
        raise Http404("No such page")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    latest = queries.latest_assessments(request.user)
    return render(
        request,
        "development/index.jinja",
        {
            "latest": latest,
            "places": queries.places(request.user),
            "session_count": queries.sessions(request.user).count(),
        },
    )


def comparison_chart(user: Any) -> charts.Chart:
    areas = queries.areas()
    return charts.maturity_comparison(
        [
            charts.PcnMaturity(
                place=row.place_name,
                pcn=row.network.name,
                assessed_on=row.assessment.assessed_on if row.assessment else None,
                steps={a.name: row.steps[a.key] for a in areas if a.key in row.steps},
            )
            for row in queries.latest_assessments(user)
        ],
        [a.name for a in areas],
        [s.label for s in MaturityStep.objects.all()],
    )


@login_required
def maturity_comparison(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    return render(
        request,
        "development/comparison.jinja",
        {"comparison": comparison_chart(request.user), "source_note": SOURCE_NOTE},
    )


@login_required
def pcn_maturity(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_organisation_or_404(
        request.user,  # type: ignore[arg-type]
        queries.READ,
        pk=pk,
        kind=OrganisationKind.NETWORK,
    )
    return render(
        request,
        "development/pcn_maturity.jinja",
        {
            "network": network,
            "assessments": queries.assessments_of(network),
            "areas": queries.areas(),
            "can_manage": queries.can_manage(request.user, network),
            "source_note": SOURCE_NOTE,
        },
    )


@login_required
def maturity_record(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_organisation_or_404(
        request.user,  # type: ignore[arg-type]
        queries.READ,
        pk=pk,
        kind=OrganisationKind.NETWORK,
    )
    _manage_or_404(request, network)
    form = MaturityForm(
        request.POST or None,
        areas=queries.areas(),
        steps=list(MaturityStep.objects.all()),
        initial={"assessed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_maturity_assessment(
                by=request.user,
                network=network,
                assessed_on=form.cleaned_data["assessed_on"],
                ratings=form.ratings(),
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as error:
            form.add_error(None, _messages_of(error))
        else:
            messages.success(request, "Self-assessment recorded.")
            return redirect("development:pcn_maturity", network.pk)
    return render(
        request,
        "development/maturity_form.jinja",
        {"network": network, "form": form, "source_note": SOURCE_NOTE},
    )


# --- sessions -----------------------------------------------------------------------------------


def _managed_organisations(user: Any) -> list[Organisation]:
    kinds = [OrganisationKind.PLACE, OrganisationKind.NETWORK]
    return sorted(
        Organisation.objects.filter(
            kind__in=kinds, pk__in=covered_organisation_ids(user, queries.MANAGE)
        ),
        key=lambda o: (o.kind != OrganisationKind.PLACE, o.name),
    )


def _people_for(organisations: list[Organisation]) -> list[Any]:
    seen: dict[int, Any] = {}
    for organisation in organisations:
        for person in queries.people_for(organisation):
            seen.setdefault(person.pk, person)
    return sorted(seen.values(), key=lambda p: (p.family_name, p.given_name))


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    return render(
        request,
        "development/sessions.jinja",
        {
            "sessions": list(queries.sessions(request.user)),
            "can_record": bool(_managed_organisations(request.user)),
        },
    )


@login_required
def session_new(request: HttpRequest) -> HttpResponse:
    organisations = _managed_organisations(request.user)
    if not organisations:
        raise Http404("No such page")
    people = _people_for(organisations)
    form = SessionForm(
        request.POST or None,
        organisations=organisations,
        people=people,
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_pk = {p.pk: p for p in people}
        try:
            session = actions.record_session(
                by=request.user,
                organisation=next(o for o in organisations if o.pk == data["organisation"]),
                kind=data["kind"],
                held_on=data["held_on"],
                title=data["title"],
                facilitators=[by_pk[pk] for pk in data["facilitators"]],
                attendees=[by_pk[pk] for pk in data["attendees"]],
                notes=data["notes"],
                confidential=data["confidential"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _messages_of(error))
        else:
            messages.success(request, f"Recorded: {session}")
            return redirect("development:session", session.pk)
    return render(request, "development/session_form.jinja", {"form": form, "people": people})


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = queries.session_or_404(request.user, pk)
    return render(
        request,
        "development/session.jinja",
        {"session": session, "may_read_notes": queries.may_read_notes(request.user, session)},
    )


# --- places: findings, recommendations and reports -----------------------------------------------


def _place_or_404(request: HttpRequest, pk: int) -> Organisation:
    return get_organisation_or_404(
        request.user,  # type: ignore[arg-type]
        queries.READ,
        pk=pk,
        kind=OrganisationKind.PLACE,
    )


def _recommendation_form(place: Organisation, data: Any = None) -> RecommendationForm:
    form = RecommendationForm(data)
    form.fields["owner"].choices = [("", "No owner yet")] + [  # type: ignore[attr-defined]
        (p.pk, p.full_name) for p in queries.people_for(place)
    ]
    return form


@login_required
def place_report(request: HttpRequest, pk: int) -> HttpResponse:
    place = _place_or_404(request, pk)
    can_manage = queries.can_manage(request.user, place)
    return render(
        request,
        "development/place_report.jinja",
        {
            **queries.place_report(request.user, place),
            "can_manage": can_manage,
            "finding_form": FindingForm(initial={"found_on": timezone.localdate()})
            if can_manage
            else None,
            "recommendation_form": _recommendation_form(place) if can_manage else None,
        },
    )


@login_required
def place_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    place = _place_or_404(request, pk)
    body = pdf.place_report_pdf(
        queries.place_report(request.user, place), today=timezone.localdate()
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="development-report-{place.pk}.pdf"'
    return response


@login_required
@require_POST
def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    place = _place_or_404(request, pk)
    _manage_or_404(request, place)
    form = FindingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "A finding needs a theme, a title and a date.")
    else:
        actions.record_finding(by=request.user, place=place, **form.cleaned_data)
        messages.success(request, "Finding recorded.")
    return redirect("development:place_report", place.pk)


@login_required
@require_POST
def recommendation_new(request: HttpRequest, pk: int) -> HttpResponse:
    place = _place_or_404(request, pk)
    _manage_or_404(request, place)
    form = _recommendation_form(place, request.POST)
    if not form.is_valid():
        messages.error(request, "A recommendation needs a theme, a title and its readiness.")
        return redirect("development:place_report", place.pk)
    data = form.cleaned_data
    owners = {p.pk: p for p in queries.people_for(place)}
    recommendation = actions.add_recommendation(
        by=request.user,
        place=place,
        theme=data["theme"],
        title=data["title"],
        readiness=data["readiness"],
        detail=data["detail"],
        owner=owners.get(data["owner"]),
    )
    messages.success(request, "Recommendation added.")
    return redirect("development:recommendation", recommendation.pk)


@login_required
def across_places(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    return render(
        request, "development/across_places.jinja", {"places": queries.across_places(request.user)}
    )


@login_required
def across_places_pdf(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    body = pdf.across_places_pdf(queries.across_places(request.user), today=timezone.localdate())
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="development-across-places.pdf"'
    return response


@login_required
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = queries.recommendation_or_404(request.user, pk)
    can_manage = queries.can_manage(request.user, recommendation.place)
    update_form = action_form = None
    if can_manage:
        update_form = RecommendationUpdateForm(
            initial={
                "status": recommendation.status,
                "evidence_of_impact": recommendation.evidence_of_impact,
                "learning": recommendation.learning,
            }
        )
        action_form = ActionForm()
        action_form.fields["who"].choices = [("", "Nobody yet")] + [  # type: ignore[attr-defined]
            (p.pk, p.full_name) for p in queries.people_for(recommendation.place)
        ]
    return render(
        request,
        "development/recommendation.jinja",
        {
            "recommendation": recommendation,
            "can_manage": can_manage,
            "update_form": update_form,
            "action_form": action_form,
        },
    )


@login_required
@require_POST
def recommendation_update(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = queries.recommendation_or_404(request.user, pk)
    _manage_or_404(request, recommendation.place)
    form = RecommendationUpdateForm(request.POST)
    if form.is_valid():
        actions.update_recommendation(
            by=request.user, recommendation=recommendation, **form.cleaned_data
        )
        messages.success(request, "Recommendation updated.")
    return redirect("development:recommendation", recommendation.pk)


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = queries.recommendation_or_404(request.user, pk)
    _manage_or_404(request, recommendation.place)
    people = {p.pk: p for p in queries.people_for(recommendation.place)}
    form = ActionForm(request.POST)
    form.fields["who"].choices = [("", "")] + [(k, v.full_name) for k, v in people.items()]  # type: ignore[attr-defined]
    if not form.is_valid():
        messages.error(request, "An action says what is to be done; who must be one listed.")
    else:
        data = form.cleaned_data
        actions.add_recommendation_action(
            by=request.user,
            recommendation=recommendation,
            what=data["what"],
            who=people.get(data["who"]),
            due=data["due"],
        )
        messages.success(request, "Action added.")
    return redirect("development:recommendation", recommendation.pk)


@login_required
@require_POST
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = RecommendationAction.objects.filter(pk=pk).first()
    if action is None:
        raise Http404("No such action")
    recommendation = queries.recommendation_or_404(request.user, action.recommendation_id)
    _manage_or_404(request, recommendation.place)
    try:
        actions.complete_recommendation_action(
            by=request.user, action=action, on=timezone.localdate()
        )
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, f"Done: {action.what}")
    return redirect("development:recommendation", recommendation.pk)
