"""A refund on a completed order takes its amount off the customer's spend (customers/services/
figures.py, on RefundIssued); when Stripe then fails that refund (RefundFailed) the money was
never given back, and the figures consumer puts the amount back, once however often the event
comes (review S7, item 3). A refund that failed before completion puts nothing back: the
completion's spend never took it off."""

from __future__ import annotations

import pytest

from chalicelib.kernel.domain.customer_ids import customer_id_for
from tests.api.support import deliver_events_times, forbid_server_errors
from tests.api.test_money_messages_api import ADA, captured_stay, money, refund_webhook, settle_all
from tests.api.test_payments_api import deliver
from tests.api.test_refund_failed_api import fail_at_stripe, staff_refund


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def spend(api, shop) -> int:
    r = api.call("GET", f"/v1/customers/{customer_id_for(ADA)}", auth=shop["secret_key"])
    assert r.status_code == 200, r.body
    return int(r.data["figures"]["spend"])


def completed(api, shop, order_id: str) -> None:
    for step, body in (("check-in", {"early": True}), ("complete", {"leave_balance_open": True})):
        r = api.call("POST", f"/v1/orders/{order_id}/{step}", auth=shop["secret_key"], body=body)
        assert r.status_code == 200, (step, r.body)
    settle_all(api)


def refund_fails_at_stripe(api, shop, pid: str, n: int = 1) -> None:
    """Stripe fails the payment's last refund; the bookkeeping group gets the RefundFailed
    three times over (SQS delivers at least once), then everything settles."""
    fail_at_stripe(api, shop, pid)
    refund_webhook(api, shop, pid, n, "refund.failed")
    deliver(api)  # the payments worker records the failure
    assert deliver_events_times(api, 3) == {"batchItemFailures": []}
    settle_all(api)


def test_a_failed_refund_puts_its_amount_back_on_the_customers_spend(api):
    shop, order, pid = captured_stay(api, "rv7sp")
    completed(api, shop, order["id"])
    billed = spend(api, shop)
    assert billed > 9000
    staff_refund(api, shop, order["id"], 9000, "rv7-sp")
    settle_all(api)
    assert spend(api, shop) == billed - 9000
    refund_fails_at_stripe(api, shop, pid)
    assert money(api, shop, order["id"])["refunded"] == 0
    assert spend(api, shop) == billed  # the refund never happened: put back once


def test_the_desk_refund_that_makes_good_a_failed_one_is_taken_off_once(api):
    shop, order, pid = captured_stay(api, "rv7desk")
    completed(api, shop, order["id"])
    billed = spend(api, shop)
    staff_refund(api, shop, order["id"], 9000, "rv7-desk-card")
    settle_all(api)
    refund_fails_at_stripe(api, shop, pid)
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/refunds",
        auth=shop["secret_key"],
        body={"amount": 9000, "method": "cash", "reason": "the card refund failed"},
        headers={"Idempotency-Key": "rv7-desk-cash"},
    )
    assert r.status_code == 201, r.body
    settle_all(api)
    assert money(api, shop, order["id"])["refunded"] == 9000
    assert spend(api, shop) == billed - 9000  # as promised: given back once, counted once


def test_a_refund_that_failed_before_completion_puts_nothing_back(api):
    shop, order, pid = captured_stay(api, "rv7early")
    staff_refund(api, shop, order["id"], 9000, "rv7-early")
    settle_all(api)
    refund_fails_at_stripe(api, shop, pid)
    assert money(api, shop, order["id"])["refunded"] == 0
    completed(api, shop, order["id"])
    total = api.call("GET", f"/v1/orders/{order['id']}", auth=shop["secret_key"]).data["totals"][
        "total"
    ]
    assert spend(api, shop) == total  # billed in full, the failure not counted on top


@pytest.mark.parametrize("void_it", [False, True])
def test_a_charge_after_check_out_counts_once_whenever_the_completion_is_counted(api, void_it):
    """The completion's spend is the total as it stood then: a minibar charge added after
    check-out, before the bookkeeping group handled the completion, was counted by both (the
    completion read the total with it, and the charge's own event added it again); one voided
    after check-out was taken off twice."""
    shop, order, _ = captured_stay(api, "spendfolio" + "v" * void_it)
    path = f"/v1/orders/{order['id']}"
    bar = {"label": "Minibar", "unit_amount": 450, "quantity": 2, "tax_rate_bp": 2000}
    early = {}
    if void_it:  # added while staying, voided once checked out
        early = api.call("POST", f"{path}/charges", auth=shop["secret_key"], body=bar).data
    for step, body in (("check-in", {"early": True}), ("complete", {"leave_balance_open": True})):
        r = api.call("POST", f"{path}/{step}", auth=shop["secret_key"], body=body)
        assert r.status_code == 200, (step, r.body)
    at_check_out = money(api, shop, order["id"])["total"]
    api.container.clock.advance(600)  # the guest comes back to the desk
    if void_it:
        [live] = [c for c in early["charges"] if not c.get("voided_at")]
        r = api.call(
            "POST",
            f"{path}/charges/{live['id']}/void",
            auth=shop["secret_key"],
            body={"reason": "not taken"},
        )
    else:
        r = api.call("POST", f"{path}/charges", auth=shop["secret_key"], body=bar)
    assert r.status_code in (200, 201), r.body
    settle_all(api)  # the completion, then the charge's event
    after = money(api, shop, order["id"])["total"]
    assert after == at_check_out + (-900 if void_it else 900), (at_check_out, after)
    assert spend(api, shop) == after
