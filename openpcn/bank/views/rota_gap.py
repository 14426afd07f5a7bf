"""Turn a gap in a published rota into a cover request, from the site week grid."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from openpcn.bank import actions
from openpcn.rostering.models import PlanStatus
from openpcn.rostering.queries import get_plan_or_404, plan_sites
from openpcn.workforce.models import Skill


@login_required
@require_POST
def cover_gap(request: HttpRequest, plan_pk: int, site_pk: int) -> HttpResponse:
    plan = get_plan_or_404(request.user, plan_pk)
    site = next((s for s in plan_sites(plan) if s.pk == site_pk), None)
    skill = Skill.objects.filter(pk=request.POST.get("skill") or 0).first()
    if site is None or skill is None or plan.status != PlanStatus.PUBLISHED:
        raise Http404("No such gap in a published rota")
    try:
        date = dt.date.fromisoformat(request.POST.get("date", ""))
        rate = Decimal(request.POST.get("rate", ""))
    except (ValueError, InvalidOperation):
        messages.error(request, "Give the date and a rate in pounds, e.g. 320.00")
        return redirect(f"{reverse('rostering:grid', args=[plan.pk])}?site={site.pk}")
    try:
        cover = actions.cover_rota_gap(
            by=request.user,
            plan=plan,
            site=site,
            date=date,
            session=request.POST.get("session", ""),
            skill=skill,
            rate=rate,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        week = date - dt.timedelta(days=date.weekday())
        return redirect(
            f"{reverse('rostering:grid', args=[plan.pk])}?site={site.pk}&week={week.isoformat()}"
        )
    messages.success(request, f"Cover requested: {cover}. Staff are offered it pool by pool.")
    return redirect("bank:request", pk=cover.pk)
