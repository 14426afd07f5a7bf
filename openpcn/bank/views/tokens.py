"""API tokens for the bank's JSON API: create one (its value is shown once) and revoke it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpcn.bank import actions
from openpcn.bank.forms import TokenForm
from openpcn.bank.models import ApiToken
from openpcn.bank.views import render_bank


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    raw = ""
    if request.method == "POST" and form.is_valid():
        token, raw = actions.create_api_token(
            by=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    response = render_bank(
        request,
        "bank/tokens.jinja",
        {
            "form": form,
            "raw": raw,
            "tokens": tokens,
            "now": timezone.now(),
            "api_base": request.build_absolute_uri(reverse("api-v1:api-root")),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )
    if raw:
        response["Cache-Control"] = "no-store"  # the raw token is shown once; never cache it
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=request.user, revoked_at__isnull=True).first()
    if token is None:
        raise Http404("No such token of yours")
    actions.revoke_api_token(by=request.user, token=token)
    messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect("bank:tokens")
