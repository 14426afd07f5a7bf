"""A staff member's own rota: upcoming sessions, a private calendar feed, and swaps with colleagues."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpcn.rostering import actions, calendar, queries
from openpcn.rostering.forms import SwapForm
from openpcn.rostering.models import PlanStatus, RotaAssignment, SwapRequest
from openpcn.rostering.views.plans import error_text
from openpcn.workforce.models import StaffMember
from openpcn.workforce.queries import own_staff_record


def _me(request: HttpRequest) -> StaffMember:
    staff = own_staff_record(request.user)
    if staff is None:
        raise Http404("You have no staff record")
    return staff


@login_required
def my_rota(request: HttpRequest) -> HttpResponse:
    staff = _me(request)
    feed = queries.active_feed(staff)
    incoming, outgoing = queries.my_swaps(staff)
    return render(
        request,
        "rostering/my_rota.jinja",
        {
            "staff": staff,
            "sessions": queries.published_sessions(staff, since=timezone.localdate()),
            "feed": feed,
            "feed_url": request.build_absolute_uri(reverse("rostering:feed", args=[feed.token]))
            if feed
            else "",
            "incoming": incoming,
            "outgoing": outgoing,
            "session_label": queries.session_label,
            "weekdays": queries.WEEKDAYS,
            "summary": calendar.summary,
        },
    )


@login_required
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    actions.create_feed(by=request.user, staff=_me(request))
    messages.success(request, "Your calendar address is ready. Any earlier address stops working.")
    return redirect("rostering:my_rota")


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    feed = queries.active_feed(_me(request))
    if feed is None:
        raise Http404("You have no calendar address")
    actions.revoke_feed(by=request.user, feed=feed)
    messages.success(request, "Your calendar address no longer works.")
    return redirect("rostering:my_rota")


def _my_session_or_404(staff: StaffMember, pk: int) -> RotaAssignment:
    assignment = (
        RotaAssignment.objects.filter(
            pk=pk,
            staff=staff,
            plan__status=PlanStatus.PUBLISHED,
            date__gte=timezone.localdate(),
        )
        .select_related("site", "skill", "plan__scope")
        .first()
    )
    if assignment is None:
        raise Http404("No such session of yours")
    return assignment


@login_required
def swap_offer(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _me(request)
    offered = _my_session_or_404(staff, pk)
    form = SwapForm(request.POST or None, colleagues=queries.swap_colleagues(offered))
    if request.method == "POST" and form.is_valid():
        colleague = form.cleaned_data["colleague"]
        try:
            actions.propose_swap(by=request.user, offered=offered, colleague=colleague)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request,
                f"{colleague.person.full_name} has been asked to take your session. "
                "A manager approves the swap once they accept.",
            )
            return redirect("rostering:my_rota")
    return render(
        request,
        "rostering/swap_offer.jinja",
        {
            "form": form,
            "offered": offered,
            "summary": calendar.summary(offered),
            "weekdays": queries.WEEKDAYS,
        },
    )


@login_required
@require_POST
def swap_answer(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _me(request)
    incoming, _ = queries.my_swaps(staff)
    swap: SwapRequest | None = incoming.filter(pk=pk).first()
    if swap is None:
        raise Http404("No such swap awaiting your answer")
    accept = request.POST.get("answer") == "accept"
    try:
        actions.answer_swap(by=request.user, swap=swap, accept=accept)
    except PermissionDenied as error:
        raise Http404("No such swap awaiting your answer") from error
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            "You accepted the swap; a manager will approve it."
            if accept
            else "You declined the swap.",
        )
    return redirect("rostering:my_rota")
