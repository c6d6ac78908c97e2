"""Money going back onto gift cards: a refund of an order paid (in part) by gift card puts the
money back onto the cards it came from, newest payment first, each up to what it has left, in
the refund's own transaction (the card's credit and ledger entry with the order's refund
record). Used by the desk's refund by gift card, by a cancellation's refund (what Stripe does
not give back goes back onto the cards), and by a hold that ran out after a gift card paid part
of it (the widget's split payment: the rest never came)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from chalicelib.booking.domain.order_money import refunded_by_payment
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.payment_records import (
    BY_WIDGET,
    AttemptStatus,
    Payment,
    Refund,
    Tender,
)
from chalicelib.booking.services.booking import order_facts
from chalicelib.kernel.domain.errors import Conflict, InvalidInput
from chalicelib.kernel.domain.events import RefundIssued
from chalicelib.kernel.domain.money import amount_text
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.payments.domain.payments import with_refund
from chalicelib.payments.domain.takings import Direction
from chalicelib.payments.services.gift_card_ports import GiftCardTender
from chalicelib.payments.services.payment_orders import commit
from chalicelib.payments.services.payment_ports import PaymentsContext
from chalicelib.payments.services.takings import entry_items

CARD_DISABLED = "gift_card_is_disabled"  # the tender's refusal of a disabled card (customers')
EXPIRED_REASON = "The hold ran out before the rest was paid: back onto the gift card"


def card_payments(order: Order) -> list[tuple[Payment, int]]:
    """The order's gift-card payments, newest first, with what each has not given back."""
    back = refunded_by_payment(order)
    paid = [
        p
        for p in order.payments
        if p.method is Tender.GIFT_CARD and p.status is AttemptStatus.SUCCEEDED
    ]
    out = [(p, p.received - back.get(p.id, 0)) for p in sorted(paid, key=lambda p: -p.attempt)]
    return [(p, left) for p, left in out if left > 0]


def on_cards(order: Order) -> int:
    """What can still go back onto the cards the order was paid with."""
    return sum(left for _, left in card_payments(order))


def check_room_on_cards(order: Order, amount: int, room: int) -> None:
    """422 `refund_too_large` naming what can go back onto the cards (`room`), checked
    before the order's own limit, so a refund by gift card is told the cards' limit, not a
    larger one a retry would meet again (an outside tester's "at most 23.80", then "0.00")."""
    if amount > room:
        raise InvalidInput(
            f"At most {amount_text(max(0, room), order.currency)} can go back onto the gift "
            "cards this order was paid with.",
            code="refund_too_large",
            refundable=max(0, room),
        )


def refund_id(key: str) -> str:
    return "gcref_" + hashlib.sha256(key.encode()).hexdigest()[:20]


def refund_made(order: Order, record_id: str) -> bool:
    """Whether the desk's refund `record_id` is on the order already: its own record, or the
    cards' (`{record_id}_{n}`, the first card skipped when disabled: a retry that looked for
    `record_id` alone, after a crash before the answer, would have given the money again)."""
    return any(r.id == record_id or r.id.startswith(f"{record_id}_") for r in order.refunds)


def back_to_cards(
    ctx: PaymentsContext,
    gift_cards: GiftCardTender,
    order: Order,
    amount: int,
    *,
    record_id: str,
    reason: str,
    owe_rest: bool = False,
    by: str = "",
) -> tuple[Order, list[Refund], list[TransactionItem]]:
    """`amount` back onto the order's cards: the order with the refunds recorded, the refunds,
    and the items that credit the cards (to commit together). 422 `refund_too_large` when the
    cards took less than `amount`. A disabled card takes nothing (money on it could never be
    spent): the others take what they can; what is left refuses the desk's refund (409
    `gift_card_is_disabled`: the desk refunds it another way), or, for a refund nobody is
    asked about (`owe_rest`: a cancellation's, a hold's that ran out), stays on the order as
    money owed back (its balance below zero), for the desk to settle. `by`: whose doing the
    refund is, when not the context's actor (a cancellation's: who cancelled, the customer's
    own as `widget`; the card's page tells staff, the customer and the system apart)."""
    check_room_on_cards(order, amount, on_cards(order))
    made: list[Refund] = []
    items: list[TransactionItem] = []
    closed: Conflict | None = None
    for n, (payment, left) in enumerate(card_payments(order)):
        part = min(left, amount - sum(r.amount for r in made))
        if part <= 0:
            break
        rid = record_id if n == 0 else f"{record_id}_{n}"
        try:
            credit = gift_cards.credit(
                ctx,
                card_id=payment.reference,
                amount=part,
                order_id=order.id,
                record_id=rid,
                note=reason[:300],
                by=by,
            )
        except Conflict as exc:
            if exc.code != CARD_DISABLED:
                raise
            closed = exc
            continue
        items += credit or ()
        refund = _card_refund(ctx, rid, payment, part, reason, by)
        order = with_refund(order, refund, ctx.now())
        made.append(refund)
    if closed is not None and not owe_rest and sum(r.amount for r in made) < amount:
        raise closed
    return order, made, items


