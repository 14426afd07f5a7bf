"""Policy library pages: the library and its search, a policy and its versions (with the diff),
the forms to write, approve, publish and adopt, staff's own acknowledgements, and compliance by
practice with its evidence pack."""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from openpcn.core import uploads
from openpcn.core.forms import attempt
from openpcn.policies import actions, queries, text
from openpcn.policies.evidence import evidence_pdf, evidence_xlsx
from openpcn.policies.forms import AdoptForm, PolicyForm, VersionForm
from openpcn.policies.models import Category, PolicyVersion
from openpcn.workforce.queries import own_staff_record


def _post(request: HttpRequest, act: Callable[[], Any], done: str) -> bool:
    try:
        act()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    except PermissionDenied as error:
        raise Http404("Not found") from error
    messages.success(request, done)
    return True


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not queries.can_read_library(request.user):
        raise Http404("No policy library for you")
    words = request.GET.get("q", "").strip()
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    today = dt.date.today()
    if words:
        found = queries.search(request.user, words, category)
    else:
        policies = queries.visible_policies(request.user)
        if category:
            policies = policies.filter(category=category)
        found = queries.with_current(policies.order_by("title"))
    return render(
        request,
        "policies/index.jinja",
        {
            "found": found,
            "words": words,
            "category": category,
            "categories": Category.choices,
            "today": today,
            "can_write": bool(queries.publishers_managed(request.user)),
            "reviews": queries.reviews_due(request.user, today, queries.REVIEW_HORIZON_DAYS),
            "outstanding": queries.outstanding_for(own_staff_record(request.user)),
            "sees_compliance": bool(queries.compliance_scope(request.user)),
        },
    )


