"""Which reason a cancellation message gives the customer: the business's, as its staff wrote
it for them; never the customer's own back to them, and not the unpaid rule's (which has its
own sentence in the message)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from chalicelib.notifications.services.content_cancellation import business_reason
from chalicelib.payments.services.collect import UNPAID_REASON


def order(reason: str) -> Any:
    return SimpleNamespace(cancellation={"reason": reason})


def test_the_business_reason_is_told_and_the_others_are_not():
    assert business_reason(order("Storm warning"), {"cancelled_by": "business"}) == (
        "Storm warning"
    )
    assert business_reason(order("Plans changed"), {"cancelled_by": "customer"}) == ""
    assert business_reason(order(UNPAID_REASON), {"cancelled_by": "business"}) == ""
    assert business_reason(SimpleNamespace(cancellation=None), {"cancelled_by": "business"}) == ""
