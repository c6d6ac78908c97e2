"""A staff refund through Stripe that meets another change of the order, or dies half-way:
every refund Stripe made is recorded on the order, and Stripe is never asked for more than
the order decided (crashes half-way: tests/unit/test_staff_refunds.py).

The races are staged in-process by wrapping the fake gateway's `refund`: what another desk (or
any change of the order) does while this request is at Stripe runs inside that call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_payments_api import (
    deliver,
    hold,
    intent_event,
    order_of,
    pay_for,
    post_event,
    setup_shop,
)


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def paid(api) -> tuple[dict[str, Any], dict[str, Any], str]:
    """A hotel paid in full online (24000), its order and its payment intent."""
    shop = setup_shop(api, "harbour")
    order = hold(api, shop)
    pay = pay_for(api, shop, order)
    api.container.gateway.pay(shop["account"], pay["payment_id"])
    post_event(api, intent_event(shop, "succeeded", pay["payment_id"], 1))
    deliver(api)
    return shop, order, pay["payment_id"]


def refund(api, shop, order, amount: int, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    body = {"amount": amount, "reason": "race"}
    path = f"/v1/orders/{order['id']}/refunds"
    return api.call("POST", path, auth=shop["secret_key"], body=body, headers=headers)


def at_stripe(monkeypatch, api, before: Callable[[], Any] = lambda: None, after=None) -> list:
    """Wrap the gateway's refund once: `before` runs before Stripe is asked, `after` once it
    answered (its outcome kept in the returned list)."""
    gateway = api.container.gateway
    real = gateway.refund
    seen: list[Any] = []

    def staged(**kwargs):
        if seen:  # the other desk's own call, or a later one
            return real(**kwargs)
        seen.append(None)
        seen[0] = before()
        made = real(**kwargs)
        if after is not None:
            seen.append(after())
        return made

    monkeypatch.setattr(gateway, "refund", staged)
    return seen


def stripe_refunds(api, shop, intent: str) -> list[int]:
    return sorted(r.amount for r in api.container.gateway.refunds_of(shop["account"], intent))


def money(api, shop, order) -> dict[str, Any]:
    return api.call("GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]).data


def test_two_desks_refunding_half_each_both_land_and_a_third_is_refused_before_stripe(
    api, paid, monkeypatch
):
    shop, order, intent = paid
    seen = at_stripe(
        monkeypatch,
        api,
        before=lambda: (refund(api, shop, order, 12000), refund(api, shop, order, 12000)),
    )
    first = refund(api, shop, order, 12000)
    second, third = seen[0]
    assert first.status_code == 201 and second.status_code == 201, (first.body, second.body)
    assert_error(third, 422, "refund_too_large")
    assert stripe_refunds(api, shop, intent) == [12000, 12000]  # the third never reached it
    got = money(api, shop, order)
    assert got["refunded"] == 24000 and got["refundable_online"] == 0
    assert {r["status"] for r in got["refunds"]} == {"succeeded"}
    assert order_of(api, shop, order["id"])["payment_status"] == "unpaid"  # still to come


def test_a_refund_stripe_made_is_recorded_though_the_order_changed_meanwhile(
    api, paid, monkeypatch
):
    shop, order, intent = paid
    charge = {"label": "Minibar", "unit_amount": 500, "tax_rate_bp": 0}
    path = f"/v1/orders/{order['id']}/charges"
    seen = at_stripe(
        monkeypatch,
        api,
        after=lambda: api.call("POST", path, auth=shop["secret_key"], body=charge),
    )
    r = refund(api, shop, order, 4000)
    assert seen[1].status_code == 201, seen[1].body
    assert r.status_code == 201, r.body  # not 409 version_mismatch with the money gone
    assert stripe_refunds(api, shop, intent) == [4000]
    got = money(api, shop, order)
    assert got["refunded"] == 4000 and [x["status"] for x in got["refunds"]] == ["succeeded"]
    assert len(got["payments"]) == 1 and order_of(api, shop, order["id"])["totals"]
