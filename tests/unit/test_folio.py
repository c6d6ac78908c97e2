"""The folio's rules without I/O: a charge at its own rate, a discount's tax coming off the
tax, voids kept on record, the folio closed to holds and ended orders, and the money
invariant after a random mix of charges, discounts, voids, payments, refunds and a
cancellation."""

from __future__ import annotations

import contextlib
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.booking.domain import order_money as money
from chalicelib.booking.domain.bill import bill_lines, tax_bands
from chalicelib.booking.domain.folio import Charge, ChargeKind, taxed
from chalicelib.booking.domain.folio_changes import (
    FolioClosed,
    priced,
    with_charge,
    without_charge,
)
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.payment_records import AttemptStatus, Payment, PaymentKind, Refund
from chalicelib.kernel.domain.errors import Conflict, DomainError, InvalidInput
from chalicelib.payments.domain.payments import (
    check_desk_payment,
    check_refund,
    with_payment,
    with_refund,
)
from tests.unit.test_order_state_machine import _held

NOW = "2026-11-24T09:05:00.000000Z"


def confirmed() -> Order:
    return replace(_held(), status=BookingStatus.CONFIRMED, hold_expires_at=None)


def extra(n: int, amount: int, *, kind: ChargeKind = ChargeKind.CHARGE, rate: int = 2000) -> Charge:
    tax, total = priced(amount=amount, quantity=1, tax_bp=rate, inclusive=True)
    return Charge(f"c{n}", kind, "x", 1, amount, rate, True, tax, total, NOW, "staff@x")


def test_tax_is_rounded_half_up_included_or_added():
    assert taxed(900, 2000, True) == (150, 900)
    assert taxed(500, 2000, True) == (83, 500)
    assert taxed(1000, 825, False) == (83, 1083)
    assert taxed(1, 0, True) == (0, 1)


def test_a_charge_counts_in_the_total_and_tax_and_a_paid_order_owes_again():
    order = confirmed()
    paid = with_payment(
        order, Payment("dpay_1", PaymentKind.DESK, 100, 1, AttemptStatus.SUCCEEDED, 100), NOW
    )
    assert paid.payment_status.value == "paid"
    after = with_charge(paid, extra(1, 900))
    assert (after.total, after.tax - paid.tax, money.balance(after)) == (1000, 150, 900)
    assert after.payment_status.value == "partially_paid" and after.version == paid.version + 1
    assert with_charge(after, extra(1, 900)) is after  # the same id again: nothing


def test_a_discount_takes_its_tax_off_the_tax_and_bands_add_up():
    order = with_charge(
        with_charge(confirmed(), extra(1, 1200)), extra(2, 600, kind=ChargeKind.DISCOUNT)
    )
    lines = bill_lines(order)
    assert [line.total for line in lines][-2:] == [1200, -600]
    bands = tax_bands(lines)
    assert sum(b.total for b in bands) == order.total
    assert sum(b.tax for b in bands) == order.tax
    assert {b.tax_bp: b.tax for b in bands}[2000] == 200 - 100


def test_the_folio_is_closed_to_a_hold_and_to_an_ended_order():
    with pytest.raises(FolioClosed):
        with_charge(_held(), extra(1, 100))
    cancelled = replace(confirmed(), status=BookingStatus.CANCELLED)
    with pytest.raises(FolioClosed):
        with_charge(cancelled, extra(1, 100))


def test_a_void_is_kept_and_cannot_leave_the_order_below_nothing():
    order = with_charge(confirmed(), extra(1, 500))
    order = with_charge(order, extra(2, 450, kind=ChargeKind.DISCOUNT))
    with pytest.raises(Conflict):  # the 20 % rate would bill less than nothing
        without_charge(order, "c1", at=NOW, by="m@x", reason="wrong")
    voided = without_charge(order, "c2", at=NOW, by="m@x", reason="no")
    assert voided.total == 600 and len(voided.charges) == 2 and not voided.charges[1].live
    assert without_charge(voided, "c2", at=NOW, by="m@x", reason="again") is voided


def test_a_discount_comes_off_what_its_own_rate_bills():
    order = with_charge(confirmed(), extra(1, 500, rate=2000))
    with pytest.raises(InvalidInput):  # 5.01 off the 5.00 billed at 20 %
        with_charge(order, extra(2, 501, kind=ChargeKind.DISCOUNT, rate=2000))
    with pytest.raises(InvalidInput):  # nothing is billed at 10 %
        with_charge(order, extra(3, 1, kind=ChargeKind.DISCOUNT, rate=1000))


def test_a_charge_out_of_bounds_is_refused():
    for kw in (
        {"amount": 0},
        {"quantity": 0},
        {"tax_bp": 10_001},
        {"amount": 99_999_999, "quantity": 2},
    ):
        args = {"amount": 100, "quantity": 1, "tax_bp": 0, "inclusive": True} | kw
        with pytest.raises(InvalidInput):
            priced(**args)


step = st.tuples(
    st.sampled_from(["charge", "discount", "void", "pay", "refund", "cancel"]),
    st.integers(min_value=-5, max_value=150),
    st.integers(min_value=0, max_value=9),
)


