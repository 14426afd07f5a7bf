"""Ledger pages: the trial balance with balances and income and expenditure, and statements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from openpcn.ledger import access, exports, queries
from openpcn.organisations.models import Organisation


def money(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return f"-£{-value:,.2f}" if value < 0 else f"£{value:,.2f}"


def _date(text: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else default
    except ValueError:
        return default


def financial_year_start(today: dt.date) -> dt.date:
    return dt.date(today.year if today.month >= 4 else today.year - 1, 4, 1)


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    start = _date(request.GET.get("from"), financial_year_start(today))
    end = _date(request.GET.get("to"), today)
    return start, max(start, end)


def _trial_balance_scope(request: HttpRequest) -> tuple[set[int], Organisation | None]:
    scope = access.ledger_scope(request.user)
    if not scope:
        raise Http404("You see no ledgers")
    chosen = request.GET.get("organisation")
    if not chosen:
        return scope, None
    if not chosen.isdigit() or int(chosen) not in scope:
        raise Http404("No such organisation")
    return {int(chosen)}, Organisation.objects.get(pk=int(chosen))


def _download(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def trial_balance(request: HttpRequest) -> HttpResponse:
    scope, organisation = _trial_balance_scope(request)
    start, end = _period(request)
    tb = queries.trial_balance(scope, on=end)
    return render(
        request,
        "ledger/trial_balance.jinja",
        {
            "tb": tb,
            "organisation": organisation,
            "organisations": Organisation.objects.filter(pk__in=access.ledger_scope(request.user))
            .filter(ledger_accounts__isnull=False)
            .distinct(),
            "start": start,
            "end": end,
            "balances": queries.balances(scope, on=end),
            "income_and_expenditure": queries.income_and_expenditure(scope, start, end),
            "money": money,
        },
    )


@login_required
def trial_balance_xlsx(request: HttpRequest) -> HttpResponse:
    scope, organisation = _trial_balance_scope(request)
    _, end = _period(request)
    stem = f"trial-balance-{end:%Y-%m-%d}"
    if organisation is not None:
        stem += f"-{organisation.ods_code or organisation.pk}"
    return _download(
        exports.trial_balance_xlsx(queries.trial_balance(scope, on=end)), stem + ".xlsx"
    )


@login_required
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.statement_organisation_or_404(request.user, pk)
    start, end = _period(request)
    return render(
        request,
        "ledger/statement.jinja",
        {
            "organisation": organisation,
            "statement": queries.statement(organisation, start, end),
            "start": start,
            "end": end,
            "can_see_ledger": bool(access.ledger_scope(request.user)),
            "money": money,
        },
    )


@login_required
def statement_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.statement_organisation_or_404(request.user, pk)
    start, end = _period(request)
    code = organisation.ods_code or organisation.pk
    return _download(
        exports.statement_xlsx(queries.statement(organisation, start, end)),
        f"statement-{code}-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.xlsx",
    )
