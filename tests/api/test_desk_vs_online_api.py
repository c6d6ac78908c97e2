"""The desk and the customer's online payment of the same balance: while the customer's card
payment is open the desk is refused (409 `online_payment_open`, naming it) until staff cancel
it; and an online payment that still lands on an order that no longer owes it (the desk read
the order a moment before the attempt was written) goes straight back: paid twice, refunded
at once."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.payments.services import desk
from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_balance_api import balance_shop, deposit_paid
from tests.api.test_payments_api import deliver, intent_event, order_of, post_event


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def open_balance(api, shop, order) -> dict[str, Any]:
    """The customer opens the manage page's card payment of the balance (16800)."""
    r = api.call(
        "POST",
        f"/v1/public/orders/{order['id']}/balance",
        auth=shop["publishable_key"],
        headers={"X-Manage-Token": order["manage_token"]},
    )
    assert r.status_code == 200 and r.data["amount"] == 16800, r.body
    return r.data


def at_desk(api, shop, order, amount: int):
    body = {"amount": amount, "method": "cash"}
    return api.call(
        "POST", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"], body=body
    )


def money(api, shop, order) -> dict[str, Any]:
    return api.call("GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]).data


def test_the_desk_is_refused_while_the_customer_pays_online_until_staff_cancel_it(api):
    shop = balance_shop(api)
    order = deposit_paid(api, shop)
    link = open_balance(api, shop, order)
    refused = at_desk(api, shop, order, 16800)
    err = assert_error(refused, 409, "online_payment_open")
    assert err["details"] == {"payment_id": link["payment_id"], "amount": 16800}
    assert "online payment of 168.00 " in err["message"]  # as money, not minor units
    assert money(api, shop, order)["received"] == 7200  # nothing recorded
    cancel = f"/v1/orders/{order['id']}/payments/{link['payment_id']}/cancel"
    r = api.call("POST", cancel, auth=shop["secret_key"], body={})
    assert r.status_code == 200, r.body
    [gone] = [p for p in r.data["payments"] if p["id"] == link["payment_id"]]
    assert gone["status"] == "canceled"
    intent = api.container.gateway.get_payment_intent(shop["account"], link["payment_id"])
    assert intent.status == "canceled"
    assert at_desk(api, shop, order, 16800).status_code == 201
    assert order_of(api, shop, order["id"])["payment_status"] == "paid"
    again = api.call("POST", cancel, auth=shop["secret_key"], body={})
    assert_error(again, 409, "payment_not_open")
    missing = f"/v1/orders/{order['id']}/payments/pi_nope/cancel"
    assert_error(api.call("POST", missing, auth=shop["secret_key"], body={}), 404)


def test_staff_cannot_cancel_an_online_payment_the_customer_is_completing(api):
    shop = balance_shop(api)
    order = deposit_paid(api, shop)
    link = open_balance(api, shop, order)
    api.container.gateway.pay(shop["account"], link["payment_id"])  # paid, webhook not in yet
    cancel = f"/v1/orders/{order['id']}/payments/{link['payment_id']}/cancel"
    r = api.call("POST", cancel, auth=shop["secret_key"], body={})
    assert_error(r, 409, "online_payment_under_way")
    post_event(api, intent_event(shop, "succeeded", link["payment_id"], 1))
    deliver(api)
    assert order_of(api, shop, order["id"])["payment_status"] == "paid"


def paid_at_desk_then_online(api, monkeypatch, desk_amount: int):
    """The desk takes `desk_amount`, having read the order a moment before the customer's
    attempt was written; then the customer pays the attempt (16800) too."""
    shop = balance_shop(api)
    order = deposit_paid(api, shop)
    monkeypatch.setattr(desk, "open_online", lambda order: [])
    link = open_balance(api, shop, order)
    assert at_desk(api, shop, order, desk_amount).status_code == 201
    monkeypatch.undo()
    api.container.gateway.pay(shop["account"], link["payment_id"])
    post_event(api, intent_event(shop, "succeeded", link["payment_id"], 1))
    deliver(api)
    return shop, order, link


def test_an_online_payment_landing_on_an_order_paid_at_the_desk_goes_back(api, monkeypatch):
    shop, order, link = paid_at_desk_then_online(api, monkeypatch, 16800)
    got = money(api, shop, order)
    assert (got["received"], got["refunded"], got["balance"]) == (7200 + 16800 * 2, 16800, 0)
    refunds = api.container.gateway.refunds_of(shop["account"], link["payment_id"])
    assert [r.amount for r in refunds] == [16800]
    assert order_of(api, shop, order["id"])["payment_status"] == "paid"
    # Stripe's events again (a retry) refund nothing more.
    post_event(api, intent_event(shop, "succeeded", link["payment_id"], 2))
    deliver(api)
    assert len(api.container.gateway.refunds_of(shop["account"], link["payment_id"])) == 1


def test_an_online_payment_larger_than_what_is_still_owed_gives_back_the_difference(
    api, monkeypatch
):
    shop, order, link = paid_at_desk_then_online(api, monkeypatch, 10000)
    refunds = api.container.gateway.refunds_of(shop["account"], link["payment_id"])
    assert [r.amount for r in refunds] == [10000]
    assert money(api, shop, order)["balance"] == 0
