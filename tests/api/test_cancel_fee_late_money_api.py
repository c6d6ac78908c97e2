"""A customer's cancellation that keeps a fee, with money coming in after it (FIX-LEFT, item
5): the cancellation's message tells the money as it stands when it is written, never "No
refund is due" for money that came in after the cancellation and went back, and says that
money goes back; a fee kept from money paid before the cancellation is still said."""

from __future__ import annotations

from chalicelib.catalog.domain.payment_policy import CancellationPolicy, RefundTier
from tests.api.support import forbid_server_errors
from tests.api.test_money_messages_api import (
    capture_webhook,
    capture_while,
    money,
    refund_webhook,
    settle_all,
    told,
)
from tests.api.test_payments_api import authorised_stay

HALF_BACK = CancellationPolicy((RefundTier(0, 5000),))  # a fee of half the total, always


def _cancel(api, shop, order_id: str) -> None:
    r = api.call(
        "POST", f"/v1/orders/{order_id}/cancel", auth=shop["secret_key"], body={"reason": "ill"}
    )
    assert r.status_code == 200, r.body
    # Only authorised (released by the cancellation): nothing is kept (P7A finding 1).
    assert (r.data["cancellation"]["fee"], r.data["cancellation"]["policy_fee"]) == (0, 12000)


def test_a_capture_landing_after_a_cancellation_with_a_fee_is_not_told_no_refund(api, monkeypatch):
    """The card was only authorised when the customer cancelled (the policy's fee 120.00,
    nothing received: nothing kept, nothing to refund then); Stripe's capture was under way
    and lands after it, and goes back whole. The cancellation's message must not say "No
    refund is due"."""
    forbid_server_errors(api)
    shop, order, started = authorised_stay(api, "feecap", 2, cancellation=HALF_BACK)
    settle_all(api)
    pid = started["payment_id"]
    r = capture_while(api, shop, order["id"], monkeypatch, _cancel)
    assert r.status_code == 409 and r.data["error"]["code"] == "order_not_capturable", r.body
    capture_webhook(api, shop, pid)
    refund_webhook(api, shop, pid, 1)
    settle_all(api)
    got = money(api, shop, order["id"])
    assert got["received"] == 24000 and got["refunded"] == 24000  # the money as it stands

    [cancelled] = told(api, "Cancelled")
    assert "No refund is due" not in cancelled.text and "No refund is due" not in cancelled.html
    assert "EUR 240.00 paid after the cancellation goes back to you" in cancelled.text
    [refund] = told(api, "Refund")
    assert "EUR 240.00" in refund.subject
