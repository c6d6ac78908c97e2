"""Money taken and handed back at the desk: cash, a card terminal, a bank transfer, a gift card
or another tender, recorded by staff on the order. Nothing goes through Stripe; the order's
payment status and balance follow these records as they follow online ones (order_money.py),
in the same order write with its event (PaymentReceived, RefundIssued: the customer's receipt,
the tenant's webhooks and the audit log, as for money online).

A record's id comes from the request's Idempotency-Key (`dpay_`/`dref_`), and an order keeps
one record per id: a retried request that died after its write records nothing twice.

A gift card is a tender with a code: the payment debits the card (gift_card_ports.py) in the
order's own transaction, on condition that the card still holds the amount, and records the
card's id as its reference; a refund by gift card puts the money back onto the cards the order
was paid with, in the refund's transaction.

Two staff recording money on one order at once both land, or the second is refused on the
order as it then is (more than is owed, more than is left to refund): the write that finds
the order changed since its read reads again and decides again (payment_orders.rereading).

A payment may carry a tip (the customer's 150.00 in cash on a 135.00 bill: 135.00 and a 15.00
tip): the staff's money, not the order's. It is on the payment (`tip`) and on its takings entry,
so the drawer adds up, but never in what the order received: not in its paid figure, not
against its balance, never given back by a refund (which gives back what the order received).

Each record is also an entry on the day's takings, written in the same transaction, which is
refused (409 `day_closed`, nothing written) when the day is closed (services/takings.py).
"""

from __future__ import annotations

from chalicelib.booking.domain.order_money import refundable
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.payment_records import (
    AttemptStatus,
    Payment,
    PaymentKind,
    Refund,
    Tender,
)
from chalicelib.booking.services.booking import order_facts
from chalicelib.booking.services.orders import get_order
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.events import PaymentReceived, RefundIssued
from chalicelib.kernel.domain.money import amount_text
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.payments.domain.collection import open_online
from chalicelib.payments.domain.payments import (
    OnlinePaymentOpen,
    check_desk_payment,
    check_owed_back,
    check_refund,
    check_tip,
    find_payment,
    next_attempt,
    with_payment,
    with_refund,
)
from chalicelib.payments.domain.takings import Direction
from chalicelib.payments.services.gift_card_ports import (
    GiftCardCharge,
    GiftCardTender,
    told_why,
)
from chalicelib.payments.services.gift_card_refunds import (
    back_to_cards,
    check_room_on_cards,
    desk_takings,
    on_cards,
    refund_made,
)
from chalicelib.payments.services.payment_orders import commit, rereading
from chalicelib.payments.services.payment_ports import PaymentsContext
from chalicelib.payments.services.takings import entry_items


def _at_the_desk(method: Tender) -> Tender:
    if method is Tender.ONLINE:
        raise InvalidInput(
            "Money online goes through Stripe: record cash, a card terminal, a transfer, a"
            " gift card or other.",
            code="invalid_tender",
            field="method",
        )
    return method


@rereading  # two tills at one order at once: the loser decides again on the order as it now is
def record_payment(
    ctx: PaymentsContext,
    order_id: str,
    *,
    record_id: str,
    amount: int,
    method: Tender,
    reference: str = "",
    gift_card_code: str | None = None,
    gift_cards: GiftCardTender | None = None,
    tip: int = 0,
) -> Order:
    """`tip`: left for the staff with the payment, on top of `amount` (check_tip): kept on the
    payment and on the takings, never in what the order received."""
    order = get_order(ctx, order_id)
    if find_payment(order, record_id) is not None:
        return order  # recorded by an earlier try of this request
    _at_the_desk(method)
    check_tip(order, method, tip)
    if gift_card_code and method is not Tender.GIFT_CARD:
        raise InvalidInput(
            "A gift card's code goes with the gift_card method only.",
            code="gift_card_code_unexpected",
            field="gift_card_code",
        )
    check_desk_payment(order, amount)
    _none_open_online(order)
    card_items: tuple[TransactionItem, ...] = ()
    charge: GiftCardCharge | None = None
    if method is Tender.GIFT_CARD:
        charge = _charge_card(ctx, gift_cards, gift_card_code, order, amount, record_id)
        reference, card_items = charge.card_id, charge.items
    now = ctx.now()
    payment = Payment(
        id=record_id,
        kind=PaymentKind.DESK,
        amount=amount,
        attempt=next_attempt(order),
        status=AttemptStatus.SUCCEEDED,
        received=amount,
        created_at=now,
        updated_at=now,
        method=method,
        reference=reference,
        taken_by=ctx.actor.email or ctx.actor.label,  # a login by its e-mail, a key by its id
        tip=tip,
    )
    after = with_payment(order, payment, now)
    received = PaymentReceived(**order_facts(ctx, after), payment_id=record_id, amount=amount)
    entry = entry_items(
        ctx,
        record_id=record_id,
        direction=Direction.IN,
        method=method.value,
        amount=amount,
        order_id=order.id,
        reference=reference,
        tip=tip,
    )
    with told_why(ctx, gift_cards, charge, order.currency):  # a spend that lost a race
        return commit(ctx, order, after, received, items=[*entry, *card_items])


