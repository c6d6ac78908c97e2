"""The money a cancellation's message tells, as it stands when the message is written: what
the refund rule gives back (recorded by the cancellation), whether the customer had paid when
they cancelled (only then "No refund is due" with the fee kept), and what came in after the
cancellation and went back whole (a capture that landed after it, a late payment: payments'
refunds.late_payment records it received and refunded at once, under `LATE_CANCELLED`),
which no fee keeps and which is no part of what the customer had paid when they cancelled."""

from __future__ import annotations

from typing import Any

from chalicelib.booking.domain.order_money import received, refund_on_cancellation
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.payment_records import COUNTED_REFUNDS, AttemptStatus
from chalicelib.kernel.domain.values import value
from chalicelib.payments.services.refunds import LATE_CANCELLED


@value
class CancellationMoney:
    fee: int  # kept by the policy
    refund: int  # what the refund rule gives back
    paid: bool  # paid when cancelled: the refund, or "no refund is due" for the fee, is told
    late_back: int  # came in after the cancellation and gone back (minor units)


def cancellation_money(order: Order, data: dict[str, Any]) -> CancellationMoney:
    """From the `OrderCancelled` event's `data` and the order as it is now. The refund as the
    cancellation recorded it (an event from before `refund` was recorded: the same rule, on
    the order as it is now)."""
    fee = int(data.get("fee", 0))
    refund = int(data["refund"]) if "refund" in data else refund_on_cancellation(order, fee)
    late = [r for r in order.refunds if r.reason == LATE_CANCELLED and r.status in COUNTED_REFUNDS]
    ids = {r.payment_id for r in late}
    came_late = sum(
        p.received for p in order.payments if p.id in ids and p.status is AttemptStatus.SUCCEEDED
    )
    before = received(order) - came_late
    back = min(came_late, sum(r.amount for r in late))
    paid = before > 0 and (refund > 0 or fee > 0)
    return CancellationMoney(fee=fee, refund=refund, paid=paid, late_back=back)
