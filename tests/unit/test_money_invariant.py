"""The money invariant, under random mixes of payments online and at the desk, refunds through
Stripe and at the desk, each checked by the same domain rules the services apply: what the
order keeps is never negative nor more than its total, its balance is its total less what it
keeps, its payment status is what its records say, and Stripe is never asked to give back
more than came online."""

from __future__ import annotations

import contextlib
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.booking.domain import order_money as money
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.payment_records import (
    AttemptStatus,
    Payment,
    PaymentKind,
    Refund,
    Tender,
)
from chalicelib.kernel.domain.errors import DomainError
from chalicelib.payments.domain.payments import (
    check_desk_payment,
    check_refund,
    refund_split,
    with_payment,
    with_refund,
)
from tests.unit.test_order_state_machine import _held

NOW = "2026-11-24T09:05:00.000000Z"
DESK = [t for t in Tender if t is not Tender.ONLINE]

step = st.tuples(
    st.sampled_from(["pay_online", "pay_desk", "refund_online", "refund_desk"]),
    st.integers(min_value=-5, max_value=150),
    st.sampled_from(DESK),
)


def apply(order: Order, n: int, kind: str, amount: int, tender: Tender) -> Order:
    if kind == "pay_online":  # what the widget collects: at most what is owed
        if not 0 < amount <= money.balance(order):
            return order
        p = Payment(f"pi_{n}", PaymentKind.DEPOSIT, amount, n, AttemptStatus.SUCCEEDED, amount)
        return with_payment(order, p, NOW)
    if kind == "pay_desk":
        check_desk_payment(order, amount)
        p = Payment(
            f"dpay_{n}", PaymentKind.DESK, amount, n, AttemptStatus.SUCCEEDED, amount, method=tender
        )
        return with_payment(order, p, NOW)
    if kind == "refund_online":
        check_refund(order, amount)
        for payment, part in refund_split(order, amount):
            assert payment.online
            order = with_refund(
                order, Refund(f"re_{n}_{payment.id}", payment.id, part, "r", "succeeded", NOW), NOW
            )
        return order
    check_refund(order, amount, online=False)
    return with_refund(order, Refund(f"dref_{n}", "", amount, "r", "succeeded", NOW, tender), NOW)


@given(st.lists(step, max_size=25))
def test_the_money_adds_up_after_any_mix_of_payments_and_refunds(steps):
    order = replace(_held(), status=BookingStatus.CONFIRMED, hold_expires_at=None)
    assert order.total == 100
    for n, (kind, amount, tender) in enumerate(steps, start=1):
        with contextlib.suppress(DomainError):  # refused: nothing changed
            order = apply(order, n, kind, amount, tender)
        kept = money.received(order) - money.refunded(order)
        assert 0 <= kept <= order.total
        assert money.balance(order) == order.total - kept
        assert order.payment_status is money.payment_status_of(order)
        assert 0 <= money.refundable_online(order) <= money.refundable(order)
        online_in = sum(p.received for p in order.payments if p.online)
        online_back = sum(r.amount for r in order.refunds if r.id.startswith("re_"))
        assert online_back <= online_in
