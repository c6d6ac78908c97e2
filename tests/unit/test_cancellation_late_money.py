"""The cancellation's message and money that came in after the cancellation (FIX-LEFT, item
5; notifications/services/content_cancellation.py): money recorded as paid after the
cancellation and given back (`LATE_CANCELLED`) is no part of what the customer had paid when
they cancelled, and is said to go back; a fee kept from money paid before is still said."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.booking.domain.payment_records import AttemptStatus, Refund
from chalicelib.notifications.services.content import kind_data
from chalicelib.payments.services.captures import capture
from chalicelib.payments.services.refunds import LATE_CANCELLED
from tests.unit.test_money_messages import authorised


@pytest.mark.parametrize(
    ("paid_before", "fee", "paid", "late"),
    [
        (False, 12000, False, "EUR 240.00"),  # only authorised when cancelled; captured after
        (True, 24000, True, "EUR 240.00"),  # the fee kept what was paid; more came after
        (True, 24000, True, ""),  # nothing came after: "No refund is due" as before
    ],
)
def test_money_after_the_cancellation_is_told_as_gone_back_not_as_no_refund(
    paid_before: bool, fee: int, paid: bool, late: str
) -> None:
    shop, pid = authorised()
    capture(shop.ctx, "ord_1", amount=None, gateway=shop.gateway, accounts=shop.accounts)
    order = shop.order()
    [first] = order.payments
    payments, refunds = (first,) if paid_before else (), ()
    if late:
        after = replace(first, id="pi_late", attempt=first.attempt + 1, received=24000)
        assert after.status is AttemptStatus.SUCCEEDED
        payments = (*payments, after)
        refunds = (Refund("re_late", "pi_late", 24000, LATE_CANCELLED, "succeeded", "t"),)
    order = replace(order, payments=payments, refunds=refunds)
    data = {"fee": fee, "refund": 0, "cancelled_by": "customer"}
    got = kind_data("cancelled", shop.tenant, order, data, "en", shop.ctx.now())["cancellation"]
    assert (got["paid"], got["refund_due"], got["late_refund"]) == (paid, False, late)
