"""The widget pays a held booking with a gift card, whole or in part (the rest by card).

The card pays what the hold asks now (its deposit, or the whole when the booking asks for the
whole or an authorisation; `due_online`), or less: as much as it holds, or the amount the
customer gives. The payment is recorded on the order with the card's debit and ledger entry in
one transaction (gift_card_ports.py), and when it covers what the hold asks, the order is
confirmed in that same transaction, as a card payment confirms it. Otherwise the order stays
held and the widget asks Stripe for the rest (`start_payment` asks only for what is left).
A hold that then runs out gives the gift-card money back onto the card
(gift_card_refunds.return_on_expiry, on OrderExpired).

A confirmed booking's balance is paid the same way from its manage page: up to all it still
owes (`owed_now`: a plan's later instalments too, paid early), the order staying as it is.
The page offered only a bank card for it, so a customer holding a gift card had to call.
"""

from __future__ import annotations

from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.payment_records import (
    BY_WIDGET,
    AttemptStatus,
    Payment,
    PaymentKind,
    Tender,
)
from chalicelib.booking.services.booking import order_facts, status_change
from chalicelib.booking.services.own_orders import ManageTokenSecret, own_order_to_change
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.events import DomainEvent, OrderConfirmed, PaymentReceived
from chalicelib.kernel.domain.money import amount_text
from chalicelib.payments.domain.collection import owed_now
from chalicelib.payments.domain.payments import (
    NothingToPay,
    due_online,
    find_payment,
    next_attempt,
    with_payment,
)
from chalicelib.payments.services.gift_card_ports import GiftCardTender, told_why
from chalicelib.payments.services.pay_balance import PAYABLE
from chalicelib.payments.services.payment_orders import (
    check_live_hold,
    commit,
    order_policy,
    rereading,
)
from chalicelib.payments.services.payment_ports import PaymentsContext


def _payable(ctx: PaymentsContext, cache: CatalogCache, order: Order) -> int:
    """What the hold asks online now, or what a confirmed booking still owes; refused when it
    is neither or asks nothing."""
    if order.status in PAYABLE:
        owed = owed_now(order)
        if owed <= 0:
            raise NothingToPay("Nothing is owed on this booking.")
        return owed
    check_live_hold(ctx, order)
    policy = order_policy(ctx, cache, order)
    due = due_online(order, manual_capture=policy.manual_capture, keep_card=policy.keep_card)
    if due is None or due[1] <= 0:
        raise NothingToPay("Nothing is paid online for this booking now.")
    return due[1]


@rereading  # a double click: the loser decides again on the order as the winner left it
def pay_own_order_by_gift_card(
    ctx: PaymentsContext,
    secrets: ManageTokenSecret,
    order_id: str,
    token: str | None,
    *,
    card_code: str,
    amount: int | None,
    record_id: str,
    gift_cards: GiftCardTender,
    cache: CatalogCache,
) -> Order:
    """The customer pays their hold, or their confirmed booking's balance (reached with its
    manage token), with a gift card's code."""
    order = own_order_to_change(ctx, secrets, order_id, token)
    if find_payment(order, record_id) is not None:
        return order  # an earlier try of this request
    most = _payable(ctx, cache, order)
    if amount is not None and amount > most:
        raise InvalidInput(
            f"At most {amount_text(most, order.currency)} is asked now.",
            code="payment_too_large",
            owed=most,
            field="amount",
        )
    charge = gift_cards.charge(
        ctx,
        card_code=card_code,
        amount=amount,
        most=most,
        currency=order.currency,
        order_id=order.id,
        record_id=record_id,
    )
    now = ctx.now()
    payment = Payment(
        id=record_id,
        kind=PaymentKind.DESK,  # recorded here: nothing went through Stripe
        amount=charge.amount,
        attempt=next_attempt(order),
        status=AttemptStatus.SUCCEEDED,
        received=charge.amount,
        created_at=now,
        updated_at=now,
        method=Tender.GIFT_CARD,
        reference=charge.card_id,
        taken_by=BY_WIDGET,
    )
    after = with_payment(order, payment, now)
    events: list[DomainEvent] = []
    held = order.status is BookingStatus.HELD
    if held and charge.amount >= most:  # the card paid what the hold asks: confirmed, as by a card
        after = after.transition(BookingStatus.CONFIRMED, at=now, actor=ctx.actor.label)
        events.append(OrderConfirmed(**status_change(ctx, order, after), by="payment"))
    received = PaymentReceived(
        **order_facts(ctx, after), payment_id=record_id, amount=charge.amount
    )
    with told_why(ctx, gift_cards, charge, order.currency):  # another spend came first
        return commit(ctx, order, after, received, *events, items=charge.items)
