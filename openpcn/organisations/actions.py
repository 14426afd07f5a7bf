"""Writes to the registry. Each action checks permission, runs in a transaction and is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from openpcn.accounts.permissions import Permission
from openpcn.core import audit
from openpcn.core.actions import end_dated_record, require_permission
from openpcn.organisations.models import (
    Alliance,
    BoardSeat,
    Network,
    NetworkMembership,
    Organisation,
    OrganisationKind,
    Person,
    Place,
    PopulationBand,
    PopulationSnapshot,
    Practice,
    RoleHolding,
    RoleTitle,
    Site,
)


@transaction.atomic
def create_alliance(
    *,
    by: Any,
    name: str,
    form: str = "alliance",  # an AllianceForm value
    ods_code: str | None = None,
    is_synthetic: bool = False,
) -> Alliance:
    if by is not None:
        # Only the platform operator (command line) creates alliances: they are the top of scope.
        raise PermissionDenied("Alliances are created from the command line")
    alliance = Alliance.objects.create(
        kind=OrganisationKind.ALLIANCE,
        name=name,
        alliance_form=form,
        ods_code=ods_code,
        is_synthetic=is_synthetic,
    )
    audit.record(
        by=by,
        action="create_alliance",
        obj=alliance,
        organisation=alliance,
        after=audit.snapshot(alliance),
    )
    return alliance


@transaction.atomic
def create_place(*, by: Any, alliance: Organisation, name: str) -> Place:
    require_permission(by, Permission.ORGANISATION_EDIT, organisation=alliance)
    place = Place.objects.create(
        kind=OrganisationKind.PLACE,
        name=name,
        alliance=alliance,
        is_synthetic=alliance.is_synthetic,
    )
    audit.record(
        by=by, action="create_place", obj=place, organisation=place, after=audit.snapshot(place)
    )
    return place


@transaction.atomic
def create_network(
    *,
    by: Any,
    alliance: Organisation,
    name: str,
    ods_code: str,
    place: Organisation | None = None,
    open_date: dt.date | None = None,
    **details: Any,
) -> Network:
    require_permission(by, Permission.ORGANISATION_EDIT, organisation=alliance)
    network = Network.objects.create(
        kind=OrganisationKind.NETWORK,
        name=name,
        ods_code=ods_code,
        alliance=alliance,
        place=place,
        open_date=open_date,
        is_synthetic=alliance.is_synthetic,
        **details,
    )
    audit.record(
        by=by,
        action="create_network",
        obj=network,
        organisation=network,
        after=audit.snapshot(network),
    )
    return network


@transaction.atomic
def create_practice(
    *,
    by: Any,
    alliance: Organisation,
    name: str,
    ods_code: str,
    open_date: dt.date | None = None,
    **details: Any,
) -> Practice:
    require_permission(by, Permission.ORGANISATION_EDIT, organisation=alliance)
    practice = Practice.objects.create(
        kind=OrganisationKind.PRACTICE,
        name=name,
        ods_code=ods_code,
        alliance=alliance,
        open_date=open_date,
        is_synthetic=alliance.is_synthetic,
        **details,
    )
    audit.record(
        by=by,
        action="create_practice",
        obj=practice,
        organisation=practice,
        after=audit.snapshot(practice),
    )
    return practice


EDITABLE_PRACTICE_FIELDS = frozenset({"name", "postcode", "address", "telephone"})


@transaction.atomic
def update_practice(*, by: Any, practice: Organisation, **changes: Any) -> Organisation:
    require_permission(by, Permission.ORGANISATION_EDIT, organisation=practice)
    unknown = set(changes) - EDITABLE_PRACTICE_FIELDS
    if unknown:
        raise ValidationError(f"These practice fields cannot be edited here: {sorted(unknown)}")
    before = audit.snapshot(practice)
    for field, value in changes.items():
        setattr(practice, field, value)
    practice.full_clean(exclude=["alliance", "place"])
    practice.save()
    audit.record(
        by=by,
        action="update_practice",
        obj=practice,
        organisation=practice,
        before=before,
        after=audit.snapshot(practice),
    )
    return practice


@transaction.atomic
def join_network(
    *, by: Any, practice: Organisation, network: Organisation, start_date: dt.date, source: str = ""
) -> NetworkMembership:
    """Move a practice into a PCN from `start_date`, ending (not overwriting) its current membership."""
    require_permission(by, Permission.NETWORK_MEMBERSHIP_MANAGE, organisation=network)
    if network.kind != OrganisationKind.NETWORK or practice.kind != OrganisationKind.PRACTICE:
        raise ValidationError("A practice can only join a PCN")
    current = (
        NetworkMembership.objects.select_for_update()
        .filter(practice=practice, end_date__isnull=True)
        .first()
    )
    if current is not None:
        if current.network_id == network.pk:
            return current
        if start_date <= current.start_date:
            raise ValidationError(
                f"{practice} joined {current.network} on {current.start_date}; "
                f"a move must start after that"
            )
        require_permission(by, Permission.NETWORK_MEMBERSHIP_MANAGE, organisation=current.network)
        end_dated_record(
            by=by,
            record=current,
            end_date=start_date,
            action="end_network_membership",
            organisation=current.network,
            what="The membership",
        )
    membership = NetworkMembership.objects.create(
        practice=practice, network=network, start_date=start_date, source=source
    )
    audit.record(
        by=by,
        action="join_network",
        obj=membership,
        organisation=network,
        after=audit.snapshot(membership),
    )
    return membership


@transaction.atomic
def leave_network(*, by: Any, practice: Organisation, end_date: dt.date) -> NetworkMembership:
    current = (
        NetworkMembership.objects.select_for_update()
        .filter(practice=practice, end_date__isnull=True)
        .first()
    )
    if current is None:
        raise ValidationError(f"{practice} is not in a PCN")
    require_permission(by, Permission.NETWORK_MEMBERSHIP_MANAGE, organisation=current.network)
    end_dated_record(
        by=by,
        record=current,
        end_date=end_date,
        action="end_network_membership",
        organisation=current.network,
        what="The membership",
    )
    return current


@transaction.atomic
def add_site(
    *,
    by: Any,
    organisation: Organisation,
    name: str,
    kind: str = "main",  # a SiteKind value
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    **details: Any,
) -> Site:
    require_permission(by, Permission.SITE_MANAGE, organisation=organisation)
    site = Site.objects.create(
        organisation=organisation,
        name=name,
        kind=kind,
        latitude=latitude,
        longitude=longitude,
        **details,
    )
    audit.record(
        by=by, action="add_site", obj=site, organisation=organisation, after=audit.snapshot(site)
    )
    return site


@dataclass(frozen=True)
class Band:
    sex: str
    age_from: int
    age_to: int | None
    patients: int


@transaction.atomic
def record_population_snapshot(
    *,
    by: Any,
    practice: Organisation,
    date: dt.date,
    registered: int,
    weighted: Decimal | None = None,
    adjusted: Decimal | None = None,
    bands: Iterable[Band] = (),
    source: str = "",
) -> PopulationSnapshot:
    """Record (or replace, for the same practice and date) a practice's population on a date."""
    require_permission(by, Permission.POPULATION_IMPORT, organisation=practice)
    existing = PopulationSnapshot.objects.filter(practice=practice, date=date).first()
    before = audit.snapshot(existing)
    snapshot, _ = PopulationSnapshot.objects.update_or_create(
        practice=practice,
        date=date,
        defaults={
            "registered": registered,
            "weighted": weighted,
            "adjusted": adjusted,
            "source": source,
        },
    )
    bands = list(bands)
    if bands:
        snapshot.bands.all().delete()
        PopulationBand.objects.bulk_create(
            PopulationBand(
                snapshot=snapshot,
                sex=b.sex,
                age_from=b.age_from,
                age_to=b.age_to,
                patients=b.patients,
            )
            for b in bands
        )
    audit.record(
        by=by,
        action="record_population_snapshot",
        obj=snapshot,
        organisation=practice,
        before=before,
        after=audit.snapshot(snapshot),
    )
    return snapshot


