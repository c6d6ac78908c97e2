"""The money a cancellation's message tells, as it stands when the message is written: what
the refund rule gives back (recorded by the cancellation), whether the customer had paid when
they cancelled (only then "No refund is due" with the fee kept), and what came in after the
cancellation and went back whole (a capture that landed after it, a late payment: payments'
refunds.late_payment records it received and refunded at once, under `LATE_CANCELLED`),
which no fee keeps and which is no part of what the customer had paid when they cancelled."""

from __future__ import annotations

from chalicelib.booking.domain.order_money import received
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.payment_records import COUNTED_REFUNDS, AttemptStatus
from chalicelib.kernel.domain.values import value
from chalicelib.payments.services.refunds import LATE_CANCELLED


@value
class CancellationMoney:
    paid: bool  # paid when cancelled: the refund, or "no refund is due" for the fee, is told
    late_back: int  # came in after the cancellation and gone back (minor units)


def cancellation_money(order: Order, fee: int, refund: int) -> CancellationMoney:
    late = [r for r in order.refunds if r.reason == LATE_CANCELLED and r.status in COUNTED_REFUNDS]
    ids = {r.payment_id for r in late}
    came_late = sum(
        p.received for p in order.payments if p.id in ids and p.status is AttemptStatus.SUCCEEDED
    )
    before = received(order) - came_late
    back = min(came_late, sum(r.amount for r in late))
    return CancellationMoney(paid=before > 0 and (refund > 0 or fee > 0), late_back=back)
