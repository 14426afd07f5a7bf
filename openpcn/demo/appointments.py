"""Clinical Director appointments in the demo: one PCN changed its Network Agreement to weight
the practices' votes by registered list, and in March 2026 elected a new Clinical Director that
way (the seat on the alliance board passing to them); another re-appointed its Clinical Director
for an interim year whose end falls due soon."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpcn.appointments import actions
from openpcn.appointments.models import Appointment
from openpcn.contracts import agreement_actions
from openpcn.contracts.agreements import agreement_view
from openpcn.contracts.models import NetworkAgreement
from openpcn.organisations.models import Organisation, Person, RoleHolding, RoleTitle

WEIGHTED_VOTE = dt.date(2026, 3, 10)
WEIGHTED_TERM_STARTS = dt.date(2026, 4, 1)
WEIGHTED_AGREEMENT_FROM = dt.date(2026, 2, 1)


def build_appointments(demo: Any) -> None:
    weighted_vote(demo, demo.networks[3])
    interim_term_ending_soon(demo, demo.networks[4], dt.date.today())


def _signed_version(
    network: Organisation, effective_from: dt.date, governance: str, **terms: Any
) -> NetworkAgreement:
    agreement = agreement_actions.draft_agreement(
        by=None,
        network=network,
        effective_from=effective_from,
        governance=governance,
        director_terms=terms,
    )
    for practice_signatories in agreement_view(agreement).signatories:
        for person in practice_signatories.partners:
            agreement_actions.record_signature(
                by=None,
                agreement=agreement,
                person=person,
                practice=practice_signatories.practice,
                signed_on=effective_from - dt.timedelta(days=5),
            )
    agreement.refresh_from_db()
    return agreement


def _partner(practice: Organisation, on: dt.date, *, not_: Person | None = None) -> Person:
    holding = (
        RoleHolding.objects.current_on(on)
        .filter(organisation=practice, title=RoleTitle.GP_PARTNER)
        .exclude(person=not_)
        .select_related("person")
        .order_by("start_date", "person__family_name")
        .first()
    )
    assert holding is not None, f"{practice} has a partner in the demo"
    return holding.person


def _practice_of(person: Person, electors: list[Any], on: dt.date) -> Organisation:
    """The member practice where the person is a GP partner (the demo's directors are)."""
    return next(
        e.practice
        for e in electors
        if RoleHolding.objects.current_on(on)
        .filter(person=person, organisation=e.practice, title=RoleTitle.GP_PARTNER)
        .exists()
    )


def _cast_all(demo: Any, appointment: Appointment, choose: dict[int, Any], on: dt.date) -> None:
    for elector in appointment.electors.select_related("practice"):
        manager = demo.practice_managers[elector.practice_id]
        actions.cast_vote(
            by=None,
            appointment=appointment,
            practice=elector.practice,
            nomination=choose[elector.practice_id],
            cast_on=on,
            cast_by=f"{manager}, practice manager",
        )


def weighted_vote(demo: Any, network: Organisation) -> Appointment:
    """The practices with most patients back the challenger: fewer practices, more patients."""
    previous = NetworkAgreement.objects.filter(network=network).order_by("-version").first()
    effective_from = max(
        WEIGHTED_AGREEMENT_FROM, previous.effective_from if previous else WEIGHTED_AGREEMENT_FROM
    )
    _signed_version(
        network,
        effective_from,
        "The PCN board meets monthly; decisions by a majority of practices, one vote each. The "
        "Clinical Director is elected by the member practices, each practice's vote weighted by "
        "its registered list, for three years; the vote needs practices with half the list.",
        director_voting="list_size",
        director_quorum_basis="list_size",
        director_quorum_percent=50,
        director_term_months=36,
    )
    appointment = actions.open_appointment(
        by=None, network=network, vote_date=WEIGHTED_VOTE, term_starts=WEIGHTED_TERM_STARTS
    )
    electors = sorted(
        appointment.electors.select_related("practice"), key=lambda e: -(e.list_size or 0)
    )
    incumbent = demo.clinical_directors[demo.networks.index(network)]
    incumbent_practice = _practice_of(incumbent, electors, WEIGHTED_VOTE)
    challenger_practice = next(e.practice for e in electors if e.practice != incumbent_practice)
    challenger = _partner(challenger_practice, WEIGHTED_VOTE, not_=incumbent)
    standing = actions.nominate(
        by=None,
        appointment=appointment,
        person=incumbent,
        practice=incumbent_practice,
        statement="Standing again: continuity for the Enhanced Access hub and the ARRS team.",
    )
    new = actions.nominate(
        by=None,
        appointment=appointment,
        person=challenger,
        practice=challenger_practice,
        statement="Proposes a PCN-wide frailty service and shared same-day access.",
    )
    # The largest practices back the challenger until they hold more than half the list.
    total = sum(e.list_size or 0 for e in electors)
    choose: dict[int, Any] = {}
    backing = 0
    for elector in electors:
        if backing * 2 <= total and elector.practice != incumbent_practice:
            choose[elector.practice_id] = new
            backing += elector.list_size or 0
        else:
            choose[elector.practice_id] = standing
    _cast_all(demo, appointment, choose, WEIGHTED_VOTE)
    return actions.declare_result(by=None, appointment=appointment, on=WEIGHTED_VOTE)


def interim_term_ending_soon(demo: Any, network: Organisation, today: dt.date) -> Appointment:
    """An interim one-year term, one vote per practice, that ends six weeks from today."""
    ends = today + dt.timedelta(days=45)
    after = ends + dt.timedelta(days=1)
    term_starts = after.replace(year=after.year - 1, day=min(after.day, 28))
    previous = NetworkAgreement.objects.filter(network=network).order_by("-version").first()
    floor = previous.effective_from if previous else term_starts
    effective_from = max(floor, term_starts - dt.timedelta(days=60))
    vote_date = max(effective_from, term_starts - dt.timedelta(days=14))
    _signed_version(
        network,
        effective_from,
        "The PCN board meets monthly; decisions by a majority of practices, one vote each. The "
        "Clinical Director serves an interim year while the PCN reviews its leadership; the "
        "practices then elect one for three years.",
        director_voting="per_practice",
        director_quorum_basis="practices",
        director_quorum_percent=60,
        director_term_months=12,
    )
    appointment = actions.open_appointment(
        by=None, network=network, vote_date=vote_date, term_starts=term_starts
    )
    director = demo.clinical_directors[demo.networks.index(network)]
    home = _practice_of(director, list(appointment.electors.select_related("practice")), vote_date)
    nomination = actions.nominate(
        by=None,
        appointment=appointment,
        person=director,
        practice=home,
        statement="Willing to serve the interim year.",
    )
    choose = {e.practice_id: nomination for e in appointment.electors.all()}
    _cast_all(demo, appointment, choose, vote_date)
    return actions.declare_result(by=None, appointment=appointment, on=vote_date)
