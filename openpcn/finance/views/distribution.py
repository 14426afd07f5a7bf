"""Paying the PCN's income out to its practices: the finance schedule (Network Agreement Schedule
4) with its versions, the year's payments per practice and month, and posting or cancelling a
month's payment run (finance officers; everyone else with FINANCE_VIEW reads)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpcn.accounts.permissions import Permission
from openpcn.accounts.scope import has_permission
from openpcn.finance import actions
from openpcn.finance.distribution import network_distribution, rules_of, schedule_in_force
from openpcn.finance.entitlements import FinancialYear
from openpcn.finance.models import FinanceSchedule, FundingStream, PaymentRun
from openpcn.finance.schedule_form import DEFAULT_METHODS, ScheduleForm
from openpcn.finance.views.network import _network, _year
from openpcn.ledger.access import statement_scope
from openpcn.organisations.models import Organisation
from openpcn.organisations.queries import practices_of


def _may_manage(request: HttpRequest, network: Organisation) -> bool:
    return has_permission(request.user, Permission.FINANCE_MANAGE, organisation=network)  # type: ignore[arg-type]


def _month(year: FinancialYear, text: str) -> dt.date:
    try:
        first = dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError as error:
        raise Http404("No such month") from error
    if first not in year.months:
        raise Http404("That month is not in the financial year")
    return first


@login_required
def distribution(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    network = _network(request, pk)
    financial_year = _year(year)
    result = network_distribution(network, financial_year)
    runs = {
        run.month: run
        for run in PaymentRun.objects.filter(
            network=network, month__in=financial_year.months, cancelled_at__isnull=True
        ).select_related("journal")
    }
    return render(
        request,
        "finance/distribution.jinja",
        {
            "network": network,
            "year": financial_year,
            "previous": FinancialYear(financial_year.first_year - 1),
            "next": FinancialYear(financial_year.first_year + 1),
            "result": result,
            "runs": runs,
            "schedule": schedule_in_force(list(result.schedules.values()), financial_year.start)
            or schedule_in_force(list(result.schedules.values()), financial_year.months[-1]),
            "can_manage": _may_manage(request, network),
            "statement_ids": statement_scope(request.user),
        },
    )


@login_required
@require_POST
def post_month(request: HttpRequest, pk: int, year: int, month: str) -> HttpResponse:
    network = _network(request, pk)
    financial_year = _year(year)
    first = _month(financial_year, month)
    try:
        run = actions.post_payment_run(by=request.user, network=network, month=first)
    except PermissionDenied as error:
        raise Http404("No such PCN") from error
    except ValidationError as error:
        messages.error(request, f"{first:%B %Y} not posted: " + " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Payments for {first:%B %Y} posted: £{run.paid_out:,.2f} to practices "
            f"(journal {run.journal_id}).",
        )
    return redirect("finance:distribution", network.pk, financial_year.first_year)


@login_required
@require_POST
def cancel_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = PaymentRun.objects.filter(pk=pk).select_related("network").first()
    if run is None:
        raise Http404("No such payment run")
    network = _network(request, run.network_id)
    try:
        actions.cancel_payment_run(by=request.user, run=run, reason=request.POST.get("reason", ""))
    except PermissionDenied as error:
        raise Http404("No such payment run") from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Payments for {run.month:%B %Y} cancelled and reversed.")
    year = FinancialYear.containing(run.month)
    return redirect("finance:distribution", network.pk, year.first_year)


@login_required
def schedules(request: HttpRequest, pk: int) -> HttpResponse:
    """The PCN's Schedule 4 versions, and (finance officers) the form to agree a new one."""
    network = _network(request, pk)
    versions = list(
        FinanceSchedule.objects.filter(network=network)
        .select_related("nominated_payee")
        .prefetch_related("rules__stream", "rules__fixed__practice")
    )
    can_manage = _may_manage(request, network)
    streams = list(FundingStream.objects.all())
    today = timezone.localdate()
    start = dt.date(today.year, today.month, 1)
    practices = [(p.pk, p.name) for p in practices_of(network, start)]
    payees = [*practices]
    if network.alliance_id is not None:
        payees.append((network.alliance_id, str(network.alliance)))
    form = None
    if can_manage:
        latest = versions[0] if versions else None
        initial: dict[str, object] = {"valid_from": start, "agreed_on": today, "payment_day": 15}
        if latest is not None:
            initial.update(
                nominated_payee=latest.nominated_payee_id,
                payment_day=latest.payment_day,
                holding_terms=latest.holding_terms,
            )
            for code, rule in rules_of(latest).items():
                initial[f"method_{code}"] = rule.method
                for practice_pk, amount in rule.fixed.items():
                    initial[f"fixed_{code}_{practice_pk}"] = amount
        for stream in streams:
            initial.setdefault(
                f"method_{stream.code}", DEFAULT_METHODS.get(stream.code, "retained")
            )
        form = ScheduleForm(
            request.POST or None,
            initial=initial,
            streams=streams,
            payees=payees,
            practices=practices,
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            payee = Organisation.objects.filter(pk=data["nominated_payee"]).first()
            try:
                if payee is None:
                    raise ValidationError("Choose the nominated payee")
                schedule = actions.agree_finance_schedule(
                    by=request.user,
                    network=network,
                    valid_from=data["valid_from"],
                    nominated_payee=payee,
                    agreed_on=data["agreed_on"],
                    rules=form.rules(),
                    fixed=form.fixed(),
                    payment_day=data["payment_day"],
                    holding_terms=data["holding_terms"],
                    reference=data["reference"],
                )
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            except PermissionDenied as error:
                raise Http404("No such PCN") from error
            else:
                messages.success(request, f"Recorded: {schedule}")
                return redirect("finance:schedules", network.pk)
    elif request.method == "POST":
        raise Http404("No such page")
    return render(
        request,
        "finance/schedules.jinja",
        {
            "network": network,
            "versions": versions,
            "form": form,
            "streams": streams,
            "this_year": FinancialYear.containing(versions[0].valid_from if versions else today),
        },
    )