@login_required
def policy_new(request: HttpRequest) -> HttpResponse:
    publishers = queries.publishers_managed(request.user)
    if not publishers:
        raise Http404("You write no policies")
    form = PolicyForm(
        request.POST or None,
        request.FILES or None,
        organisations=publishers,
        people=queries.people_for(publishers[0]),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = attempt(
            form,
            lambda: actions.create_policy(
                by=request.user,
                organisation=form.organisations[data["organisation"]],
                title=data["title"],
                category=data["category"],
                owner=form.person("owner"),
                approver=form.person("approver"),
                audience=data["audience"],
                job_roles=form.chosen_roles(),
                review_date=data["review_date"],
                body=data["body"],
                document=form.upload(),
            ),
        )
        if version is not None:
            messages.success(request, f"{version.policy.title}: version 1 is a draft.")
            return redirect("policies:version", version.pk)
    return render(request, "policies/policy_form.jinja", {"form": form})


@login_required
def policy(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.policy_or_404(request.user, pk)
    current = queries.current_version(found)
    staff = own_staff_record(request.user)
    mine = (
        next((t for t in queries.for_staff(staff) if t.adoption.policy_id == found.pk), None)
        if staff
        else None
    )
    return render(
        request,
        "policies/policy.jinja",
        {
            "policy": found,
            "current": current,
            "rendered": text.render(current.body) if current and current.body else None,
            "versions": queries.versions_seen(request.user, found),
            "adoptions": queries.adoptions_seen(request.user, found),
            "can_manage": queries.can_manage(request.user, found),
            "can_adopt": bool(current and queries.adopting_practices(request.user, found)),
            "mine": mine,
            "today": dt.date.today(),
        },
    )


@login_required
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.policy_or_404(request.user, pk)
    if not queries.can_manage(request.user, found):
        raise Http404("No such policy")
    initial = {
        "category": found.category,
        "owner": found.owner_id,
        "approver": found.approver_id,
        "audience": found.audience,
        "job_roles": [r.pk for r in found.job_roles.all()],
    }
    form = PolicyForm(
        request.POST or None,
        initial=initial,
        organisations=[found.organisation],
        people=queries.people_for(found.organisation),
        with_organisation=False,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: actions.update_policy(
                by=request.user,
                policy=found,
                category=data["category"],
                owner=form.person("owner"),
                approver=form.person("approver"),
                audience=data["audience"],
                job_roles=form.chosen_roles(),
            ),
        )
        if done is not None:
            messages.success(request, f"{found.title}: details saved.")
            return redirect("policies:policy", found.pk)
    return render(request, "policies/policy_edit.jinja", {"form": form, "policy": found})


@login_required
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.policy_or_404(request.user, pk)
    if not queries.can_manage(request.user, found):
        raise Http404("No such policy")
    latest = found.versions.order_by("-number").first()
    form = VersionForm(
        request.POST or None,
        request.FILES or None,
        initial={"body": latest.body if latest else ""},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = attempt(
            form,
            lambda: actions.draft_version(
                by=request.user,
                policy=found,
                changes=data["changes"],
                significant=data["significant"],
                review_date=data["review_date"],
                body=data["body"],
                document=form.upload(),
            ),
        )
        if version is not None:
            messages.success(request, f"Version {version.number} is a draft.")
            return redirect("policies:version", version.pk)
    return render(request, "policies/version_form.jinja", {"form": form, "policy": found})


@login_required
def version(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.version_or_404(request.user, pk)
    return render(
        request,
        "policies/version.jinja",
        {
            "version": found,
            "policy": found.policy,
            "rendered": text.render(found.body) if found.body else None,
            "previous": queries.previous_version(found),
            "can_manage": queries.can_manage(request.user, found.policy),
            "today": dt.date.today(),
        },
    )


@login_required
@require_POST
def version_approve(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.version_or_404(request.user, pk)
    _post(
        request,
        lambda: actions.approve_version(by=request.user, version=found),
        f"Version {found.number} is approved.",
    )
    return redirect("policies:version", found.pk)


@login_required
@require_POST
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.version_or_404(request.user, pk)
    _post(
        request,
        lambda: actions.publish_version(by=request.user, version=found),
        f"Version {found.number} is published.",
    )
    return redirect("policies:version", found.pk)


@login_required
@require_POST
def version_discard(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.version_or_404(request.user, pk)
    if _post(
        request,
        lambda: actions.discard_version(by=request.user, version=found),
        f"Version {found.number} is discarded.",
    ):
        return redirect("policies:policy", found.policy_id)
    return redirect("policies:version", found.pk)


@login_required
def version_diff(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.version_or_404(request.user, pk)
    against_pk = request.GET.get("against", "")
    against: PolicyVersion | None
    if against_pk.isdigit():
        against = queries.version_or_404(request.user, int(against_pk))
        if against.policy_id != found.policy_id:
            raise Http404("Not a version of this policy")
    else:
        against = queries.previous_version(found)
        if against is not None and against.status not in queries.READABLE:
            against = None if not queries.can_manage(request.user, found.policy) else against
    if against is None:
        raise Http404("No earlier version to compare with")
    return render(
        request,
        "policies/diff.jinja",
        {
            "version": found,
            "against": against,
            "policy": found.policy,
            "diff": text.diff_html(against.body, found.body)
            if not (found.is_document or against.is_document)
            else None,
        },
    )


@login_required
def version_document(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.version_or_404(request.user, pk)
    if not found.is_document:
        raise Http404("This version is written in the library, not uploaded")
    response = HttpResponse(uploads.read(found.document_path), content_type=found.document_type)
    suffix = Path(found.document_path).suffix or mimetypes.guess_extension(found.document_type)
    name = f"{slugify(found.policy.title)}-v{found.number}{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _variation_approvers(practices: list[Any]) -> list[Any]:
    found = {p.pk: p for practice in practices for p in queries.people_at(practice)}
    return sorted(found.values(), key=lambda p: (p.family_name, p.given_name))


@login_required
def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.policy_or_404(request.user, pk)
    current = queries.current_version(found)
    practices = queries.adopting_practices(request.user, found)
    if current is None or not practices:
        raise Http404("Nothing to adopt")
    form = AdoptForm(
        request.POST or None,
        practices=practices,
        people=_variation_approvers(practices),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        practice = form.practices[data["practice"]]
        adoption = attempt(
            form,
            lambda: actions.adopt_version(
                by=request.user,
                practice=practice,
                version=current,
                local_variation=data["local_variation"],
                variation_approved_by=form.approver(),
            ),
        )
        if adoption is not None:
            messages.success(
                request, f"{practice.name} runs version {current.number} of {found.title}."
            )
            return redirect("policies:policy", found.pk)
    running = {p.pk: queries.current_adoption(p, found) for p in practices}
    return render(
        request,
        "policies/adopt.jinja",
        {
            "form": form,
            "policy": found,
            "current": current,
            "running": [(p, running[p.pk]) for p in practices],
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    staff = own_staff_record(request.user)
    if staff is None:
        raise Http404("You have no staff record")
    due = queries.for_staff(staff)
    return render(
        request,
        "policies/mine.jinja",
        {
            "staff": staff,
            "outstanding": [t for t in due if t.acknowledged_on is None],
            "done": [t for t in due if t.acknowledged_on is not None],
            "today": dt.date.today(),
        },
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.version_or_404(request.user, pk)
    _post(
        request,
        lambda: actions.acknowledge(by=request.user, version=found),
        f"You have acknowledged {found.policy.title}, version {found.number}.",
    )
    if request.POST.get("next") == "policy":
        return redirect("policies:policy", found.policy_id)
    return redirect("policies:mine")


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    if not queries.compliance_scope(request.user):
        raise Http404("You see no compliance")
    return render(
        request,
        "policies/compliance.jinja",
        {"practices": queries.practices_summary(request.user)},
    )


@login_required
def practice_compliance(request: HttpRequest, pk: int) -> HttpResponse:
    practice = queries.practice_or_404(request.user, pk)
    return render(
        request,
        "policies/practice.jinja",
        {
            "compliance": queries.practice_compliance(practice),
            "practice": practice,
            "today": dt.date.today(),
        },
    )


def _pack_name(practice: Any, today: dt.date, suffix: str) -> str:
    return f"{slugify(practice.name)}-policy-evidence-{today:%Y-%m-%d}.{suffix}"


@login_required
def evidence(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "xlsx"):
        raise Http404("The evidence pack is a PDF or an XLSX workbook")
    practice = queries.practice_or_404(request.user, pk)
    today = dt.date.today()
    found = queries.practice_compliance(practice)
    if fmt == "pdf":
        response = HttpResponse(evidence_pdf(found, today=today), content_type=uploads.PDF)
    else:
        response = HttpResponse(evidence_xlsx(found, today=today), content_type=uploads.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_pack_name(practice, today, fmt)}"'
    return response
