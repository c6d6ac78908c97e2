"""What an order has received and can still give back: sums over its payment records.

The cancellation's refund is here, not with the payment flows, because booking states it (the
cancellation answer and message say what comes back) and the refund itself pays it
(payments/services/refunds.py): one rule for both.
"""

from __future__ import annotations

from collections.abc import Collection

from chalicelib.booking.domain.orders import BookingStatus, Order, PaymentStatus
from chalicelib.booking.domain.payment_records import (
    COUNTED_REFUNDS,
    GIVEN_BACK_BY_ITSELF,
    AttemptStatus,
    Tender,
)
from chalicelib.kernel.domain.money import to_provider_amount


def received(order: Order) -> int:
    return sum(p.received for p in order.payments if p.status is AttemptStatus.SUCCEEDED)


def refunded(order: Order) -> int:
    return sum(r.amount for r in order.refunds if r.status in COUNTED_REFUNDS)


def refunded_by_payment(order: Order) -> dict[str, int]:
    """What has gone back from each payment record (by its id), the refunds that count."""
    back: dict[str, int] = {}
    for r in order.refunds:
        if r.status in COUNTED_REFUNDS:
            back[r.payment_id] = back.get(r.payment_id, 0) + r.amount
    return back


def refundable(order: Order) -> int:
    return max(0, received(order) - refunded(order))


def refundable_online(order: Order) -> int:
    """What Stripe can still give back: the online payments less their refunds (money taken
    at the desk goes back at the desk), and never more than the order still keeps (a card
    payment settled in cash at the desk is not refunded again)."""
    online = {p.id for p in order.payments if p.online}
    got = sum(
        p.received for p in order.payments if p.online and p.status is AttemptStatus.SUCCEEDED
    )
    back = sum(
        r.amount for r in order.refunds if r.payment_id in online and r.status in COUNTED_REFUNDS
    )
    return max(0, min(got - back, refundable(order)))


def due(order: Order) -> int:
    """What the order asks of the customer now: its total; once cancelled, only the fee its
    cancellation kept (none: nothing), as far as it still keeps it: the fee was taken from
    money already paid (cancellation_terms.kept_terms), so a refund past what was owed back
    gives that much of the fee up (a goodwill refund of everything) and never makes it a debt
    to collect again (an outside tester's full refund left the fee "owed" and let the desk
    take it a second time); a no-show, only the no-show fee its terms keep
    (booking/domain/no_show.py; none: nothing); a hold that ran out, nothing (money it took
    is owed back: a gift card's part that went back onto no card, that card being disabled)."""
    if order.status is BookingStatus.CANCELLED:
        return min(int((order.cancellation or {}).get("fee", 0)), refundable(order))
    if order.status is BookingStatus.NO_SHOW:
        return order.no_show_fee
    if order.status is BookingStatus.EXPIRED:
        return 0
    return order.total


def authorised(order: Order) -> int:
    """What a card authorisation still holds (captured later: not received yet)."""
    return sum(p.amount for p in order.payments if p.status is AttemptStatus.AUTHORISED)


def balance(order: Order) -> int:
    """What the customer still owes (negative: what is owed back to them): what the order asks
    now less what it keeps. A cancelled order's money beyond its fee is owed back, whether
    Stripe gives it back (what came online) or the desk does."""
    return due(order) - received(order) + refunded(order)


