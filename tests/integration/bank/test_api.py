"""The JSON API: token authentication, offers, claims, and clear 4xx answers that change nothing."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openpcn.accounts import actions as accounts
from openpcn.bank import actions, pools
from openpcn.bank.models import ApiToken, Booking, CoverStatus
from openpcn.organisations import actions as registry
from openpcn.workforce import actions as workforce
from tests.integration.bank.conftest import NOW, claim_by_token
from tests.universe import PASSWORD, START


@pytest.fixture
def api(client, bank_world):
    def call(method, path, key="own", token=None, **body):
        if token is None:
            _, user = bank_world.claimers[key]
            _, token = actions.create_api_token(by=user, name="test")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if method == "get":
            return client.get(f"/api/v1{path}", **headers)
        return client.post(f"/api/v1{path}", data=body, content_type="application/json", **headers)

    return call


def test_api_lists_offers_and_claims_one(api, post):
    request = post()
    offers = api("get", "/offers").json()
    assert [o["id"] for o in offers] == [request.pk]
    assert offers[0]["site"] == "P1 Surgery"
    response = api("post", f"/offers/{request.pk}/claim", idempotency_key="api-claim-0001")
    assert response.status_code == 201
    assert response.json()["cover_request"] == request.pk
    again = api("post", f"/offers/{request.pk}/claim", idempotency_key="api-claim-0001")
    assert again.status_code == 200 and again.json()["repeated"] is True
    assert Booking.objects.count() == 1


def test_api_second_claimer_gets_409_already_filled(api, post, bank_world):
    request = post()
    assert (
        api("post", f"/offers/{request.pk}/claim", idempotency_key="first-claim-1").status_code
        == 201
    )
    # The locum's pool has not opened yet, and the session is filled anyway.
    response = api("post", f"/offers/{request.pk}/claim", key="pcn", idempotency_key="second-claim")
    assert response.status_code == 409
    assert response.json() == {
        "code": "already_filled",
        "detail": "Sorry, this session has already been filled",
    }


def test_api_losing_claim_is_answered_in_one_query(api, post, bank_world):
    """The losing path carries nearly all the load when many claim at once (benchmarks/bank)."""
    request = post()
    api("post", f"/offers/{request.pk}/claim", idempotency_key="first-claim-1")
    _, user = bank_world.claimers["pcn"]
    _, token = actions.create_api_token(by=user, name="test")
    with CaptureQueriesContext(connection) as queries:
        response = claim_by_token(token, request.pk, "second-claim")
    assert response.status_code == 409
    assert response.json() == {"code": "already_filled", "detail": actions.FILLED_MESSAGE}
    assert response["Content-Length"] == str(len(response.content))  # keep-alive clients need it
    # bank.middleware: the token, the claimer's right to claim and the session's state at once.
    assert len(queries.captured_queries) == 1, [q["sql"][:80] for q in queries.captured_queries]


def test_api_winning_claim_reads_a_fixed_handful_of_queries(api, post, bank_world):
    """Winners set how long the first second of a burst lasts (docs/benchmarks/bank-claims.md)."""
    request = post()
    pools.policy_for(bank_world.north)  # the alliance's timings exist, as they do once used
    _, user = bank_world.claimers["own"]
    _, token = actions.create_api_token(by=user, name="test")
    with CaptureQueriesContext(connection) as queries:
        response = claim_by_token(token, request.pk, "winning-claim")
    assert response.status_code == 201
    run = [
        q["sql"][:60]
        for q in queries.captured_queries
        if not q["sql"].startswith(("PREPARE", "SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    # Fast lane (one read, and on PostgreSQL the wait for a claim in flight), token, memberships,
    # the request and the claimer locked, pool facts (3) and timings, other work (2), 3 writes.
    assert len(run) == (15 if connection.vendor == "postgresql" else 14), "\n".join(run)


def test_api_retried_winning_claim_gets_its_booking_not_already_filled(api, post):
    request = post()
    first = api("post", f"/offers/{request.pk}/claim", idempotency_key="first-claim-1")
    again = api("post", f"/offers/{request.pk}/claim", idempotency_key="first-claim-1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]


def test_api_filled_session_with_a_revoked_token_is_unauthorised(api, post, bank_world):
    request = post()
    api("post", f"/offers/{request.pk}/claim", idempotency_key="first-claim-1")
    _, user = bank_world.claimers["pcn"]
    token, raw = actions.create_api_token(by=user, name="test")
    actions.revoke_api_token(by=user, token=token)
    response = api("post", f"/offers/{request.pk}/claim", token=raw, idempotency_key="second-claim")
    assert response.status_code == 401


def test_api_filled_session_is_not_shown_as_filled_outside_its_alliance(api, post, bank_world):
    """Another alliance's session is "no such session", filled or not."""
    request = post()
    api("post", f"/offers/{request.pk}/claim", idempotency_key="first-claim-1")
    person = registry.add_person(
        by=None, organisation=bank_world.q1, given_name="South", family_name="Doctor"
    )
    workforce.add_staff_member(by=None, person=person, home_practice=bank_world.q1)
    south = accounts.create_user(by=None, username="gp_south", password=PASSWORD, person=person)
    accounts.grant_membership(
        by=None, user=south, organisation=bank_world.q1, role="clinician", start_date=START
    )
    _, token = actions.create_api_token(by=south, name="test")
    response = api(
        "post", f"/offers/{request.pk}/claim", token=token, idempotency_key="south-claim-1"
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_api_filled_session_refuses_an_account_that_may_not_claim(api, post, bank_world):
    request = post()
    api("post", f"/offers/{request.pk}/claim", idempotency_key="first-claim-1")
    manager = bank_world.users["practice_manager"]
    _, token = actions.create_api_token(by=manager, name="test")
    response = api(
        "post", f"/offers/{request.pk}/claim", token=token, idempotency_key="manager-claim-1"
    )
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_api_offers_list_reads_a_fixed_number_of_queries(api, post, bank_world):
    """Claimers re-read offers after each refusal, so the list must not cost a query per offer."""
    _, user = bank_world.claimers["locum"]
    _, token = actions.create_api_token(by=user, name="test")
    post(posted=NOW - dt.timedelta(days=1))

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            offers = api("get", "/offers", token=token).json()
        return len(offers), len(queries.captured_queries)

    one, queries_for_one = count()
    for days in range(4, 14):
        post(days=days, posted=NOW - dt.timedelta(days=1))
    eleven, queries_for_eleven = count()
    assert (one, eleven) == (1, 11)
    assert queries_for_eleven == queries_for_one


def test_api_rejects_bad_input_and_changes_nothing(api, post):
    request = post()
    assert api("post", "/offers/abc/claim", idempotency_key="x" * 10).status_code == 422
    assert api("post", f"/offers/{request.pk}/claim").status_code == 422  # no key
    assert api("post", f"/offers/{request.pk}/claim", idempotency_key="short").status_code == 422
    unknown = api("post", "/offers/999999/claim", idempotency_key="unknown-offer")
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    request.refresh_from_db()
    assert request.status == CoverStatus.OPEN and not Booking.objects.exists()


def test_api_refuses_missing_expired_and_revoked_tokens(api, bank_world, client):
    assert client.get("/api/v1/offers").status_code == 401
    assert api("get", "/offers", token="not-a-token").status_code == 401
    _, user = bank_world.claimers["own"]
    token, raw = actions.create_api_token(by=user, name="old")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert api("get", "/offers", token=raw).status_code == 401
    token, raw = actions.create_api_token(by=user, name="revoked")
    actions.revoke_api_token(by=user, token=token)
    assert api("get", "/offers", token=raw).status_code == 401


def test_api_withdraw_only_own_bookings(api, post):
    request = post()
    booking_id = api("post", f"/offers/{request.pk}/claim", idempotency_key="to-withdraw").json()[
        "id"
    ]
    assert api("post", f"/bookings/{booking_id}/withdraw", key="pcn").status_code == 404
    response = api("post", f"/bookings/{booking_id}/withdraw")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"


def test_api_publishes_an_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["version"] == "1"
    assert "/api/v1/offers/{offer_id}/claim" in schema["paths"]
    assert "BearerToken" in str(schema["components"]["securitySchemes"])