@transaction.atomic
def add_person(
    *, by: Any, organisation: Organisation, given_name: str, family_name: str, **details: Any
) -> Person:
    require_permission(by, Permission.PEOPLE_MANAGE, organisation=organisation)
    person = Person.objects.create(given_name=given_name, family_name=family_name, **details)
    audit.record(
        by=by,
        action="add_person",
        obj=person,
        organisation=organisation,
        after=audit.snapshot(person),
    )
    return person


@transaction.atomic
def appoint(
    *, by: Any, person: Person, organisation: Organisation, title: str, start_date: dt.date
) -> RoleHolding:
    """Give a person a role in an organisation. A new Clinical Director ends the previous one's term."""
    require_permission(by, Permission.PEOPLE_MANAGE, organisation=organisation)
    if title == RoleTitle.CLINICAL_DIRECTOR:
        if organisation.kind != OrganisationKind.NETWORK:
            raise ValidationError("A Clinical Director leads a PCN")
        for previous in RoleHolding.objects.select_for_update().filter(
            organisation=organisation, title=title, end_date__isnull=True
        ):
            end_role(by=by, holding=previous, end_date=start_date)
    holding = RoleHolding.objects.create(
        person=person, organisation=organisation, title=title, start_date=start_date
    )
    audit.record(
        by=by,
        action="appoint",
        obj=holding,
        organisation=organisation,
        after=audit.snapshot(holding),
    )
    return holding


@transaction.atomic
def end_role(*, by: Any, holding: RoleHolding, end_date: dt.date) -> RoleHolding:
    require_permission(by, Permission.PEOPLE_MANAGE, organisation=holding.organisation)
    end_dated_record(
        by=by,
        record=holding,
        end_date=end_date,
        action="end_role",
        organisation=holding.organisation,
        what="A role",
    )
    return holding


@transaction.atomic
def seat_on_board(
    *,
    by: Any,
    alliance: Organisation,
    person: Person,
    role: str = "member",  # a BoardRole value
    representing: Organisation | None = None,
    start_date: dt.date,
) -> BoardSeat:
    require_permission(by, Permission.BOARD_MANAGE, organisation=alliance)
    seat = BoardSeat.objects.create(
        alliance=alliance,
        person=person,
        role=role,
        representing=representing,
        start_date=start_date,
    )
    audit.record(
        by=by,
        action="seat_on_board",
        obj=seat,
        organisation=alliance,
        after=audit.snapshot(seat),
    )
    return seat


@transaction.atomic
def end_board_seat(*, by: Any, seat: BoardSeat, end_date: dt.date) -> BoardSeat:
    require_permission(by, Permission.BOARD_MANAGE, organisation=seat.alliance)
    end_dated_record(
        by=by,
        record=seat,
        end_date=end_date,
        action="end_board_seat",
        organisation=seat.alliance,
        what="A board seat",
    )
    return seat
