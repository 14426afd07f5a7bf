"""Ledger pages: the trial balance with balances and income and expenditure, and statements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import covered_organisation_ids
from openpcn.ledger import access, actions, exports, queries
from openpcn.ledger.forms import AccountForm, JournalForm
from openpcn.ledger.models import Journal
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
    if not access.ledger_scope(request.user):
        # A practice manager reads only their practice's statement: send them there.
        own = sorted(access.statement_scope(request.user))
        if own:
            return redirect("ledger:statement", own[0])
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
            "journals": queries.recent_journals(scope),
            "income_and_expenditure": queries.income_and_expenditure(scope, start, end),
            "can_post": bool(covered_organisation_ids(request.user, Permission.FINANCE_MANAGE)),
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


def _statement_period(request: HttpRequest, organisation: Organisation) -> tuple[dt.date, dt.date]:
    """The period asked for; by default this financial year, or else the latest one with postings
    (so a statement never opens empty when the last payments were in an earlier year)."""
    if request.GET.get("from") or request.GET.get("to"):
        return _period(request)
    start, end = _period(request)
    latest = queries.latest_posting_date(organisation)
    if latest is not None and latest < start:
        start = financial_year_start(latest)
        end = dt.date(start.year + 1, 3, 31)
    return start, end


@login_required
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.statement_organisation_or_404(request.user, pk)
    start, end = _statement_period(request, organisation)
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


# --- journals ---------------------------------------------------------------------------------


@login_required
def journal_new(request: HttpRequest) -> HttpResponse:
    accounts = access.postable_accounts(request.user)
    if not accounts:
        raise Http404("You post no journals")
    form = JournalForm(request.POST or None, accounts=accounts)
    if request.method == "POST" and form.is_valid():
        try:
            journal = actions.post_journal(
                by=request.user,
                date=form.cleaned_data["date"],
                description=form.cleaned_data["description"],
                reference=form.cleaned_data["reference"],
                lines=form.cleaned_data["lines"],
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        except PermissionDenied as error:
            raise Http404("No such account") from error
        else:
            messages.success(request, f"Journal {journal.pk} posted.")
            return redirect("ledger:journal", journal.pk)
    return render(request, "ledger/journal_new.jinja", {"form": form})


def _journal_or_404(request: HttpRequest, pk: int) -> Journal:
    journal = Journal.objects.filter(pk=pk).select_related("reverses", "created_by").first()
    if journal is None or not access.journal_visible(request.user, journal):
        raise Http404("No such journal")
    return journal


@login_required
def journal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    journal = _journal_or_404(request, pk)
    reversal = Journal.objects.filter(reverses=journal).first()
    return render(
        request,
        "ledger/journal_detail.jinja",
        {
            "journal": journal,
            "postings": journal.postings.select_related("account__organisation"),
            "reversal": reversal,
            "can_reverse": reversal is None
            and journal.reverses_id is None
            and access.journal_reversible_by(request.user, journal),
            "money": money,
        },
    )


@login_required
@require_POST
def journal_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    journal = _journal_or_404(request, pk)
    try:
        reversal = actions.reverse_journal(by=request.user, journal=journal)
    except PermissionDenied as error:
        raise Http404("No such journal") from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("ledger:journal", journal.pk)
    messages.success(request, f"Journal {journal.pk} reversed by journal {reversal.pk}.")
    return redirect("ledger:journal", reversal.pk)


@login_required
def account_new(request: HttpRequest) -> HttpResponse:
    organisations = list(
        Organisation.objects.filter(
            pk__in=covered_organisation_ids(request.user, Permission.FINANCE_MANAGE)
        ).order_by("name")
    )
    if not organisations:
        raise Http404("You open no accounts")
    form = AccountForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = actions.open_account(
                by=request.user,
                organisation=form.organisations[data["organisation"]],
                fund=data["fund"],
                kind=data["kind"],
                code=data["code"],
                name=data["name"],
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        except PermissionDenied as error:
            raise Http404("No such organisation") from error
        else:
            messages.success(request, f"Account {account.code} {account.name} opened.")
            return redirect(
                f"{reverse('ledger:trial_balance')}?organisation={account.organisation_id}"
            )
    return render(request, "ledger/account_new.jinja", {"form": form})
