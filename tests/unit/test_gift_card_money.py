"""Gift-card money on an order, without I/O: what is due online after a gift card paid part of a
hold, and how a refund is spread back over the cards an order was paid with (newest first,
each up to what it took and has not had back)."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.domain.payment_records import (
    AttemptStatus,
    Payment,
    PaymentKind,
    Refund,
    Tender,
)
from chalicelib.payments.domain.payments import due_online, with_payment, with_refund
from chalicelib.payments.services.gift_card_refunds import card_payments, on_cards
from tests.unit.test_order_state_machine import _held, _line

NOW = "2026-11-24T09:05:00.000000Z"


def _order(total: int, deposit: int):
    line = replace(_line(), price_items=(("2026-12-24", total, 1),), subtotal=total, total=total)
    return replace(_held(), lines=(replace(line, deposit=deposit),))


def _card(n: int, amount: int, card: str) -> Payment:
    return Payment(
        f"gpay_{n}",
        PaymentKind.DESK,
        amount,
        n,
        AttemptStatus.SUCCEEDED,
        amount,
        method=Tender.GIFT_CARD,
        reference=card,
    )


def test_the_card_form_asks_only_what_the_gift_card_left():
    order = _order(20000, 20000)
    assert due_online(order, manual_capture=False, keep_card=False) == (PaymentKind.FULL, 20000)
    part = with_payment(order, _card(1, 7500, "gc_a"), NOW)
    assert due_online(part, manual_capture=False, keep_card=False) == (PaymentKind.FULL, 12500)
    assert due_online(part, manual_capture=True, keep_card=False) == (
        PaymentKind.AUTHORISATION,
        12500,
    )
    paid = with_payment(part, _card(2, 12500, "gc_b"), NOW)
    assert due_online(paid, manual_capture=False, keep_card=False) is None


def test_a_deposit_less_what_the_card_paid():
    order = with_payment(_order(20000, 6000), _card(1, 2000, "gc_a"), NOW)
    assert due_online(order, manual_capture=False, keep_card=False) == (PaymentKind.DEPOSIT, 4000)


def test_refunds_go_back_onto_the_newest_card_first_each_up_to_what_it_has_left():
    order = with_payment(_order(20000, 0), _card(1, 5000, "gc_old"), NOW)
    order = with_payment(order, _card(2, 3000, "gc_new"), NOW)
    cash = Payment("dpay_3", PaymentKind.DESK, 1000, 3, AttemptStatus.SUCCEEDED, 1000)
    order = with_payment(order, cash, NOW)
    assert [(p.reference, left) for p, left in card_payments(order)] == [
        ("gc_new", 3000),
        ("gc_old", 5000),
    ]
    back = Refund("r1", "gpay_2", 2000, "x", "succeeded", NOW, method=Tender.GIFT_CARD)
    order = with_refund(order, back, NOW)
    assert [(p.reference, left) for p, left in card_payments(order)] == [
        ("gc_new", 1000),
        ("gc_old", 5000),
    ]
    assert on_cards(order) == 6000  # the cash is not the cards'


def test_a_cancellation_s_given_back_is_on_the_takings_under_who_cancelled():
    """The consumer acts as the system; the cash-up names the staff member or key that
    cancelled, or the customer online (`widget`) for their own cancellation."""
    from chalicelib.payments.services.gift_card_refunds import cancelled_by

    by_desk = {"cancelled_by": "business", "by": "user:u123", "reason": "storm"}
    assert cancelled_by(replace(_held(), cancellation=by_desk)) == "user:u123"
    by_guest = {"cancelled_by": "customer", "by": "publishable_key:pk1"}
    assert cancelled_by(replace(_held(), cancellation=by_guest)) == "widget"
    assert cancelled_by(_held()) == ""  # none recorded: the entry takes the actor's own
    # Staff cancelling at the guest's request (for the customer: its fee applies) is staff's
    # doing on the takings (a tester's desk cancellation was put down to `widget`).
    at_request = {"cancelled_by": "customer", "by": "secret_key:key_1", "reason": "guest asked"}
    assert cancelled_by(replace(_held(), cancellation=at_request)) == "secret_key:key_1"


def test_a_desk_refund_whose_first_card_was_skipped_is_known_by_its_retry():
    """The newest card disabled, the refund's records are `{id}_1` onwards: a retry of the
    same request (a crash before its answer) finds them and gives nothing again."""
    from chalicelib.payments.services.gift_card_refunds import refund_made

    order = with_payment(_order(20000, 0), _card(1, 5000, "gc_old"), NOW)
    on_old = Refund("dref_a_1", "gpay_1", 2000, "x", "succeeded", NOW, method=Tender.GIFT_CARD)
    order = with_refund(order, on_old, NOW)
    assert refund_made(order, "dref_a")
    assert not refund_made(order, "dref_b")
