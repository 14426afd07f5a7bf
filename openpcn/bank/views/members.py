"""Bank management: members with their compliance documents, registering a member, a document."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from openpcn.bank import actions, queries
from openpcn.bank.forms import DocumentForm, MemberForm
from openpcn.bank.views import render_bank
from openpcn.organisations.models import Organisation


def _viewable(request: HttpRequest) -> list[Organisation]:
    alliances = queries.viewable_alliances(request.user)
    if not alliances:
        raise Http404("You do not run a bank")
    return alliances


def _managed(request: HttpRequest) -> list[Organisation]:
    alliances = queries.managed_alliances(request.user)
    if not alliances:
        raise Http404("You do not run a bank")
    return alliances


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    alliances = _viewable(request)
    rows = queries.bank_members(alliances)
    return render_bank(
        request,
        "bank/members.jinja",
        {
            "rows": rows,
            "lapsed_count": sum(1 for r in rows if r.lapsed),
            "managed": {a.pk for a in queries.managed_alliances(request.user)},
            "today": timezone.localdate(),
        },
    )


@login_required
def member_new(request: HttpRequest) -> HttpResponse:
    alliance = _managed(request)[0]
    form = MemberForm(request.POST or None, staff=queries.registrable_staff(alliance))
    if request.method == "POST" and form.is_valid():
        try:
            member = actions.register_bank_member(
                by=request.user,
                staff=form.cleaned_data["staff"],
                alliance=alliance,
                joined_on=form.cleaned_data["joined_on"],
            )
        except PermissionDenied as error:
            raise Http404("You do not run this bank") from error
        messages.success(
            request,
            f"{member.staff.person.full_name} is in the bank. Record their registration, "
            "indemnity and DBS check before they are offered sessions.",
        )
        return redirect("bank:document_new", member.pk)
    return render_bank(request, "bank/member_new.jinja", {"form": form, "alliance": alliance})


@login_required
def document_new(request: HttpRequest, pk: int) -> HttpResponse:
    member = queries.get_member_or_404(_managed(request), pk)
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = actions.record_compliance_document(
                by=request.user, member=member, **form.cleaned_data
            )
        except PermissionDenied as error:
            raise Http404("You do not run this bank") from error
        messages.success(
            request,
            f"Recorded {document.get_kind_display()} for {member.staff.person.full_name}, "
            f"in date until {document.expires_on:%d %B %Y}.",
        )
        return redirect("bank:members")
    return render_bank(
        request,
        "bank/document_new.jinja",
        {"form": form, "member": member, "documents": member.documents.order_by("kind")},
    )
