"""The cancellation's terms are said before anyone confirms (PROBE2 defect 5): both cancel
routes take `"quote": true` and answer the order as cancelling it now would make it (its
`cancellation`: `fee`, `refundable`, `refund`), changing nothing: no write, no event, the units
kept. The hotel of test_payment_status_api: 240.00, half refunded when the customer cancels."""

from __future__ import annotations

from typing import Any

from tests.api.support import assert_error
from tests.api.test_payment_status_api import TOTAL, booked, pay, shop
from tests.api.test_payments_api import hold

__all__ = ["shop"]  # the fixture, imported for these tests


def cancel(api, shop, order_id: str, **body) -> Any:
    return api.call("POST", f"/v1/orders/{order_id}/cancel", auth=shop["secret_key"], body=body)


def unchanged(api, shop, order: dict[str, Any]) -> bool:
    now = api.call("GET", f"/v1/orders/{order['id']}", auth=shop["secret_key"]).data
    buckets = api.container.tenant_data.data[shop["tenant_id"]].orders.buckets
    names = [e["event"]["name"] for e in api.container.relayed_events()]
    return (
        (now["status"], now["version"]) == (order["status"], order["version"])
        and now["cancellation"] is None
        and sum(buckets.values()) == 2  # both nights still held
        and "OrderCancelled" not in names
    )


def test_the_desk_sees_the_fee_and_the_refund_before_it_cancels(api, shop):
    order = booked(api, shop)
    pay(api, shop, order["id"], TOTAL)
    paid = api.call("GET", f"/v1/orders/{order['id']}", auth=shop["secret_key"]).data
    quote = cancel(api, shop, order["id"], quote=True, reason="Plans changed")
    assert quote.status_code == 200, quote.body
    terms = quote.data["cancellation"]
    assert (terms["fee"], terms["refundable"], terms["refund"]) == (
        TOTAL // 2,
        TOTAL - TOTAL // 2,
        TOTAL - TOTAL // 2,
    )
    # Paid in cash: nothing goes back by itself, the business owes it back (the widget says so).
    assert (terms["card_back"], terms["desk_back"]) == (0, terms["refund"])
    assert quote.data["payment_status"] == "refund_due"
    assert quote.data["version"] == paid["version"]
    assert unchanged(api, shop, paid)
    # By the business: no fee, everything back.
    waived = cancel(api, shop, order["id"], quote=True, by="business", reason="Burst pipe")
    assert (waived.data["cancellation"]["fee"], waived.data["cancellation"]["refund"]) == (0, TOTAL)
    # The cancellation itself keeps the quoted terms.
    done = cancel(api, shop, order["id"], reason="Plans changed")
    assert done.status_code == 200, done.body
    assert {k: done.data["cancellation"][k] for k in ("fee", "refundable", "refund")} == {
        k: terms[k] for k in ("fee", "refundable", "refund")
    }


def test_the_customer_sees_the_terms_from_the_manage_link_and_nothing_changes(api, shop):
    held = hold(api, shop)
    confirmed = api.call("POST", f"/v1/orders/{held['id']}/confirm", auth=shop["secret_key"])
    assert confirmed.status_code == 200, confirmed.body
    path = f"/v1/public/orders/{held['id']}/cancel"
    token = {"X-Manage-Token": held["manage_token"]}
    quote = api.call(
        "POST", path, auth=shop["publishable_key"], headers=token, body={"quote": True}
    )
    assert quote.status_code == 200, quote.body
    assert quote.data["cancellation"]["policy_fee"] == TOTAL // 2
    # Nothing paid: nothing kept and nothing to give back (P7A finding 1).
    assert (quote.data["cancellation"]["fee"], quote.data["cancellation"]["refund"]) == (0, 0)
    assert unchanged(api, shop, confirmed.data)
    no_token = api.call("POST", path, auth=shop["publishable_key"], body={"quote": True})
    assert_error(no_token, 403, "manage_token_required")


def test_a_booking_keeps_the_cancellation_terms_it_was_made_under(api, shop):
    """An outside tester's business made its policy stricter, and a booking made under free
    cancellation then cost its whole price to cancel. The booking keeps its terms, as it keeps
    its price; a booking made after the change takes the new ones."""
    from dataclasses import replace

    from chalicelib.catalog.domain.payment_policy import CancellationPolicy, RefundTier

    order = booked(api, shop)
    pay(api, shop, order["id"], TOTAL)
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(shop["tenant_id"])
    )
    old = data.catalog.offerings["off_stay"]
    nothing_back = CancellationPolicy((RefundTier(0, 0),))
    data.catalog.put_offering(
        replace(old, cancellation=nothing_back, rev=old.rev + 1), expected_rev=old.rev
    )
    api.container.catalog_cache.invalidate(shop["tenant_id"])
    quote = cancel(api, shop, order["id"], quote=True, reason="Plans changed")
    assert quote.data["cancellation"]["fee"] == TOTAL // 2, quote.body  # as booked: half back
    # Each line says the terms it keeps, which the manage page judges a move by (it read the
    # offering's new ones, and hid the move the API allowed: an outside tester's).
    kept = [
        {"hours_before": t.hours_before, "refund_bp": t.refund_bp} for t in old.cancellation.tiers
    ]
    assert [line["cancellation"] for line in quote.data["lines"]] == [kept]
    # A booking made now: nothing back.
    order_id = order["id"]
    assert cancel(api, shop, order_id, reason="Plans changed").status_code == 200
    later = booked(api, shop)
    pay(api, shop, later["id"], TOTAL)
    quote = cancel(api, shop, later["id"], quote=True, reason="Plans changed")
    assert quote.data["cancellation"]["fee"] == TOTAL, quote.body
    assert quote.data["lines"][0]["cancellation"] == [{"hours_before": 0, "refund_bp": 0}]