def apply(order: Order, n: int, kind: str, amount: int, pick: int) -> Order:
    if kind in ("charge", "discount"):
        chosen = ChargeKind.CHARGE if kind == "charge" else ChargeKind.DISCOUNT
        return with_charge(order, extra(n, amount, kind=chosen, rate=[0, 700, 2000][pick % 3]))
    if kind == "void":
        if not order.charges:
            return order
        target = order.charges[pick % len(order.charges)]
        return without_charge(order, target.id, at=NOW, by="m@x", reason="r")
    if kind == "pay":
        check_desk_payment(order, amount)
        p = Payment(f"dpay_{n}", PaymentKind.DESK, amount, n, AttemptStatus.SUCCEEDED, amount)
        return with_payment(order, p, NOW)
    if kind == "refund":
        check_refund(order, amount, online=False)
        return with_refund(order, Refund(f"dref_{n}", "", amount, "r", "succeeded", NOW), NOW)
    fee = max(0, min(amount, order.total))
    after = order.transition(
        BookingStatus.CANCELLED, at=NOW, actor="staff", cancellation={"fee": fee}
    )
    return replace(after, payment_status=money.payment_status_of(after))  # as cancel() does


@given(st.lists(step, max_size=30))
def test_the_money_adds_up_after_any_mix_of_charges_payments_refunds_and_a_cancellation(steps):
    order = confirmed()
    for n, (kind, amount, pick) in enumerate(steps, start=1):
        with contextlib.suppress(DomainError):  # refused: nothing changed
            order = apply(order, n, kind, amount, pick)
        kept = money.received(order) - money.refunded(order)
        assert kept >= 0 and order.total >= 0
        assert money.balance(order) == money.due(order) - kept
        assert order.payment_status is money.payment_status_of(order)
        lines = bill_lines(order)
        assert all(b.total >= 0 for b in tax_bands(lines))  # no rate bills less than nothing
        assert sum(line.total for line in lines) == order.total
        assert sum(b.tax for b in tax_bands(lines)) == order.tax
        live = [c for c in order.charges if c.live]
        assert order.total == order.lines_total + sum(c.signed_total for c in live)


def test_two_desks_charging_one_order_at_once_both_land(monkeypatch):
    from chalicelib.booking.services import orders as order_service
    from chalicelib.payments.services import folio
    from tests.builders import Shop, room_type, stay_offering
    from tests.unit.test_concurrent_transitions import held, race

    shop = Shop().add(room_type(rooms=1), stay_offering())
    held(shop)
    order_service.confirm(shop.ctx, "ord_1")
    ask = folio.ChargeRequest(label="Minibar", unit_amount=450, tax_bp=1900)
    attempts = race(
        monkeypatch, shop, lambda: folio.add_charge(shop.ctx, "ord_1", charge_id="chg_b", ask=ask)
    )
    after = folio.add_charge(shop.ctx, "ord_1", charge_id="chg_a", ask=ask)
    assert sorted(c.id for c in after.charges) == ["chg_a", "chg_b"]
    assert after.total == after.lines_total + 900
    assert attempts[0] == attempts[-1] - 1  # the loser read again and wrote on the new version
    names = [e.name for e in shop.data.orders.events]
    assert names.count("ChargeAdded") == 2


def test_a_cancellation_after_a_discount_keeps_its_fee_on_the_discounted_price():
    """Half back by the policy, on a stay sold half off and paid: the fee is half of what
    was paid, not half of the list price (which was all of it)."""
    from chalicelib.booking.services.cancellation_terms import StayClock
    from chalicelib.booking.services.orders import cancellation_terms
    from chalicelib.catalog.domain.catalog import CancellationPolicy, RefundTier

    order = confirmed()
    line = order.lines[0]
    half_off = extra(9, line.total // 2, kind=ChargeKind.DISCOUNT, rate=line.tax_bp)
    order = with_charge(order, half_off)
    policies = {line.offering_id: CancellationPolicy((RefundTier(0, 5000),))}
    clock = StayClock("Europe/Berlin", 15 * 60)
    terms = cancellation_terms(order, NOW, policies, clock)
    assert terms["fee"] == order.total // 2 and terms["refundable"] == order.total - terms["fee"]
    full_fee = {line.offering_id: CancellationPolicy((RefundTier(0, 0),))}
    assert cancellation_terms(order, NOW, full_fee, clock)["fee"] == order.total  # never more


def test_check_out_asks_nothing_of_a_card_payment_rounded_to_the_processors_steps():
    """12.344 KWD taken online as 12.340 is paid: check-out does not ask for 4 fils."""
    order = replace(confirmed(), currency="KWD")
    order = with_charge(order, extra(1, 12_244, rate=0))
    assert order.total == 12_344
    card = Payment("pi_1", PaymentKind.FULL, 12_340, 1, AttemptStatus.SUCCEEDED, 12_340)
    paid = with_payment(order, card, NOW)
    assert paid.payment_status.value == "paid" and money.balance(paid) == 4
    assert money.outstanding(paid) == 0
