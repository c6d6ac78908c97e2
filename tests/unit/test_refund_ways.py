"""Of a cancellation's refund, what goes back by itself (Stripe, gift cards: `card_back`) and
what the business owes back of what its desk took (`desk_back`): an outside tester's cash
booking was told by the widget "refunded to you; a card payment goes back to the card it came
from" while nothing sends it. Online and gift cards go back first, as the refund gives back."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.domain.order_money import refund_on_cancellation, refund_ways
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.domain.payment_records import (
    AttemptStatus,
    Payment,
    PaymentKind,
    Refund,
    Tender,
)
from tests.unit.test_folio import NOW, confirmed


def paid(order: Order, *taken: tuple[Tender, int]) -> Order:
    def one(i: int, method: Tender, amount: int) -> Payment:
        kind = PaymentKind.DESK if method is not Tender.ONLINE else PaymentKind.DEPOSIT
        ok = AttemptStatus.SUCCEEDED
        return Payment(f"p{i}", kind, amount, 1, ok, amount, method=method)

    return replace(order, payments=tuple(one(i, m, a) for i, (m, a) in enumerate(taken)))


def ways(order: Order, fee: int) -> tuple[int, int]:
    w = refund_ways(order, refund_on_cancellation(order, fee))
    return w["card_back"], w["desk_back"]


def test_cash_alone_is_owed_back_by_the_business():
    assert ways(paid(confirmed(), (Tender.CASH, 100)), 50) == (0, 50)


def test_a_card_online_alone_goes_back_by_itself():
    assert ways(paid(confirmed(), (Tender.ONLINE, 100)), 50) == (50, 0)


def test_the_card_and_gift_cards_go_back_first_and_the_desk_owes_the_rest():
    order = paid(confirmed(), (Tender.ONLINE, 20), (Tender.CASH, 50), (Tender.GIFT_CARD, 30))
    assert ways(order, 10) == (50, 40)
    # 15 of the card's 20 went back before (a staff refund): of what goes back now, only the
    # card's 5 left and the gift card's 30 go back by themselves, the desk owes the rest.
    before = Refund("re_1", "p0", 15, "goodwill", "succeeded", NOW)
    card, desk = ways(replace(order, refunds=(before,)), 10)
    assert card == 35 and desk > 0


def test_a_disabled_gift_cards_part_is_owed_back_by_the_business():
    """A card staff disabled takes nothing back (the refund leaves its part owed on the
    order), so its part is the desk's: testers were told it went back to the card."""
    order = paid(confirmed(), (Tender.ONLINE, 20), (Tender.GIFT_CARD, 30))
    order = replace(
        order, payments=(order.payments[0], replace(order.payments[1], reference="gc_1"))
    )
    refund = refund_on_cancellation(order, 0)
    assert refund_ways(order, refund, closed={"gc_1"}) == {"card_back": 20, "desk_back": 30}
    assert refund_ways(order, refund, closed={"gc_2"}) == {"card_back": 50, "desk_back": 0}
