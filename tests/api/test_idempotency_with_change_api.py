"""The hold's and the confirmation's Idempotency-Key kept on their order
(kernel/services/idempotency_claims.py, web/idempotency.py `run_with_change`): a mark per key,
written with the change or not at all; a retry answered by reference with the order as it
stands; another body refused; a refusal not remembered."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_orders_api import hotel, order_body  # noqa: F401 - the fixture
from tests.api.test_payments_api import setup_shop

PUBLIC_BODY = {
    "customer": {"name": "Ada", "email": "ada@example.com"},
    "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}],
}


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def records(api, tenant):
    return api.container.tenant_data.data[tenant["tenant_id"]].idempotency.records


def stored_order(api, tenant, order_id):
    return api.container.tenant_data.data[tenant["tenant_id"]].orders.orders[order_id]


def post(api, tenant, path, key, body=None):
    return api.call(
        "POST", path, auth=tenant["secret_key"], body=body, headers={"Idempotency-Key": key}
    )


def test_a_hold_writes_its_key_with_the_order_and_a_retry_gets_the_order_as_it_stands(api, hotel):  # noqa: F811
    first = post(api, hotel, "/v1/orders", "hold-1", order_body())
    assert first.status_code == 201, first.body
    assert "Idempotent-Replayed" not in first.headers
    # No record of its own: the order remembers the request (a mark of the key and the body).
    assert not records(api, hotel)
    assert len(stored_order(api, hotel, first.data["id"]).request_keys) == 1
    data = api.container.tenant_data.data[hotel["tenant_id"]]
    commits = data.orders.commits

    confirmed = post(api, hotel, f"/v1/orders/{first.data['id']}/confirm", "confirm-1", {})
    assert confirmed.status_code == 200, confirmed.body
    again = post(api, hotel, "/v1/orders", "hold-1", order_body())

    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.data["id"] == first.data["id"]
    assert again.data["status"] == "confirmed" and again.headers["ETag"] == '"2"'
    assert data.orders.commits == commits + 1  # the confirmation; the retry wrote nothing
    assert data.orders.buckets[("res_double", "N#2026-12-24")] == 1
    assert len(data.orders.orders) == 1
    assert len(stored_order(api, hotel, first.data["id"]).request_keys) == 2  # and the confirm's


def test_another_body_under_the_key_is_refused_and_changes_nothing(api, hotel):  # noqa: F811
    first = post(api, hotel, "/v1/orders", "hold-2", order_body())
    other = post(api, hotel, "/v1/orders", "hold-2", order_body(nights=1))
    assert_error(other, 422, "idempotency_key_reused")
    # The key of a hold sent to another route is another request too.
    confirm = post(api, hotel, f"/v1/orders/{first.data['id']}/confirm", "hold-2", {})
    assert_error(confirm, 422, "idempotency_key_reused")
    got = api.call("GET", f"/v1/orders/{first.data['id']}", auth=hotel["secret_key"]).data
    assert got["status"] == "held" and got["version"] == 1


def test_a_refused_hold_is_not_remembered_so_its_retry_decides_again(api, hotel):  # noqa: F811
    # Two rooms: two holds take them, the third is refused, and after one is cancelled the
    # third's retry under the same key and body holds a room.
    a = post(api, hotel, "/v1/orders", "a", order_body()).data
    post(api, hotel, "/v1/orders", "b", order_body())
    refused = post(api, hotel, "/v1/orders", "c", order_body())
    assert_error(refused, 409)
    assert not any(k.endswith("#c") for k in records(api, hotel))
    api.call("POST", f"/v1/orders/{a['id']}/cancel", auth=hotel["secret_key"], body={})

    retried = post(api, hotel, "/v1/orders", "c", order_body())

    assert retried.status_code == 201, retried.body
    assert "Idempotent-Replayed" not in retried.headers


def test_a_confirmation_retried_after_a_cancellation_answers_the_order_as_it_stands(api, hotel):  # noqa: F811
    order = post(api, hotel, "/v1/orders", "h", order_body()).data
    path = f"/v1/orders/{order['id']}"
    first = post(api, hotel, f"{path}/confirm", "conf", {})
    assert first.status_code == 200 and first.data["status"] == "confirmed"
    api.call("POST", f"{path}/cancel", auth=hotel["secret_key"], body={})

    again = post(api, hotel, f"{path}/confirm", "conf", {})

    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.data["status"] == "cancelled"
    # A new key is a new request: a cancelled order cannot be confirmed.
    assert_error(post(api, hotel, f"{path}/confirm", "conf-2", {}), 409, "illegal_transition")


def test_a_stale_if_match_retry_of_a_confirmation_is_answered_not_refused(api, hotel):  # noqa: F811
    order = post(api, hotel, "/v1/orders", "h", order_body()).data
    path = f"/v1/orders/{order['id']}/confirm"
    headers = {"Idempotency-Key": "conf-im", "If-Match": '"1"'}
    first = api.call("POST", path, auth=hotel["secret_key"], body={}, headers=headers)
    again = api.call("POST", path, auth=hotel["secret_key"], body={}, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true" and again.data["version"] == 2


def test_a_key_remembered_apart_before_keys_rode_on_orders_is_still_replayed(api, hotel):  # noqa: F811
    # A hold whose key was claimed and answered the old way (its order does not know the
    # key) and retried after: the stored answer, as it was; a record written with the change
    # (the way before this one: state done, no answer) answers by reference.
    first = post(api, hotel, "/v1/orders", "old", order_body())
    order_id = first.data["id"]
    data = api.container.tenant_data.data[hotel["tenant_id"]]
    data.orders.orders[order_id] = replace(data.orders.orders[order_id], request_keys=())
    key = _scoped(api, hotel, "old")
    stored = {"status": 201, "headers": {"Content-Type": "application/json"}, "body": '{"id":"x"}'}
    digest = _hash_of(api, hotel, order_body())
    records(api, hotel)[key] = {"state": "done", "request_hash": digest, "response": stored}

    again = post(api, hotel, "/v1/orders", "old", order_body())

    assert again.status_code == 201 and again.body == b'{"id":"x"}' and order_id != "x"
    assert again.headers["Idempotent-Replayed"] == "true"
    records(api, hotel)[key] = {"state": "done", "request_hash": digest}
    by_reference = post(api, hotel, "/v1/orders", "old", order_body())
    assert by_reference.status_code == 201 and by_reference.data["id"] == order_id
    assert by_reference.headers["Idempotent-Replayed"] == "true"
    assert_error(post(api, hotel, "/v1/orders", "old", order_body(nights=1)), 422)


def test_the_widget_retry_gets_its_order_and_manage_token_and_a_confirmation_checks_it(api):
    shop = setup_shop(api, "harbour", connected=False)
    pk = shop["publishable_key"]
    headers = {"Idempotency-Key": "w-1"}
    first = api.call("POST", "/v1/public/orders", auth=pk, body=PUBLIC_BODY, headers=headers)
    again = api.call("POST", "/v1/public/orders", auth=pk, body=PUBLIC_BODY, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert (again.data["id"], again.data["manage_token"]) == (
        first.data["id"],
        first.data["manage_token"],
    )
    path = f"/v1/public/orders/{first.data['id']}/confirm"
    mine = {"Idempotency-Key": "w-c", "X-Manage-Token": first.data["manage_token"]}
    confirmed = api.call("POST", path, auth=pk, body={}, headers=mine)
    assert confirmed.status_code == 200 and confirmed.data["status"] == "confirmed"
    # The same key and body with a forged token: the replay shows the order only to its token.
    forged = {**mine, "X-Manage-Token": "m1.9999999999.forged"}
    assert_error(api.call("POST", path, auth=pk, body={}, headers=forged), 404)
    replayed = api.call("POST", path, auth=pk, body={}, headers=mine)
    assert replayed.status_code == 200 and replayed.headers["Idempotent-Replayed"] == "true"


def test_a_lost_holds_look_finds_it_and_makes_none_when_none_was_made(api):
    """`Idempotency-Replay: only`: the widget, its Book's answer lost, finds the hold to give
    it back; resending the request itself made a hold when the first never arrived."""
    shop = setup_shop(api, "harbour", connected=False)
    pk = shop["publishable_key"]
    look = {"Idempotency-Key": "w-look", "Idempotency-Replay": "only"}
    data = api.container.tenant_data.data[shop["tenant_id"]]

    never = api.call("POST", "/v1/public/orders", auth=pk, body=PUBLIC_BODY, headers=look)
    assert_error(never, 404, "attempt_not_made")
    assert not data.orders.orders and not data.orders.buckets.get(("res_double", "N#2026-12-24"))

    made = api.call(
        "POST",
        "/v1/public/orders",
        auth=pk,
        body=PUBLIC_BODY,
        headers={"Idempotency-Key": "w-look"},
    )
    assert made.status_code == 201, made.body
    found = api.call("POST", "/v1/public/orders", auth=pk, body=PUBLIC_BODY, headers=look)
    assert found.status_code == 201 and found.headers["Idempotent-Replayed"] == "true"
    assert (found.data["id"], found.data["manage_token"]) == (
        made.data["id"],
        made.data["manage_token"],
    )
    other = {**PUBLIC_BODY, "note": "another request"}
    reused = api.call("POST", "/v1/public/orders", auth=pk, body=other, headers=look)
    assert_error(reused, 422, "idempotency_key_reused")
    assert len(data.orders.orders) == 1

    # A look is never a request: without a key, or saying anything but `only`, it is refused.
    for headers in ({"Idempotency-Replay": "only"}, {**look, "Idempotency-Replay": "yes"}):
        refused = api.call("POST", "/v1/public/orders", auth=pk, body=PUBLIC_BODY, headers=headers)
        assert_error(refused, 422, "invalid_idempotency_replay")
    assert len(data.orders.orders) == 1

    # The confirmation the same: looked for before it was sent, nothing confirmed by looking.
    path = f"/v1/public/orders/{made.data['id']}/confirm"
    mine = {"Idempotency-Key": "w-look-c", "X-Manage-Token": made.data["manage_token"]}
    early = api.call("POST", path, auth=pk, body={}, headers={**mine, **look, **mine})
    assert_error(early, 404, "attempt_not_made")
    got = api.call("GET", f"/v1/orders/{made.data['id']}", auth=shop["secret_key"]).data
    assert got["status"] == "held"
    assert api.call("POST", path, auth=pk, body={}, headers=mine).status_code == 200
    later = api.call("POST", path, auth=pk, body={}, headers={**mine, "Idempotency-Replay": "only"})
    assert later.status_code == 200 and later.data["status"] == "confirmed"


def test_a_look_sent_to_a_route_that_keeps_no_key_with_its_change_is_refused_unmade(api, hotel):  # noqa: F811
    """A reviewer's: there the header was ignored, and the cancel it was sent with was made."""
    order = post(api, hotel, "/v1/orders", "h-look", order_body()).data
    look = {"Idempotency-Key": "c-look", "Idempotency-Replay": "only"}
    path = f"/v1/orders/{order['id']}/cancel"
    refused = api.call("POST", path, auth=hotel["secret_key"], body={}, headers=look)
    assert_error(refused, 422, "invalid_idempotency_replay")
    got = api.call("GET", f"/v1/orders/{order['id']}", auth=hotel["secret_key"]).data
    assert got["status"] == "held"