def _none_open_online(order: Order) -> None:
    """While the customer's online payment of what is owed is open (the manage page's card
    form, an off-session charge processing), the desk takes nothing: the customer could pay
    it too. Staff cancel the attempt first (open_attempts.cancel_attempt); one that lands
    anyway on an order that no longer owes it goes back at once (overpaid.py)."""
    attempts = open_online(order)
    if attempts:
        p = attempts[-1]
        raise OnlinePaymentOpen(
            f"The customer's online payment of {amount_text(p.amount, order.currency)} is open:"
            " cancel it first, then take the money here.",
            payment_id=p.id,
            amount=p.amount,
        )


def _charge_card(
    ctx: PaymentsContext,
    gift_cards: GiftCardTender | None,
    code: str | None,
    order: Order,
    amount: int,
    record_id: str,
) -> GiftCardCharge:
    if not code or gift_cards is None:
        raise InvalidInput(
            "A gift card payment needs the card's code.",
            code="gift_card_code_required",
            field="gift_card_code",
        )
    return gift_cards.charge(
        ctx,
        card_code=code,
        amount=amount,
        most=amount,
        currency=order.currency,
        order_id=order.id,
        record_id=record_id,
    )


@rereading
def record_refund(
    ctx: PaymentsContext,
    order_id: str,
    *,
    record_id: str,
    amount: int,
    method: Tender,
    reason: str,
    gift_cards: GiftCardTender | None = None,
    owed_back: int | None = None,
) -> Order:
    """Money handed back at the desk, up to what the order has received and not given back
    (whichever way it came: a card payment may be settled in cash). By gift card: back onto
    the cards the order was paid with (gift_card_refunds.py). One that lost a race to another
    change of the order is decided again on the order as it now is (what is left to refund,
    and `owed_back`, what the desk's page said was owed, checked on that order: the write is
    conditioned on its version, so two desks' presses in the same instant give it back once)."""
    order = get_order(ctx, order_id)
    if refund_made(order, record_id):  # a retry: answered as it was
        return order
    check_owed_back(order, owed_back)
    _at_the_desk(method)
    if method is Tender.GIFT_CARD:
        check_room_on_cards(order, amount, min(on_cards(order), refundable(order)))
    check_refund(order, amount, online=False)
    if method is Tender.GIFT_CARD and gift_cards is not None:
        return _refund_to_cards(ctx, gift_cards, order, amount, record_id, reason)
    now = ctx.now()
    desk = [p for p in order.payments if p.kind is PaymentKind.DESK]
    refund = Refund(
        id=record_id,
        payment_id=desk[-1].id if desk else "",
        amount=amount,
        reason=reason[:300],
        status="succeeded",
        at=now,
        method=method,
        taken_by=ctx.actor.email or ctx.actor.label,  # a login by its e-mail, a key by its id
    )
    after = with_refund(order, refund, now)
    issued = RefundIssued(
        **order_facts(ctx, after), refund_id=record_id, amount=amount, reason=reason
    )
    entry = entry_items(
        ctx,
        record_id=record_id,
        direction=Direction.OUT,
        method=method.value,
        amount=amount,
        order_id=order.id,
        reference=refund.reason,
    )
    return commit(ctx, order, after, issued, items=entry)


def _refund_to_cards(
    ctx: PaymentsContext,
    gift_cards: GiftCardTender,
    order: Order,
    amount: int,
    record_id: str,
    reason: str,
) -> Order:
    after, made, items = back_to_cards(
        ctx, gift_cards, order, amount, record_id=record_id, reason=reason
    )
    events = [
        RefundIssued(**order_facts(ctx, after), refund_id=r.id, amount=r.amount, reason=r.reason)
        for r in made
    ]
    # On the takings only what went back onto cards the desk took payments from: money back
    # onto a card the widget paid with left no till (testers saw the day's takings fall).
    entry = desk_takings(ctx, order, made, record_id=record_id, reason=reason)
    return commit(ctx, order, after, *events, items=[*entry, *items])