def payment_status_of(order: Order) -> PaymentStatus:
    """What the payments and refunds recorded say, against what the order asks now: its total
    (a stay made longer or shorter changes it), once cancelled the fee it kept (an expired
    hold is measured against its total: its late payment revives it). `refund_due` while it
    keeps at least a processor's step more than that (a cancelled order before its refund, a
    stay made shorter; not an expired hold); else `paid` once what it keeps reaches it (in
    the processor's steps, which a three-decimal currency rounds), whatever went back and
    came in again before; `deposit_paid` once it keeps the deposit, `partially_paid` below
    that. A cancelled order that kept its fee and gave the rest back is
    `partially_refunded`; an order over (cancelled, a no-show, expired, checked out) that kept
    nothing of what it received, `refunded`; one still to come, `unpaid` again: it owes all
    (an outside tester's live booking given all its cash back read "Refunded", as if settled)."""
    got, back = received(order), refunded(order)
    if got == 0:
        if any(p.status is AttemptStatus.AUTHORISED for p in order.payments):
            return PaymentStatus.AUTHORISED
        if order.total <= 0 and order.status in _LIVE:  # a free booking (a coupon of all)
            return PaymentStatus.PAID
        return PaymentStatus.UNPAID
    kept = got - back
    cancelled = order.status in (BookingStatus.CANCELLED, BookingStatus.NO_SHOW)  # a fee's
    asked = due(order) if cancelled else max(0, order.total)
    over = to_provider_amount(max(0, kept - asked), order.currency)
    if over > 0 and order.status is not BookingStatus.EXPIRED:
        return PaymentStatus.REFUND_DUE
    if kept <= 0:  # a booking still to come that was given all back owes it all again
        return PaymentStatus.REFUNDED if order.status in _OVER else PaymentStatus.UNPAID
    if under_a_step(asked - kept, order.currency):
        return PaymentStatus.PARTIALLY_REFUNDED if cancelled and back else PaymentStatus.PAID
    if not cancelled and order.deposit > 0 and under_a_step(order.deposit - kept, order.currency):
        return PaymentStatus.DEPOSIT_PAID
    return PaymentStatus.PARTIALLY_PAID


# Bookings confirmed and not over: one that asks nothing has nothing left to pay.
_LIVE = frozenset({BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED})

# Orders whose money is settled for good: nothing more is asked of one that kept nothing.
_OVER = frozenset(
    {BookingStatus.CANCELLED, BookingStatus.NO_SHOW, BookingStatus.EXPIRED, BookingStatus.COMPLETED}
)


def under_a_step(short: int, currency: str) -> bool:
    """Whether what is still short of an amount is less than the processor's step, so no card
    can be asked for it: nothing in most currencies, under 10 fils in a three-decimal one (a
    total of 12.345 KWD paid by 12.340; a deposit of 4.115 by 4.110; 0.100 paid by a gift
    card's 0.085 and a card's 0.010, the card asked no more)."""
    return to_provider_amount(max(0, short), currency) == 0


def outstanding(order: Order) -> int:
    """What check-out asks for: the balance, less what the processor's steps could not take
    (positive: owed by the customer; negative: owed back to them; 0: settled)."""
    owed = balance(order)
    if owed > 0 and under_a_step(owed, order.currency):
        return 0
    return owed


def refund_on_cancellation(order: Order, fee: int) -> int:
    """What goes back when a cancellation costs `fee`: what was received beyond the fee,
    never more than is still refundable, in the processor's steps."""
    amount = min(refundable(order), max(0, received(order) - fee))
    return to_provider_amount(amount, order.currency)


def refund_ways(order: Order, refund: int, closed: Collection[str] = ()) -> dict[str, int]:
    """Of a cancellation's `refund`, what goes back by itself (`card_back`: Stripe refunds what
    came online, gift cards are credited again, those first: payments' refunds.settle_cancellation)
    and what the business owes back of what it took at the desk (`desk_back`: cash, the card
    terminal, a transfer), so the widget says what the message says (an outside tester's cash
    booking was told "refunded to you; a card payment goes back to the card" while nothing
    sends it). `closed`: the gift cards (by id, a payment's reference) staff disabled, which
    take nothing back (the refund leaves their part owed on the order): their part is the
    desk's to give back too (testers were told it "goes back by itself" to a disabled card).
    On the order before it is cancelled: its own refunds are not made yet."""
    back = refunded_by_payment(order)
    by_itself = sum(
        max(0, p.received - back.get(p.id, 0))
        for p in order.payments
        if p.status is AttemptStatus.SUCCEEDED
        and p.method in GIVEN_BACK_BY_ITSELF
        and not (p.method is Tender.GIFT_CARD and p.reference in closed)
    )
    card = min(refund, by_itself)
    return {"card_back": card, "desk_back": refund - card}


def gift_cards_paid_with(order: Order) -> frozenset[str]:
    """The gift cards (their ids) the order's payments took money from."""
    return frozenset(
        p.reference
        for p in order.payments
        if p.method is Tender.GIFT_CARD and p.status is AttemptStatus.SUCCEEDED and p.reference
    )
