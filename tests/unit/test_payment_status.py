"""The payment status's edges the API tests do not reach (PROBE2 defect 4): a three-decimal
currency's cancelled order keeps less than one processor step beyond its fee (no refund_due: no
card refund can give it), an expired hold is measured against its total (its late payment
revives it), and a deposit-free order part paid is partially_paid."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.booking.domain.order_money import balance, outstanding, payment_status_of
from chalicelib.booking.domain.orders import BookingStatus, Order, PaymentStatus
from chalicelib.booking.domain.payment_records import (
    AttemptStatus,
    Payment,
    PaymentKind,
    Refund,
    Tender,
)
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.payments.domain.payments import check_desk_payment, due_online
from tests.unit.test_folio import NOW, confirmed

S, P = BookingStatus, PaymentStatus


def paid(order: Order, amount: int) -> Order:
    p = Payment("dpay_1", PaymentKind.DESK, amount, 1, AttemptStatus.SUCCEEDED, amount)
    return replace(order, payments=(p,))


def cancelled(order: Order, fee: int) -> Order:
    return order.transition(S.CANCELLED, at=NOW, actor="staff", cancellation={"fee": fee})


def test_a_deposit_free_order_part_paid_is_partially_paid_and_then_paid():
    order = confirmed()  # 1.00, no deposit
    assert payment_status_of(paid(order, 40)) is P.PARTIALLY_PAID
    assert payment_status_of(paid(order, 100)) is P.PAID
    assert payment_status_of(paid(order, 140)) is P.REFUND_DUE  # a stay made shorter


def test_a_deposit_counts_from_its_amount_on():
    order = confirmed()
    line = replace(order.lines[0], deposit=30)
    order = replace(order, lines=(line,))
    assert [payment_status_of(paid(order, a)) for a in (29, 30, 99)] == [
        P.PARTIALLY_PAID,
        P.DEPOSIT_PAID,
        P.DEPOSIT_PAID,
    ]


def test_a_three_decimal_card_pays_in_steps_of_ten_never_above_what_is_owed():
    """An outside tester's KWD card paid 12.350 for a 12.345 total and 4.120 for a 4.115
    deposit: what a step of 10 fils cannot take is not asked, never rounded up."""
    kwd = replace(confirmed(), currency="KWD")  # 0.100 KWD
    with_deposit = replace(kwd, lines=(replace(kwd.lines[0], deposit=35),))
    assert [payment_status_of(paid(with_deposit, a)) for a in (25, 26, 30)] == [
        P.PARTIALLY_PAID,  # 10 fils short: a card can take them
        P.DEPOSIT_PAID,  # 9 short: no card can
        P.DEPOSIT_PAID,  # 0.035 is paid by 0.030, all a card can take of it
    ]
    whole = replace(kwd, lines=(replace(kwd.lines[0], deposit=100),))
    assert due_online(paid(whole, 95), manual_capture=False, keep_card=False) is None  # 5 fils
    assert due_online(paid(whole, 85), manual_capture=False, keep_card=False) == (
        PaymentKind.FULL,
        10,
    )
    assert due_online(whole, manual_capture=True, keep_card=False) == (
        PaymentKind.AUTHORISATION,
        100,
    )
    assert due_online(paid(whole, 91), manual_capture=True, keep_card=False) is None
    # A gift card's 0.085 and a card's 0.010: the card was asked no more, and the order is
    # paid, nothing outstanding at check-out (a review's finding: partially_paid, 5 owed).
    gift = Payment("gc_1", PaymentKind.DESK, 85, 1, AttemptStatus.SUCCEEDED, 85)
    card = Payment("pi_1", PaymentKind.FULL, 10, 2, AttemptStatus.SUCCEEDED, 10)
    both = replace(whole, payments=(gift, card))
    assert due_online(both, manual_capture=False, keep_card=False) is None
    assert payment_status_of(both) is P.PAID and outstanding(both) == 0
    assert outstanding(paid(whole, 85)) == 15  # a whole step and more is still asked


def test_a_three_decimal_cancellation_owes_back_only_a_whole_processor_step():
    kwd = replace(confirmed(), currency="KWD")
    assert payment_status_of(cancelled(paid(kwd, 100), fee=95)) is P.PAID  # 5 fils: no step
    assert payment_status_of(cancelled(paid(kwd, 100), fee=90)) is P.REFUND_DUE  # 10 fils
    # A fee recorded beyond what the order kept (cancelled before fees were capped to it):
    # nothing collects more after a cancellation.
    assert payment_status_of(cancelled(paid(kwd, 50), fee=90)) is P.PAID
    assert balance(cancelled(paid(kwd, 50), fee=90)) == 0


def refunded(order: Order, amount: int) -> Order:
    r = Refund("ref_1", "dpay_1", amount, "goodwill", "succeeded", NOW, method=Tender.CASH)
    return replace(order, refunds=(r,))


@pytest.mark.parametrize("currency", ["EUR", "JPY", "KWD"])
def test_a_refund_past_what_a_cancellation_owed_back_gives_up_the_fee_never_owes_it(currency):
    """Paid 11,901, cancelled keeping 7,934, so 3,967 owed back: staff giving back more waive
    that much of the fee; the order never owes the fee again (the desk could take it twice),
    and says the same in every currency."""
    order = cancelled(paid(replace(confirmed(), currency=currency), 11901), 7934)
    assert balance(order) == -3967 and payment_status_of(order) is P.REFUND_DUE
    for back, status in [(3967, P.PARTIALLY_REFUNDED), (3968, P.PARTIALLY_REFUNDED)]:
        assert balance(refunded(order, back)) == 0
        assert payment_status_of(refunded(order, back)) is status
    everything = refunded(order, 11901)
    assert balance(everything) == 0 and payment_status_of(everything) is P.REFUNDED
    with pytest.raises(InvalidInput) as refused:
        check_desk_payment(everything, 7934)
    assert refused.value.code == "payment_too_large" and refused.value.details["owed"] == 0


def test_an_expired_hold_paid_late_is_measured_against_its_total():
    held = replace(confirmed(), status=S.HELD, hold_expires_at=NOW)
    expired = held.transition(S.EXPIRED, at=NOW, actor="system")
    assert payment_status_of(paid(expired, 100)) is P.PAID
    assert payment_status_of(paid(expired, 40)) is P.PARTIALLY_PAID


def test_a_booking_still_to_come_given_all_back_owes_it_all_and_an_ended_one_is_refunded():
    """An outside tester gave a confirmed booking's cash all back (a payment taken on the wrong
    booking): the console's badge said "Refunded", as if settled, while its balance asked the
    whole total. Still to come, it is `unpaid` again; over, `refunded`."""
    order = refunded(paid(confirmed(), 100), 100)
    assert balance(order) == 100
    assert payment_status_of(order) is P.UNPAID
    checked_in = order.transition(S.CHECKED_IN, at=NOW, actor="staff")
    assert payment_status_of(checked_in) is P.UNPAID
    completed = checked_in.transition(S.COMPLETED, at=NOW, actor="staff")
    assert payment_status_of(completed) is P.REFUNDED
    assert payment_status_of(cancelled(order, fee=0)) is P.REFUNDED


def test_a_confirmed_booking_that_asks_nothing_is_paid():
    """An outside tester's booking made free by a coupon read `unpaid` for ever (and was
    found by the unpaid filter): 0 asked, 0 kept is paid. A free hold or a cancelled one is
    not."""
    free = replace(confirmed(), lines=(replace(confirmed().lines[0], total=0, tax=0),))
    assert free.total == 0
    assert payment_status_of(free) is P.PAID
    assert payment_status_of(replace(free, status=S.HELD)) is P.UNPAID
    assert payment_status_of(cancelled(free, fee=0)) is P.UNPAID
