"""Money at the desk: staff record cash, a card terminal, a transfer or a gift card on an order,
and hand money back the same way. The order's payment status and balance follow; nothing goes
to Stripe; a retried request records nothing twice; bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.catalog.domain.catalog import DepositKind
from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.api.test_key_roles_api import make_key
from tests.api.test_payments_api import setup_shop


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def shop(api) -> dict[str, Any]:
    """A hotel paid at the venue: 2 nights at 120.00 with 7 % tax, no deposit online."""
    return setup_shop(api, "desk-inn", connected=False, deposit=DepositKind.NONE)


def booked(api, shop) -> dict[str, Any]:
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}],
    }
    r = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body)
    assert r.status_code == 201, r.body
    confirmed = api.call("POST", f"/v1/orders/{r.data['id']}/confirm", auth=shop["secret_key"])
    assert confirmed.status_code == 200, confirmed.body
    return confirmed.data


def take(api, shop, order_id: str, key: str | None = None, auth: str | None = None, **body):
    headers = {"Idempotency-Key": key} if key else {}
    return api.call(
        "POST",
        f"/v1/orders/{order_id}/payments",
        auth=auth or shop["secret_key"],
        body=body,
        headers=headers,
    )


def money(api, shop, order_id: str) -> dict[str, Any]:
    return api.call("GET", f"/v1/orders/{order_id}/payments", auth=shop["secret_key"]).data


def test_cash_then_the_card_terminal_pay_the_order_and_the_balance_follows(api, shop):
    order = booked(api, shop)
    total = order["totals"]["total"]
    assert (money(api, shop, order["id"])["balance"], order["payment_status"]) == (total, "unpaid")

    first = take(api, shop, order["id"], amount=5000, method="cash", reference="R-17")

    assert first.status_code == 201, first.body
    assert (first.data["balance"], first.data["payment_status"]) == (total - 5000, "partially_paid")
    [cash] = first.data["payments"]
    assert (cash["method"], cash["reference"], cash["received"]) == ("cash", "R-17", 5000)
    assert cash["kind"] == "desk" and cash["taken_by"]
    rest = take(api, shop, order["id"], amount=total - 5000, method="card_terminal")
    assert (rest.data["balance"], rest.data["payment_status"]) == (0, "paid")
    got = api.call("GET", f"/v1/orders/{order['id']}", auth=shop["secret_key"]).data
    assert got["payment_status"] == "paid"
    assert api.container.gateway.calls == []  # nothing went to Stripe


def test_a_retried_request_records_the_payment_once(api, shop):
    order = booked(api, shop)

    for _ in range(3):
        r = take(api, shop, order["id"], key="till-42", amount=1000, method="cash")
        assert r.status_code == 201, r.body

    assert [p["amount"] for p in money(api, shop, order["id"])["payments"]] == [1000]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"amount": 10**9, "method": "cash"}, 422, "payment_too_large"),
        ({"amount": 0, "method": "cash"}, 422, "validation_failed"),
        ({"amount": 100, "method": "online"}, 422, "validation_failed"),
        ({"amount": 100, "method": "cash", "reference": "a\nb"}, 422, "validation_failed"),
        ({"amount": 100}, 422, "validation_failed"),
    ],
)
def test_bad_desk_payments_are_refused_and_change_nothing(api, shop, body, status, code):
    order = booked(api, shop)
    before = snapshot(api.container)

    assert_error(take(api, shop, order["id"], **body), status, code)

    assert snapshot(api.container) == before


def test_a_viewer_records_no_money_and_staff_may(api, shop):
    order = booked(api, shop)
    viewer = make_key(api, shop["secret_key"], role="viewer")["key"]
    staff = make_key(api, shop["secret_key"], role="staff")["key"]

    assert take(api, shop, order["id"], auth=viewer, amount=100, method="cash").status_code == 403
    assert take(api, shop, order["id"], auth=staff, amount=100, method="cash").status_code == 201


def test_money_handed_back_at_the_desk_is_recorded_and_never_sent_to_stripe(api, shop):
    order = booked(api, shop)
    take(api, shop, order["id"], amount=8000, method="cash")
    refund = {"amount": 3000, "reason": "Breakfast not served", "method": "cash"}

    r = api.call("POST", f"/v1/orders/{order['id']}/refunds", auth=shop["secret_key"], body=refund)

    assert r.status_code == 201, r.body
    total = order["totals"]["total"]
    assert (r.data["refunded"], r.data["balance"]) == (3000, total - 5000)
    assert (r.data["refundable"], r.data["refundable_online"]) == (5000, 0)
    assert r.data["payment_status"] == "partially_paid"
    [back] = r.data["refunds"]
    assert (back["method"], back["status"], back["amount"]) == ("cash", "succeeded", 3000)
    too_much = {"amount": 5001, "reason": "x", "method": "cash"}
    over = api.call(
        "POST", f"/v1/orders/{order['id']}/refunds", auth=shop["secret_key"], body=too_much
    )
    assert_error(over, 422, "refund_too_large")
    # Stripe refunds only what came online: here nothing did.
    online = {"amount": 100, "reason": "x"}
    r = api.call("POST", f"/v1/orders/{order['id']}/refunds", auth=shop["secret_key"], body=online)
    assert_error(r, 422, "refund_too_large")
    assert api.container.gateway.calls == []


def test_a_hold_that_ran_out_takes_no_money(api, shop):
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}],
    }
    held = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body).data
    api.container.clock.advance(16 * 60)  # the hold was 15 minutes; no worker ran yet

    error = assert_error(take(api, shop, held["id"], amount=100, method="cash"), 409)
    assert error["code"] == "order_not_confirmed"


def test_a_refusal_states_money_in_major_units_with_the_currency(api, shop):
    order = booked(api, shop)
    total, currency = order["totals"]["total"], order["currency"]
    take(api, shop, order["id"], amount=1000, method="cash")
    owed = total - 1000

    r = take(api, shop, order["id"], amount=10**7, method="cash")

    assert_error(r, 422, "payment_too_large")
    assert r.data["error"]["details"]["owed"] == owed  # minor units, for a client to format
    said = f"At most {owed // 100}.{owed % 100:02d} {currency} is still owed on this order."
    assert r.data["error"]["message"] == said
    back = {"amount": 1001, "reason": "x", "method": "cash"}
    over = api.call("POST", f"/v1/orders/{order['id']}/refunds", auth=shop["secret_key"], body=back)
    assert_error(over, 422, "refund_too_large")
    assert over.data["error"]["message"] == f"At most 10.00 {currency} can still be refunded."
