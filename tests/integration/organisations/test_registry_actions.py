import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from openpcn.core.models import AuditEvent
from openpcn.organisations import actions, queries
from openpcn.organisations.models import NetworkMembership, RoleHolding, RoleTitle


def test_join_network_ends_old_membership_and_keeps_history(universe):
    admin = universe.users["alliance_admin"]
    moved = actions.join_network(
        by=admin, practice=universe.p2, network=universe.n2, start_date=dt.date(2025, 4, 1)
    )
    history = list(NetworkMembership.objects.filter(practice=universe.p2).order_by("start_date"))
    assert [(m.network_id, m.start_date, m.end_date) for m in history] == [
        (universe.n1.pk, dt.date(2020, 4, 1), dt.date(2025, 4, 1)),
        (universe.n2.pk, dt.date(2025, 4, 1), None),
    ]
    assert moved == history[1]
    assert queries.current_network(universe.p2, dt.date(2025, 3, 31)) == universe.n1
    assert queries.current_network(universe.p2, dt.date(2025, 4, 1)) == universe.n2
    events = AuditEvent.objects.filter(actor=admin).order_by("pk")
    assert [e.action for e in events] == ["end_network_membership", "join_network"]
    assert events[0].before["end_date"] is None
    assert events[0].after["end_date"] == "2025-04-01"


def test_join_network_needs_permission_in_both_pcns(universe):
    with pytest.raises(PermissionDenied):
        actions.join_network(
            by=universe.users["pcn_manager"],
            practice=universe.p3,
            network=universe.n1,
            start_date=dt.date(2025, 4, 1),
        )
    assert queries.current_network(universe.p3) == universe.n2
    assert not AuditEvent.objects.filter(action="join_network", actor__isnull=False).exists()


def test_join_network_rejects_a_move_before_the_current_start(universe):
    with pytest.raises(ValidationError):
        actions.join_network(
            by=None, practice=universe.p1, network=universe.n2, start_date=dt.date(2019, 1, 1)
        )


def test_join_network_database_allows_one_open_membership_per_practice(universe):
    with pytest.raises(IntegrityError), transaction.atomic():
        NetworkMembership.objects.create(
            practice=universe.p1, network=universe.n2, start_date=dt.date(2024, 1, 1)
        )


def test_appoint_new_clinical_director_ends_the_previous_term(universe):
    first = actions.add_person(by=None, organisation=universe.n1, given_name="A", family_name="One")
    second = actions.add_person(
        by=None, organisation=universe.n1, given_name="B", family_name="Two"
    )
    actions.appoint(
        by=None,
        person=first,
        organisation=universe.n1,
        title=RoleTitle.CLINICAL_DIRECTOR,
        start_date=dt.date(2021, 1, 1),
    )
    actions.appoint(
        by=None,
        person=second,
        organisation=universe.n1,
        title=RoleTitle.CLINICAL_DIRECTOR,
        start_date=dt.date(2024, 1, 1),
    )
    terms = RoleHolding.objects.filter(title=RoleTitle.CLINICAL_DIRECTOR).order_by("start_date")
    assert [(t.person, t.end_date) for t in terms] == [(first, dt.date(2024, 1, 1)), (second, None)]
    assert queries.clinical_director(universe.n1).person == second


def test_update_practice_is_audited_with_before_and_after(universe):
    manager = universe.users["practice_manager"]
    actions.update_practice(by=manager, practice=universe.p1, name="P1 Medical Centre")
    event = AuditEvent.objects.get(action="update_practice")
    assert event.actor == manager
    assert event.organisation_id == universe.p1.pk
    assert (event.before["name"], event.after["name"]) == ("P1 Surgery", "P1 Medical Centre")


def test_update_practice_outside_scope_is_denied(universe):
    with pytest.raises(PermissionDenied):
        actions.update_practice(
            by=universe.users["practice_manager"], practice=universe.p2, name="Renamed"
        )


def test_record_population_snapshot_replaces_the_same_date(universe):
    date = dt.date(2026, 1, 1)
    actions.record_population_snapshot(
        by=None,
        practice=universe.p1,
        date=date,
        registered=1234,
        bands=[actions.Band("female", 0, 4, 600), actions.Band("male", 0, 4, 634)],
    )
    snapshot = universe.p1.population_snapshots.get(date=date)
    assert snapshot.registered == 1234
    assert sorted(b.patients for b in snapshot.bands.all()) == [600, 634]


def test_audit_events_cannot_be_changed_or_deleted(universe):
    event = AuditEvent.objects.first()
    event.action = "forged"
    with pytest.raises(Exception, match="append-only|cannot be changed"):
        event.save()
    with pytest.raises(Exception, match="append-only|cannot be"):
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(Exception, match="cannot be deleted"):
        event.delete()


def test_audit_events_refused_by_the_database_itself(universe):
    from django.db import connection

    event = AuditEvent.objects.first()
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_auditevent SET action = 'forged' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.action != "forged"


def test_organisation_tree_rolls_up_list_sizes(universe):
    roots = queries.organisation_tree(universe.users["alliance_admin"])
    assert [r.organisation for r in roots] == [universe.north]
    (place,) = roots[0].children
    assert [(n.organisation.name, n.list_size) for n in place.children] == [
        ("N1 PCN", 3000),
        ("N2 PCN", 3000),
    ]
    assert roots[0].list_size == 6000
    assert roots[0].practice_count == 3


def test_national_imports_need_an_alliance_role(universe, tmp_path):
    from openpcn.organisations.importers.list_sizes import import_list_sizes

    path = tmp_path / "sizes.csv"
    path.write_text(
        "PUBLICATION,EXTRACT_DATE,ORG_TYPE,ORG_CODE,ONS_CODE,POSTCODE,SEX,AGE_GROUP_5,"
        "NUMBER_OF_PATIENTS\nGP_PRAC_PAT_LIST,01SEP2017,GP,P00001,,AB1 2CD,ALL,ALL,10\n"
    )
    with pytest.raises(PermissionDenied):
        import_list_sizes(by=universe.users["pcn_manager"], path=path)
    import_list_sizes(by=universe.users["alliance_analyst"], path=path)
    assert universe.p1.population_snapshots.filter(registered=10).exists()


def test_leave_network_keeps_history_and_refuses_an_end_before_the_start(universe):
    with pytest.raises(ValidationError, match="The membership must end after it started"):
        actions.leave_network(by=None, practice=universe.p1, end_date=dt.date(2019, 1, 1))
    actions.leave_network(by=None, practice=universe.p1, end_date=dt.date(2026, 1, 1))
    assert queries.current_network(universe.p1, dt.date(2026, 1, 1)) is None
    assert queries.current_network(universe.p1, dt.date(2025, 12, 31)) == universe.n1
    assert AuditEvent.objects.filter(action="end_network_membership").count() == 1
