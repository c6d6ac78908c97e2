"""The order's payment status says where the customer stands (PROBE2 defect 4): `partially_paid`
below the deposit, `deposit_paid` from it, `paid` at the total; a cancelled order that owes
money back reads `refund_due` until it is given back (then `partially_refunded` when a fee was
kept, `refunded` when nothing was), and a stay made shorter after it was paid reads
`refund_due` too. A hotel paid at the desk: 2 nights at 120.00, tax included (240.00), a
20 % deposit (48.00), half refunded when the customer cancels."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.catalog.domain.catalog import DepositKind, DepositPolicy
from chalicelib.catalog.domain.payment_policy import CancellationPolicy, RefundTier
from tests.api.support import forbid_server_errors
from tests.api.test_desk_payments_api import booked as desk_booked
from tests.builders import room_type, stay_offering

TOTAL, DEPOSIT = 24000, 4800


@pytest.fixture
def shop(api) -> dict[str, Any]:
    forbid_server_errors(api)
    tenant = api.signup("status-inn")
    c = api.container
    data = c.tenant_data.for_tenant(c.platform.get_tenant(tenant["tenant_id"]))
    data.catalog.put_resource(room_type(rooms=1), expected_rev=None)
    offering = stay_offering(
        deposit=DepositPolicy(DepositKind.PERCENT, 2000),
        cancellation=CancellationPolicy((RefundTier(0, 5000),)),
    )
    data.catalog.put_offering(offering, expected_rev=None)
    return tenant


def booked(api, shop) -> dict[str, Any]:
    order = desk_booked(api, shop)
    assert (order["totals"]["total"], order["totals"]["deposit_due"]) == (TOTAL, DEPOSIT)
    return order


def pay(api, shop, order_id: str, amount: int) -> dict[str, Any]:
    body = {"amount": amount, "method": "cash"}
    r = api.call("POST", f"/v1/orders/{order_id}/payments", auth=shop["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return r.data


def give_back(api, shop, order_id: str, amount: int) -> dict[str, Any]:
    body = {"amount": amount, "reason": "cancelled", "method": "cash"}
    r = api.call("POST", f"/v1/orders/{order_id}/refunds", auth=shop["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return r.data


def cancel(api, shop, order_id: str, **body) -> dict[str, Any]:
    r = api.call("POST", f"/v1/orders/{order_id}/cancel", auth=shop["secret_key"], body=body)
    assert r.status_code == 200, r.body
    return r.data


def status(api, shop, order_id: str) -> str:
    r = api.call("GET", f"/v1/orders/{order_id}", auth=shop["secret_key"])
    return str(r.data["payment_status"])


def test_less_than_the_deposit_is_partially_paid_and_the_deposit_is_deposit_paid(api, shop):
    order = booked(api, shop)
    assert pay(api, shop, order["id"], 4000)["payment_status"] == "partially_paid"
    assert status(api, shop, order["id"]) == "partially_paid"
    assert pay(api, shop, order["id"], DEPOSIT - 4000)["payment_status"] == "deposit_paid"
    assert pay(api, shop, order["id"], TOTAL - DEPOSIT)["payment_status"] == "paid"
    # Money handed back on a stay still on: it says how far the stay is paid again.
    assert give_back(api, shop, order["id"], 1000)["payment_status"] == "deposit_paid"
    assert give_back(api, shop, order["id"], TOTAL - 2000)["payment_status"] == "partially_paid"


def test_a_cancelled_order_owing_money_back_reads_refund_due_until_it_is_given_back(api, shop):
    order = booked(api, shop)
    pay(api, shop, order["id"], 5000)
    done = cancel(api, shop, order["id"], by="business", reason="Burst pipe")
    assert (done["status"], done["payment_status"]) == ("cancelled", "refund_due")
    assert status(api, shop, order["id"]) == "refund_due"
    back = give_back(api, shop, order["id"], 5000)
    assert (back["balance"], back["payment_status"]) == (0, "refunded")


def test_a_cancellation_that_keeps_a_fee_is_refund_due_then_partially_refunded(api, shop):
    order = booked(api, shop)
    pay(api, shop, order["id"], TOTAL)
    done = cancel(api, shop, order["id"], reason="Plans changed")
    fee = done["cancellation"]["fee"]
    assert fee == TOTAL // 2
    assert done["payment_status"] == "refund_due"
    back = give_back(api, shop, order["id"], TOTAL - fee)
    assert (back["balance"], back["payment_status"]) == (0, "partially_refunded")


def test_a_cancellation_whose_fee_takes_what_was_paid_owes_nothing_back(api, shop):
    order = booked(api, shop)
    pay(api, shop, order["id"], 5000)  # less than the fee: nothing to give back
    done = cancel(api, shop, order["id"])
    # The fee keeps what was paid and asks no more (P7A finding 1): the order is paid.
    assert (done["cancellation"]["fee"], done["payment_status"]) == (5000, "paid")
    assert done["cancellation"]["policy_fee"] == TOTAL // 2


def test_a_paid_stay_made_shorter_owes_the_difference_back(api, shop):
    order = booked(api, shop)
    pay(api, shop, order["id"], TOTAL)
    r = api.call(
        "POST", f"/v1/orders/{order['id']}/stay", auth=shop["secret_key"], body={"nights": 1}
    )
    assert r.status_code == 200, r.body
    assert r.data["payment_status"] == "refund_due"
    assert give_back(api, shop, order["id"], TOTAL // 2)["payment_status"] == "paid"


def test_the_totals_say_what_was_paid_after_a_shorter_stay_asks_a_smaller_deposit(api, shop):
    """PROBE 43 defect 2: the manage page read "Deposit paid: 30.94" after a move, the new
    deposit asked, when 37.13 had been paid. The order's totals now say what it keeps."""
    order = booked(api, shop)
    assert order["totals"]["paid"] == 0
    pay(api, shop, order["id"], DEPOSIT)
    r = api.call(
        "POST", f"/v1/orders/{order['id']}/stay", auth=shop["secret_key"], body={"nights": 1}
    )
    assert r.status_code == 200, r.body
    totals = r.data["totals"]
    assert (totals["deposit_due"], totals["paid"]) == (DEPOSIT // 2, DEPOSIT)
    assert r.data["payment_status"] == "deposit_paid"
    give_back(api, shop, order["id"], 1000)
    r = api.call("GET", f"/v1/orders/{order['id']}", auth=shop["secret_key"])
    assert r.data["totals"]["paid"] == DEPOSIT - 1000


def test_availability_says_the_deposit_the_hold_will_ask(api, shop):
    """An outside tester read `price.deposit: 0` on every option of a stay with a 30 %
    deposit, and the deposit on the hold."""
    query = "/v1/availability?offering=off_stay&from=2026-12-24&to=2026-12-25&nights=2"
    r = api.call("GET", query, auth=shop["secret_key"])
    assert r.status_code == 200, r.body
    [option] = r.data["options"]
    assert (option["price"]["total"], option["price"]["deposit"]) == (TOTAL, DEPOSIT)
    assert booked(api, shop)["totals"]["deposit_due"] == option["price"]["deposit"]
