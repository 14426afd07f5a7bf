from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.workforce.models import JobRole, StaffMember
from openpcn.workforce.queries import can_see_staff, current_contracts, staff_in_scope


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    if not covered_organisation_ids(request.user, Permission.WORKFORCE_VIEW):
        raise Http404("No staff to show")
    staff = staff_in_scope(request.user)
    role = request.GET.get("role", "")
    if role:
        staff = staff.filter(
            pk__in=current_contracts().filter(job_role__code=role).values("staff_id")
        )
    arrs = request.GET.get("arrs") == "1"
    if arrs:
        staff = staff.filter(pk__in=current_contracts().filter(arrs_funded=True).values("staff_id"))
    return render(
        request,
        "workforce/staff_list.jinja",
        {
            "staff": staff,
            "roles": JobRole.objects.all(),
            "selected_role": role,
            "arrs": arrs,
        },
    )


@login_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = StaffMember.objects.select_related("person", "home_practice").filter(pk=pk).first()
    if staff is None or not can_see_staff(request.user, staff, Permission.WORKFORCE_VIEW):
        raise Http404("No such staff member")
    return render(
        request,
        "workforce/staff_detail.jinja",
        {
            "staff": staff,
            "contracts": staff.contracts.select_related("job_role", "employer"),
            "skills": staff.staff_skills.select_related("skill"),
            "sites": staff.sites.all(),
            "availability": {(a.weekday, a.session) for a in staff.availability.all()},
            "absences": staff.absences.all()[:20],
            "training": staff.training.all(),
            "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            "sessions": [("am", "AM"), ("pm", "PM"), ("evening", "Evening")],
        },
    )
