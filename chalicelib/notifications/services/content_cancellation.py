"""The money a cancellation's message tells, as it stands when the message is written: what
the refund rule gives back (recorded by the cancellation), whether the customer had paid when
they cancelled (only then "No refund is due" with the fee kept), and what came in after the
cancellation and went back whole (a capture that landed after it, a late payment: payments'
refunds.late_payment records it received and refunded at once, under `LATE_CANCELLED`),
which no fee keeps and which is no part of what the customer had paid when they cancelled.

The refund goes back by itself only for what came online (Stripe refunds it) or from gift cards
(back onto them); money paid at the desk (cash, the card terminal, a transfer) is owed back and
given back by the business, so the message says that part apart (`desk_back`) rather than "We
refund" it (an outside tester's cancelled cash booking was promised a refund nothing sends); so
is a gift card's part when staff had disabled the card, which takes nothing back (the message
tells what the cancellation's answer recorded)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.booking.domain.order_money import received, refund_on_cancellation
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.payment_records import (
    COUNTED_REFUNDS,
    GIVEN_BACK_BY_ITSELF,
    AttemptStatus,
)
from chalicelib.kernel.domain.values import value
from chalicelib.payments.services.collect import UNPAID_REASON
from chalicelib.payments.services.refunds import LATE_CANCELLED, is_cancellation_refund


@value
class CancellationMoney:
    fee: int  # kept by the policy
    refund: int  # what the refund rule gives back
    paid: bool  # paid when cancelled: the refund, or "no refund is due" for the fee, is told
    late_back: int  # came in after the cancellation and gone back (minor units)
    desk_back: int = 0  # of `refund`, what was paid at the desk: the business gives it back


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
    desk = _desk_back(order, refund, fee, ids)
    return CancellationMoney(fee=fee, refund=refund, paid=paid, late_back=back, desk_back=desk)


def _desk_back(order: Order, refund: int, fee: int, late: set[str]) -> int:
    """Of `refund`, what the desk gives back: as the cancellation recorded it (its answer
    said so, knowing which gift cards were disabled: they take nothing back, so their part is
    the desk's); for a cancellation recorded before that, what the payments that go back by
    themselves cannot give."""
    recorded = (order.cancellation or {}).get("desk_back")
    if recorded is not None and int((order.cancellation or {}).get("refund", -1)) == refund:
        return int(recorded)
    return max(0, refund - _left_to_itself(order, fee, late))


def _left_to_itself(order: Order, fee: int, late: set[str]) -> int:
    """What the cancellation could give back by itself: the online and gift-card payments
    (not the late ones) less what went back from them before it (a staff refund); its own
    refunds, named by their reason (refunds.is_cancellation_refund), are what it gave. Online
    and cards go back first (refunds.settle_cancellation)."""
    before: dict[str, int] = {}
    for r in order.refunds:
        if r.status in COUNTED_REFUNDS and not is_cancellation_refund(order, fee, r.reason):
            before[r.payment_id] = before.get(r.payment_id, 0) + r.amount
    return sum(
        max(0, p.received - before.get(p.id, 0))
        for p in order.payments
        if p.status is AttemptStatus.SUCCEEDED
        and p.method in GIVEN_BACK_BY_ITSELF
        and p.id not in late
    )


def cancellation_words(
    order: Order, data: dict[str, Any], say: Callable[[int], str]
) -> dict[str, Any]:
    """The `cancellation` part of a cancelled message's context; `say`: an amount as money."""
    m = cancellation_money(order, data)
    desk = m.desk_back if m.paid else 0
    return {
        "refund": say(m.refund),
        # Of it: back to the card or gift card by itself, and what the desk owes back.
        "card_back": say(m.refund - desk) if m.refund > desk else "",
        "desk_back": say(desk) if desk else "",
        "fee": say(m.fee),
        "refund_due": m.paid and m.refund > 0,
        "has_fee": m.fee > 0,
        "by_business": data.get("cancelled_by") == "business",
        "paid": m.paid,
        "late_refund": say(m.late_back) if m.late_back else "",
        # Cancelled by the rule for a balance never paid (payments/services/collect.py).
        "unpaid": (order.cancellation or {}).get("reason") == UNPAID_REASON,
        "reason": business_reason(order, data),
    }


def business_reason(order: Order, data: dict[str, Any]) -> str:
    """Why the business cancelled, as its staff wrote it for the customer (a departure called
    off for weather: the bulk job and the console ask for it, and say the customer is told).
    A customer's own reason is theirs already, and the unpaid rule has its own sentence."""
    if data.get("cancelled_by") != "business":
        return ""
    reason = str((order.cancellation or {}).get("reason") or "")
    return "" if reason == UNPAID_REASON else reason