def desk_takings(
    ctx: PaymentsContext,
    order: Order,
    made: Sequence[Refund],
    *,
    record_id: str,
    reason: str,
    taken_by: str = "",
) -> list[TransactionItem]:
    """The day's takings entry for what went back onto cards that paid at the desk, to commit
    with the refunds: their payments are on the takings (desk.record_payment), so a refund of
    them is too, the desk's own and one that only a cancellation made (no desk hand in it), or
    the day's gift-card figure keeps money the customer has back (probe of 2026-12-03). One
    entry for them all: a day's count is one item a transaction writes once. A widget's card
    payment is not a taking, nor is its refund, even one the desk gives (no money left the
    till: testers saw the day's takings fall). `taken_by`: whose doing it was (the consumer
    acts as the system, which no cash-up can ask about)."""
    desk = {p.id for p in order.payments if p.on_takings}
    amount = sum(r.amount for r in made if r.payment_id in desk)
    if amount == 0:
        return []
    return entry_items(
        ctx,
        record_id=record_id,
        direction=Direction.OUT,
        method=Tender.GIFT_CARD.value,
        amount=amount,
        order_id=order.id,
        reference=reason[:300],
        taken_by=taken_by,
    )


def cancelled_by(order: Order) -> str:
    """Who the cancellation's money went back for, as the takings name people: the staff
    member or key that cancelled (its label, which `GET /v1/actors` names), the customer
    online (`widget`) when it was their own."""
    record = order.cancellation or {}
    by = str(record.get("by") or "")
    # Who pressed it, not whose decision it was: staff cancelling at a guest's request cancel
    # "for the customer", and a tester's desk cancellation was put on the takings as `widget`.
    if by.partition(":")[0] in ("publishable_key", "anonymous"):
        return BY_WIDGET
    return by


def _card_refund(
    ctx: PaymentsContext, rid: str, payment: Payment, part: int, reason: str, by: str
) -> Refund:
    return Refund(
        id=rid,
        payment_id=payment.id,
        amount=part,
        reason=reason[:300],
        status="succeeded",
        at=ctx.now(),
        method=Tender.GIFT_CARD,
        taken_by=by or ctx.actor.email or ctx.actor.label,
    )


def return_on_expiry(
    ctx: PaymentsContext, order_id: str, *, gift_cards: GiftCardTender, key: str
) -> str:
    """A hold that ran out with gift-card money on it (the rest by card never came): the money
    goes back onto the cards, once (the refund's id comes from `key`, and a second run finds
    nothing left on the cards)."""
    order = ctx.data.orders.get(order_id)
    if order is None or order.status is not BookingStatus.EXPIRED:
        return "nothing"
    amount = on_cards(order)
    if amount == 0:
        return "nothing"
    after, made, items = back_to_cards(
        ctx,
        gift_cards,
        order,
        amount,
        record_id=refund_id(key),
        reason=EXPIRED_REASON,
        owe_rest=True,
    )
    if not made:  # its only card was disabled: the money stays owed back, for the desk
        return "owed"
    items += desk_takings(ctx, order, made, record_id=refund_id(key), reason=EXPIRED_REASON)
    events = [
        RefundIssued(**order_facts(ctx, after), refund_id=r.id, amount=r.amount, reason=r.reason)
        for r in made
    ]
    commit(ctx, order, after, *events, items=items)
    return "returned"