def test_a_look_spends_no_budget_of_the_request_it_looks_for(api):
    """A reviewer's: two looks used the address's two holds a minute, and the guest's Book
    was then 429."""
    shop = setup_shop(api, "harbour", connected=False)
    patch = {"public_limits": {"holds_per_minute_per_address": 2}}
    assert api.call("PATCH", "/v1/tenant", auth=shop["secret_key"], body=patch).status_code == 200
    pk = shop["publishable_key"]
    for n in range(3):
        look = {"Idempotency-Key": f"w-b{n}", "Idempotency-Replay": "only"}
        r = api.call("POST", "/v1/public/orders", auth=pk, body=PUBLIC_BODY, headers=look)
        assert_error(r, 404, "attempt_not_made")
    booked = api.call("POST", "/v1/public/orders", auth=pk, body=PUBLIC_BODY)
    assert booked.status_code == 201, booked.body


def test_a_retried_widget_hold_does_not_undo_revoked_links(api):
    shop = setup_shop(api, "harbour", connected=False)
    pk, headers = shop["publishable_key"], {"Idempotency-Key": "w-rev"}
    first = api.call("POST", "/v1/public/orders", auth=pk, body=PUBLIC_BODY, headers=headers)
    order_id, token = first.data["id"], first.data["manage_token"]
    path = f"/v1/orders/{order_id}/manage-links/revoke"
    assert api.call("POST", path, auth=shop["secret_key"], body={}).status_code == 200

    again = api.call("POST", "/v1/public/orders", auth=pk, body=PUBLIC_BODY, headers=headers)

    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.data["id"] == order_id and again.data.get("manage_token") is None
    view = api.call("GET", f"/v1/public/orders/{order_id}?token={token}", auth=pk)
    assert_error(view, 404)


