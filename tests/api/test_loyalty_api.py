"""Loyalty points over HTTP: managers set the programme, a completed booking earns (once,
however often its event comes), staff read a customer's balance and ledger by e-mail, staff
and secret keys spend points on a booking, the widget only with proof of the customer's own
address (test_points_proof_api.py), and the manage page shows the points only with it."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.api.test_coupons_api import book, open_inn
from tests.api.test_notifications_api import deliver_events

PROGRAMME = {"enabled": True, "points_per_unit": 1, "point_value": 10, "expiry_months": 12}


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def inn(api):
    tenant = open_inn(api, "points-inn")
    r = api.call("PUT", "/v1/loyalty/programme", auth=tenant["secret_key"], body=PROGRAMME)
    assert r.status_code == 200, r.body
    return tenant


def complete(api, inn, order_id):
    for step in ("confirm", "check-in", "complete"):
        body = {"early": True} if step == "check-in" else {}
        if step == "complete":
            body = {"leave_balance_open": True}
        r = api.call("POST", f"/v1/orders/{order_id}/{step}", auth=inn["secret_key"], body=body)
        assert r.status_code == 200, (step, r.body)


def balance(api, inn, email="ada@example.com"):
    r = api.call("GET", f"/v1/loyalty/balance?email={email}", auth=inn["secret_key"])
    assert r.status_code == 200, r.body
    return r.data


def earned(api, inn) -> dict:
    """Ada's completed stay of 240.00: 240 points, worth 24.00."""
    order = book(api, inn).data
    complete(api, inn, order["id"])
    for _ in range(3):  # the events delivered three times: earned once
        assert deliver_events(api) == {"batchItemFailures": []}
    return order


def test_managers_set_the_programme_and_every_role_reads_it(api, inn):
    r = api.call("GET", "/v1/loyalty/programme", auth=api.staff_token(inn, "viewer"))
    assert r.status_code == 200 and {k: r.data[k] for k in PROGRAMME} == PROGRAMME
    staff = api.staff_token(inn, "staff")
    before = snapshot(api.container)
    assert_error(api.call("PUT", "/v1/loyalty/programme", auth=staff, body=PROGRAMME), 403)
    bad = {**PROGRAMME, "point_value": 0}
    assert_error(api.call("PUT", "/v1/loyalty/programme", auth=inn["secret_key"], body=bad), 422)
    assert snapshot(api.container) == before


def test_a_completed_booking_earns_once_and_the_ledger_says_so(api, inn):
    order = earned(api, inn)
    view = balance(api, inn, "ADA@example.com")
    assert (view["points"], view["value"], view["currency"]) == (240, 2400, "EUR")
    assert [(e["movement"], e["points"], e["order_id"]) for e in view["ledger"]] == [
        ("earned", 240, order["id"])
    ]
    assert balance(api, inn, "bo@example.com")["points"] == 0


def test_staff_spend_points_on_a_booking_and_a_cancellation_gives_them_back(api, inn):
    earned(api, inn)
    r = book(api, inn, points=100)
    assert r.status_code == 201, r.body
    assert r.data["totals"]["total"] == 24000 - 1000
    assert balance(api, inn)["points"] == 140
    before = snapshot(api.container)
    assert_error(book(api, inn, points=141), 409, "points_insufficient")
    assert snapshot(api.container) == before
    cancel = api.call("POST", f"/v1/orders/{r.data['id']}/cancel", auth=inn["secret_key"], body={})
    assert cancel.status_code == 200
    for _ in range(3):
        deliver_events(api)
    assert balance(api, inn)["points"] == 240


def test_the_widget_spends_points_only_with_proof_of_the_customers_own_address(api, inn):
    earned(api, inn)
    key = inn["publishable_key"]
    path = "/v1/public/orders"
    assert_error(book(api, inn, path=path, auth=key, points=50), 403, "points_need_proof")
    # Someone else's booking and its token prove nothing about Ada.
    bo = book(api, inn, path=path, auth=key, email="bo@example.com").data
    stranger = {"order_id": bo["id"], "manage_token": bo["manage_token"]}
    refused = book(api, inn, path=path, auth=key, points=50, points_proof=stranger)
    assert_error(refused, 403, "points_need_proof")
    # Nor does a hold under her address: anyone may type it (the outside probe's defect 3).
    # Her e-mail's link proves it (test_points_proof_api.py).
    typed = book(api, inn, path=path, auth=key).data
    proof = {"order_id": typed["id"], "manage_token": typed["manage_token"]}
    r = book(api, inn, path=path, auth=key, points=50, points_proof=proof)
    assert_error(r, 403, "points_need_proof")
    assert balance(api, inn)["points"] == 240


def test_the_manage_page_shows_no_points_for_a_hold_answers_token_alone(api, inn):
    earned(api, inn)
    own = book(api, inn, path="/v1/public/orders", auth=inn["publishable_key"]).data
    r = api.call(
        "GET",
        f"/v1/public/orders/{own['id']}/points",
        auth=inn["publishable_key"],
        headers={"X-Manage-Token": own["manage_token"]},
    )
    assert_error(r, 403, "email_link_required")
    wrong = api.call(
        "GET",
        f"/v1/public/orders/{own['id']}/points?token=not-a-real-token",
        auth=inn["publishable_key"],
    )
    assert_error(wrong, 404)
