"""A late cancellation keeps at most what the order holds when it is cancelled (P7A finding 1:
a £60 table with a £15 deposit paid, "nothing back" late, kept "a fee of £60.00", owed £45 on
a cancelled booking, and counted £60 of sales with no tax). Nothing collects more after a
cancellation (open payments and authorisations are released; a card saved at booking is
charged only for a no-show or a confirmed booking's dues), so the fee is what was paid, up to
the policy's fee: the customer's question, the e-mail, the order's balance and payment status
and the report figures say the same amount. The hotel of test_payment_status_api: 240.00, 7 %
tax included (15.70), a 48.00 deposit, half kept when the customer cancels (120.00)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from chalicelib.catalog.domain.payment_policy import CancellationPolicy, RefundTier
from chalicelib.reports.domain.figures import contribution
from tests.api.support import forbid_server_errors
from tests.api.test_balance_api import balance_shop, deposit_paid
from tests.api.test_money_messages_api import settle_all, told
from tests.api.test_payment_status_api import DEPOSIT, TOTAL, booked, cancel, pay, shop

__all__ = ["shop"]  # the fixture, imported for these tests

POLICY_FEE = TOTAL // 2


def _quote_then_cancel(api, shop, order_id: str) -> dict[str, Any]:
    quote = cancel(api, shop, order_id, quote=True)
    done = cancel(api, shop, order_id, reason="Plans changed")
    keys = ("fee", "refund", "policy_fee")
    assert {k: quote["cancellation"][k] for k in keys} == {k: done["cancellation"][k] for k in keys}
    settle_all(api)
    return done


def _money(api, shop, order_id: str) -> dict[str, Any]:
    return api.call("GET", f"/v1/orders/{order_id}/payments", auth=shop["secret_key"]).data


def _sales(api, shop, order_id: str) -> tuple[int, int]:
    """The order's gross and tax on the day it was booked, as the report figures count it."""
    tenant = api.container.platform.get_tenant(shop["tenant_id"])
    order = api.container.tenant_data.for_tenant(tenant).orders.get(order_id)
    figures = contribution(order, tenant.timezone, first_booking=True)
    [counters] = [c for (basis, _), c in figures.items() if basis == "booked"]
    cur = order.currency
    return counters.get(f"t||{cur}.gr", 0), counters.get(f"t||{cur}.tx", 0)


def test_nothing_paid_keeps_nothing_and_owes_nothing(api, shop):
    order = booked(api, shop)
    done = _quote_then_cancel(api, shop, order["id"])
    c = done["cancellation"]
    assert (c["fee"], c["refund"], c["policy_fee"]) == (0, 0, POLICY_FEE)
    assert done["payment_status"] == "unpaid"
    assert _money(api, shop, order["id"])["balance"] == 0
    [mail] = told(api, "Cancelled")
    assert "120.00" not in mail.text and "cancellation fee" not in mail.text
    assert _sales(api, shop, order["id"]) == (0, 0)


def test_a_deposit_paid_is_kept_as_the_fee_and_nothing_more_is_owed(api, shop):
    order = booked(api, shop)
    pay(api, shop, order["id"], DEPOSIT)
    done = _quote_then_cancel(api, shop, order["id"])
    c = done["cancellation"]
    assert (c["fee"], c["refund"], c["policy_fee"]) == (DEPOSIT, 0, POLICY_FEE)
    assert done["payment_status"] == "paid"  # the fee it keeps is paid
    money = _money(api, shop, order["id"])
    assert (money["received"], money["refunded"], money["balance"]) == (DEPOSIT, 0, 0)
    [mail] = told(api, "Cancelled")
    assert "cancellation fee EUR 48.00" in mail.text and "120.00" not in mail.text
    # 48.00 kept of a 240.00 booking holding 15.70 of tax: 3.14 of it is tax.
    assert _sales(api, shop, order["id"]) == (DEPOSIT, 314)
    # The desk has nothing to take: recording more is refused, nothing changes.
    more = api.call(
        "POST",
        f"/v1/orders/{order['id']}/payments",
        auth=shop["secret_key"],
        body={"amount": 100, "method": "cash"},
    )
    assert more.status_code == 422 and more.data["error"]["code"] == "payment_too_large"
    assert _money(api, shop, order["id"])["received"] == DEPOSIT


def test_a_booking_paid_in_full_keeps_the_policy_fee_and_gives_the_rest_back(api, shop):
    order = booked(api, shop)
    pay(api, shop, order["id"], TOTAL)
    done = _quote_then_cancel(api, shop, order["id"])
    c = done["cancellation"]
    assert (c["fee"], c["refund"], c["policy_fee"]) == (POLICY_FEE, TOTAL - POLICY_FEE, POLICY_FEE)
    assert done["payment_status"] == "refund_due"
    assert _money(api, shop, order["id"])["balance"] == -(TOTAL - POLICY_FEE)
    assert _sales(api, shop, order["id"]) == (POLICY_FEE, 785)  # half of 15.70


def test_a_card_on_file_is_not_charged_for_a_late_cancellation_nor_said_to_owe(api):
    forbid_server_errors(api)
    shop = balance_shop(api)
    c = api.container
    data = c.tenant_data.for_tenant(c.platform.get_tenant(shop["tenant_id"]))
    old = data.catalog.offerings["off_stay"]
    nothing_back = CancellationPolicy((RefundTier(0, 0),))
    data.catalog.put_offering(
        replace(old, cancellation=nothing_back, rev=old.rev + 1), expected_rev=old.rev
    )
    order = deposit_paid(api, shop)  # 72.00 of 240.00 online, the card saved for the balance
    done = _quote_then_cancel(api, shop, order["id"])
    got = done["cancellation"]
    assert (got["fee"], got["refund"], got["policy_fee"]) == (7200, 0, TOTAL)
    assert done["payment_status"] == "paid"
    assert _money(api, shop, order["id"])["balance"] == 0
    assert [call for call in c.gateway.calls if call[0] == "off_session"] == []
