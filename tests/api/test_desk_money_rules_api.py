"""Money at the desk with the rest of the order's money: an authorisation is not charged
again, a cancelled order owes only its fee (the rest is owed back), a hold is confirmed before
it is paid at the desk, records beyond the 20 online attempts, three-decimal currencies, and a
refund then a payment again. Each was a defect an outside review of the first cut found."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from chalicelib.booking.domain import order_money as money
from chalicelib.booking.domain.orders import BookingStatus
from chalicelib.booking.domain.payment_records import (
    AttemptStatus,
    Payment,
    PaymentKind,
    Refund,
    Tender,
)
from chalicelib.catalog.domain.catalog import DepositKind
from chalicelib.payments.domain.payments import check_desk_payment, with_payment, with_refund
from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_payments_api import authorised_stay, setup_shop
from tests.unit.test_order_state_machine import _held, _line

NOW = "2026-11-24T09:05:00.000000Z"


def _desk(n: int, amount: int) -> Payment:
    return Payment(
        f"dpay_{n}",
        PaymentKind.DESK,
        amount,
        n,
        AttemptStatus.SUCCEEDED,
        amount,
        method=Tender.CASH,
    )


def cancel_by_business(api, shop, oid) -> Any:
    r = api.call(
        "POST",
        f"/v1/orders/{oid}/cancel",
        auth=shop["secret_key"],
        body={"by": "business", "reason": "flood"},
    )
    assert r.status_code == 200, r.body
    return r


def _money(api, shop, oid) -> dict[str, Any]:
    return api.call("GET", f"/v1/orders/{oid}/payments", auth=shop["secret_key"]).data


def _take(api, shop, oid, amount, method="cash"):
    return api.call(
        "POST",
        f"/v1/orders/{oid}/payments",
        auth=shop["secret_key"],
        body={"amount": amount, "method": method},
    )


def _venue_order(api, shop, *, confirm: bool = True) -> dict[str, Any]:
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}],
    }
    r = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body)
    assert r.status_code == 201, r.body
    if not confirm:
        return r.data
    c = api.call("POST", f"/v1/orders/{r.data['id']}/confirm", auth=shop["secret_key"])
    assert c.status_code == 200, c.body
    return c.data


# 1. An authorisation is not "received", but the desk takes nothing on top of it: the capture
#    (by staff, or at check-in) would take it again.
def test_desk_payment_over_a_held_authorisation_is_not_charged_twice(api):
    forbid_server_errors(api)
    shop, order, _ = authorised_stay(api, "harbour", 2)
    m = _money(api, shop, order["id"])
    assert m["payment_status"] == "authorised"
    desk = _take(api, shop, order["id"], m["balance"], "card_terminal")
    captured = api.call(
        "POST", f"/v1/orders/{order['id']}/capture", auth=shop["secret_key"], body={}
    )
    after = _money(api, shop, order["id"])
    # the desk offered nothing on top of the authorisation, or the capture took nothing more
    assert after["received"] <= after["total"], (desk.status_code, captured.status_code, after)
    assert_error(desk, 422, "payment_too_large")


# 2. A cancelled order owes only its fee: with none, the desk takes nothing.
def test_a_cancelled_order_takes_no_desk_payment(api):
    forbid_server_errors(api)
    shop = setup_shop(api, "desk-cancel", connected=False, deposit=DepositKind.NONE)
    order = _venue_order(api, shop)
    cancel_by_business(api, shop, order["id"])
    assert_error(_take(api, shop, order["id"], 1000), 422, "payment_too_large")  # owes nothing


# 3. Paid in full at the desk, then cancelled by the business (no fee): the whole amount is
#    owed back at the desk, and the balance says so.
def test_desk_money_of_a_cancelled_order_shows_as_owed_back(api):
    forbid_server_errors(api)
    shop = setup_shop(api, "desk-cancel2", connected=False, deposit=DepositKind.NONE)
    order = _venue_order(api, shop)
    total = order["totals"]["total"]
    assert _take(api, shop, order["id"], total).status_code == 201
    r = cancel_by_business(api, shop, order["id"])
    assert r.data["cancellation"]["refund"] == total  # what the customer is told comes back
    m = _money(api, shop, order["id"])
    assert m["balance"] == -total, m  # it is owed back: the balance should say so


# 4. A hold is confirmed first: money on a hold that then runs out would be kept for nothing.
def test_a_hold_takes_no_desk_payment_until_it_is_confirmed(api):
    forbid_server_errors(api)
    shop = setup_shop(api, "desk-hold", connected=False, deposit=DepositKind.NONE)
    held = _venue_order(api, shop, confirm=False)
    assert held["status"] == "held"
    total = held["totals"]["total"]
    assert_error(_take(api, shop, held["id"], total), 409, "order_not_confirmed")
    assert _money(api, shop, held["id"])["payments"] == []


# 5. Three-decimal currency: paid in full at the desk is paid (Stripe's steps round the total).
def test_three_decimal_total_paid_in_full_at_the_desk_is_paid():
    line = replace(_line(), price_items=(("2026-12-24", 105, 1),), subtotal=105, total=105)
    order = replace(_held(), status=BookingStatus.CONFIRMED, currency="KWD", lines=(line,))
    assert check_desk_payment(order, 105) == 105
    paid = with_payment(order, _desk(1, 105), NOW)
    assert money.balance(paid) == 0
    assert paid.payment_status.value == "paid", paid.payment_status


# 6. Money back then taken again: paid, not partially refunded.
def test_a_refund_then_a_new_payment_reads_paid():
    order = with_payment(_held(), _desk(1, 100), NOW)
    order = with_refund(
        order, Refund("dref_1", "dpay_1", 30, "r", "succeeded", NOW, Tender.CASH), NOW
    )
    order = with_payment(order, _desk(2, 30), NOW)
    assert money.balance(order) == 0
    assert order.payment_status.value == "paid", order.payment_status


# 7. Desk records do not count against the 20 online payment attempts of an order.
def test_a_long_stay_paid_night_by_night_is_not_refused(api):
    forbid_server_errors(api)
    shop = setup_shop(api, "desk-nightly", connected=False, deposit=DepositKind.NONE)
    order = _venue_order(api, shop)
    codes = [_take(api, shop, order["id"], 100).status_code for _ in range(21)]
    assert codes == [201] * 21, codes


# 8. Deposit online, the rest at the desk, cancelled by the business (no fee): Stripe refunds
#    the deposit, and the desk part is owed back at the desk (a negative balance).
def test_mixed_tenders_cancelled_balance_says_owed_back(api):
    import json

    from chalicelib.catalog.domain.catalog import DepositPolicy
    from chalicelib.queues import PAYMENT_EVENTS
    from tests.api.test_payments_api import deliver, intent_event, pay_for, post_event
    from tests.builders import stay_offering

    forbid_server_errors(api)
    shop = setup_shop(api, "mixed", deposit=DepositKind.NONE)
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(shop["tenant_id"])
    )
    data.catalog.put_offering(
        stay_offering(oid="off_dep", deposit=DepositPolicy(DepositKind.PERCENT, 3000)),
        expected_rev=None,
    )
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_dep", "check_in": "2026-12-24", "nights": 2}],
    }
    order = api.call("POST", "/v1/public/orders", auth=shop["publishable_key"], body=body).data
    pay = pay_for(api, shop, order)
    api.container.gateway.pay(shop["account"], pay["payment_id"])
    post_event(api, intent_event(shop, "succeeded", pay["payment_id"], 1))
    deliver(api)
    m = _money(api, shop, order["id"])
    deposit, total = m["received"], m["total"]
    assert 0 < deposit < total, m
    assert _take(api, shop, order["id"], m["balance"]).status_code == 201
    r = cancel_by_business(api, shop, order["id"])
    assert r.data["cancellation"]["refund"] == total  # "We refund <total>"
    bodies = [json.dumps(b) for b in api.container.relayed_events(PAYMENT_EVENTS.name)]
    sqs = api.client.events.generate_sqs_event(
        message_bodies=bodies, queue_name=PAYMENT_EVENTS.name
    )
    for i, record in enumerate(sqs["Records"]):
        record["messageId"] = f"evt-{i}"
    assert api.client.lambda_.invoke("dispatch_payment_events", sqs).payload == {
        "batchItemFailures": []
    }
    after = _money(api, shop, order["id"])
    assert after["refunded"] == deposit  # Stripe gave back what came online only
    # the desk part (total - deposit) is owed back: the balance should be negative
    assert after["balance"] == -(total - deposit), after


# 9. Three-decimal currency: money taken at the desk all goes back at the desk (Stripe's
#    multiple-of-10 rule is for Stripe's refunds).
def test_three_decimal_desk_payment_can_be_handed_back_in_full():
    from chalicelib.payments.domain.payments import check_refund

    line = replace(_line(), price_items=(("2026-12-24", 105, 1),), subtotal=105, total=105)
    order = with_payment(replace(_held(), currency="KWD", lines=(line,)), _desk(1, 105), NOW)
    assert check_refund(order, 105, online=False) == 105


def test_a_capture_of_an_order_paid_otherwise_releases_the_authorisation(api):
    """No rule lets the desk take money on top of an authorisation now, but an order may carry
    both (recorded before these rules): capturing then takes nothing and lets the hold go."""
    from chalicelib.booking.services.orders import get_order
    from chalicelib.kernel.services.context import system_context
    from chalicelib.payments.services.payment_orders import commit

    forbid_server_errors(api)
    shop, order, started = authorised_stay(api, "harbour", 2)
    c = api.container
    tenant = c.platform.get_tenant(shop["tenant_id"])
    ctx = system_context(tenant, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    before = get_order(ctx, order["id"])
    paid = with_payment(before, _desk(9, before.total), NOW)
    commit(ctx, before, paid)

    r = api.call("POST", f"/v1/orders/{order['id']}/capture", auth=shop["secret_key"], body={})

    assert r.status_code == 200, r.body
    held = next(p for p in r.data["payments"] if p["id"] == started["payment_id"])
    assert (held["status"], held["received"]) == ("canceled", 0)
    assert (r.data["received"], r.data["balance"]) == (before.total, 0)
