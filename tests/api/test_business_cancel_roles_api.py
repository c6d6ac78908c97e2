"""A business cancellation that waives the policy's fee gives money back beyond the policy, as a
refund does: a manager's or owner's decision (PROBE5 defect 3). Staff may still call a booking
off as the business (the customer is told it was not their doing), keeping the policy's fee
(`waive_fee: false`); a staff waiver is 403 `waiver_needs_manager` and changes nothing. The
refund that follows names the business cancellation and the waiver. A hotel paid online in
full, whose policy keeps everything inside 60 days: cancelling 30 days ahead keeps it all."""

from __future__ import annotations

from typing import Any

from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_key_roles_api import make_key
from tests.api.test_money_messages_api import settle_all, told
from tests.api.test_payments_api import (
    hold,
    order_of,
    setup_shop,
    strictly_paid,
)

TOTAL = 24000


def paid_stay(api, slug: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    forbid_server_errors(api)
    shop, order, pay = strictly_paid(api, slug)
    assert order_of(api, shop, order["id"])["payment_status"] == "paid"
    return shop, order, pay["payment_id"]


def cancel(api, auth: str, order_id: str, **body) -> Any:
    return api.call("POST", f"/v1/orders/{order_id}/cancel", auth=auth, body=body)


def test_staff_may_not_waive_the_fee_but_may_cancel_as_the_business_by_the_policy(api):
    shop, order, payment_id = paid_stay(api, "staffwaive")
    staff = make_key(api, shop["secret_key"], role="staff")["key"]
    waived = cancel(api, staff, order["id"], by="business", reason="Guide says so")
    assert_error(waived, 403, "waiver_needs_manager")
    quote = cancel(api, staff, order["id"], by="business", quote=True, waive_fee=True)
    assert_error(quote, 403, "waiver_needs_manager")  # the quote says so before the form asks
    assert order_of(api, shop, order["id"])["status"] == "confirmed"

    terms = cancel(api, staff, order["id"], by="business", waive_fee=False, quote=True)
    assert terms.status_code == 200, terms.body
    assert (terms.data["cancellation"]["fee"], terms.data["cancellation"]["refund"]) == (TOTAL, 0)
    done = cancel(api, staff, order["id"], by="business", waive_fee=False, reason="Guide ill")
    assert done.status_code == 200, done.body
    c = done.data["cancellation"]
    assert (c["cancelled_by"], c["fee"], c["waived"], c["refund"]) == ("business", TOTAL, 0, 0)
    settle_all(api)
    assert api.container.gateway.refunds_of(shop["account"], payment_id) == []
    # The customer is told the business called it off, and the fee kept: not "costs nothing".
    [mail] = told(api, "Cancelled")
    assert "had to cancel your booking" in mail.text and "This was not your doing." in mail.text
    assert "costs you nothing" not in mail.text and "No refund is due" in mail.text


def test_a_manager_waives_and_the_refund_names_the_business_and_the_waiver(api):
    shop, order, payment_id = paid_stay(api, "managerwaive")
    manager = make_key(api, shop["secret_key"], role="manager")["key"]
    done = cancel(api, manager, order["id"], by="business", reason="Burst pipe")
    assert done.status_code == 200, done.body
    c = done.data["cancellation"]
    assert (c["fee"], c["waived"], c["refund"]) == (0, TOTAL, TOTAL)
    settle_all(api)
    [mail] = told(api, "Cancelled")
    assert "This was not your doing, and it costs you nothing." in mail.text
    # the reason the business gave, which the console says the customer is told
    assert "\nWhy: Burst pipe\n" in mail.text and "<p>Why: Burst pipe</p>" in mail.html
    refunds = api.container.gateway.refunds_of(shop["account"], payment_id)
    assert sum(r.amount for r in refunds) == TOTAL
    data = api.container.tenant_data.data[shop["tenant_id"]]
    [refund] = data.orders.get(order["id"]).refunds
    assert refund.reason == (
        "Cancelled by the business (Burst pipe): the policy's fee 240.00 EUR waived, all refunded"
    )


def test_staff_cancel_as_the_business_when_the_policy_has_no_fee_to_waive(api):
    forbid_server_errors(api)
    shop = setup_shop(api, "stafffree")  # the builder's policy: free to cancel
    order = hold(api, shop)
    confirmed = api.call("POST", f"/v1/orders/{order['id']}/confirm", auth=shop["secret_key"])
    assert confirmed.status_code == 200, confirmed.body
    staff = make_key(api, shop["secret_key"], role="staff")["key"]
    done = cancel(api, staff, order["id"], by="business", reason="Storm")
    assert done.status_code == 200, done.body
    assert (done.data["cancellation"]["fee"], done.data["cancellation"]["waived"]) == (0, 0)


def test_staff_may_not_make_a_booking_smaller_inside_its_fee_a_manager_may(api):
    """An outside tester's desk key cut a party of ten to one 17 hours before a tour that keeps
    everything, then cancelled: the fee kept was a tenth. Fewer nights or people inside the
    tiers give up the fee on that part: a manager's or owner's decision, as a waiver is."""
    shop, order, _ = paid_stay(api, "staffshrink")  # two nights, inside the 60 days: all kept
    staff = make_key(api, shop["secret_key"], role="staff")["key"]
    path = f"/v1/orders/{order['id']}"
    shorter = api.call("POST", f"{path}/stay", auth=staff, body={"nights": 1})
    assert_error(shorter, 403, "waiver_needs_manager")
    one_night = {"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 1}
    version = order_of(api, shop, order["id"])["version"]
    moved = api.call(
        "POST",
        f"{path}/reschedule",
        auth=staff,
        body={"lines": [one_night]},
        headers={"If-Match": f'"{version}"'},
    )
    assert_error(moved, 403, "waiver_needs_manager")
    assert order_of(api, shop, order["id"])["totals"]["total"] == TOTAL  # nothing changed
    longer = api.call("POST", f"{path}/stay", auth=staff, body={"nights": 3})
    assert longer.status_code == 200, longer.body  # larger: no fee given up
    manager = api.call("POST", f"{path}/stay", auth=shop["secret_key"], body={"nights": 1})
    assert manager.status_code == 200, manager.body


def test_staff_may_move_a_booking_to_cheaper_dates_of_the_same_size(api):
    """A reviewer's: the check refused any cheaper move by the desk (a stay moved to dates
    priced lower, the same nights and guests), which gives up no part of the booking."""
    from dataclasses import replace
    from datetime import date

    shop, order, _ = paid_stay(api, "staffcheaper")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(shop["tenant_id"])
    )
    current = data.catalog.get_offering("off_stay")
    cheaper = {date(2026, 12, 28): 10000, date(2026, 12, 29): 10000}
    pricing = replace(current.pricing, date_prices=cheaper)
    data.catalog.put_offering(
        replace(current, pricing=pricing, rev=current.rev + 1), expected_rev=current.rev
    )
    api.container.catalog_cache.invalidate(shop["tenant_id"])
    staff = make_key(api, shop["secret_key"], role="staff")["key"]
    line = {"offering_id": "off_stay", "check_in": "2026-12-28", "nights": 2}
    moved = api.call(
        "POST",
        f"/v1/orders/{order['id']}/reschedule",
        auth=staff,
        body={"lines": [line]},
        headers={"If-Match": "*"},
    )
    assert moved.status_code == 200, moved.body
    assert moved.data["totals"]["total"] == 20000
