"""Leave: staff request their own; managers approve or decline within their organisations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openpcn.workforce import actions
from openpcn.workforce.forms import AbsenceRequestForm
from openpcn.workforce.queries import leave_awaiting_decision, own_staff_record


@login_required
def my_leave(request: HttpRequest) -> HttpResponse:
    staff = own_staff_record(request.user)
    if staff is None:
        raise Http404("You have no staff record")
    form = AbsenceRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_absence(by=request.user, staff=staff, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your leave request has been sent for approval.")
            return redirect("workforce:my_leave")
    return render(
        request,
        "workforce/my_leave.jinja",
        {
            "form": form,
            "absences": staff.absences.all(),
            "staff": staff,
        },
    )


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workforce/approvals.jinja",
        {
            "requests": leave_awaiting_decision(request.user),
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    absence = leave_awaiting_decision(request.user).filter(pk=pk).first()
    if absence is None:
        raise Http404("No such leave request awaiting you")
    approve = request.POST.get("decision") == "approve"
    actions.decide_absence(by=request.user, absence=absence, approve=approve)
    messages.success(request, f"{'Approved' if approve else 'Declined'}: {absence}.")
    return redirect("workforce:approvals")