def test_widget_retries_are_answered_before_the_contact_budget_is_spent(api):
    # Two open holds per contact: the hold and three retries of it leave the budget as the
    # hold alone did, so the customer's second real booking is not refused for the budget.
    shop = setup_shop(api, "harbour", connected=False)
    patch = {"public_limits": {"holds_per_contact": 2}}
    assert api.call("PATCH", "/v1/tenant", auth=shop["secret_key"], body=patch).status_code == 200
    pk, headers = shop["publishable_key"], {"Idempotency-Key": "w-budget"}
    first = api.call("POST", "/v1/public/orders", auth=pk, body=PUBLIC_BODY, headers=headers)
    assert first.status_code == 201, first.body
    for _ in range(3):
        again = api.call("POST", "/v1/public/orders", auth=pk, body=PUBLIC_BODY, headers=headers)
        assert again.headers["Idempotent-Replayed"] == "true"
    other = {**PUBLIC_BODY, "lines": [{**PUBLIC_BODY["lines"][0], "check_in": "2026-12-28"}]}
    second = api.call("POST", "/v1/public/orders", auth=pk, body=other)
    assert second.status_code == 201, second.body


def test_a_claim_the_other_way_still_running_is_not_waited_for(api, hotel):  # noqa: F811
    # A hold whose key was claimed the old way by a request still running (or dead): the order
    # its id derives from can be placed once only, so this request does not wait for it.
    store = api.container.tenant_data.data[hotel["tenant_id"]].idempotency
    body = order_body(nights=1)
    scoped = _scoped(api, hotel, "running")
    assert store.claim(scoped, _hash_of(api, hotel, body), api.container.clock()) is None

    placed = post(api, hotel, "/v1/orders", "running", body)
    again = post(api, hotel, "/v1/orders", "running", body)

    assert placed.status_code == 201, placed.body
    assert "Idempotent-Replayed" not in placed.headers
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.data["id"] == placed.data["id"]


def _scoped(api, tenant, key):
    """The key as the pipeline scopes it to the caller: the tenant's secret key, whose label
    a hold of its own shows in its history."""
    from chalicelib.web.idempotency import scoped_key

    probe = post(api, tenant, "/v1/orders", f"probe-{key}", order_body(check_in="2026-12-20"))
    [(_, _, actor)] = stored_order(api, tenant, probe.data["id"]).history
    return scoped_key(actor, key)


def _hash_of(api, tenant, body):
    from chalicelib.web.idempotency import request_hash

    return request_hash("POST", "/v1/orders", json.dumps(body).encode())
