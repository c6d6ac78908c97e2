"""The cancellation message says what is refunded: what was paid beyond the fee, computed by
the one refund rule (booking/domain/order_money.refund_on_cancellation) that the refund itself uses,
and nothing about a refund when nothing was paid. It once promised the order's total minus the fee
to a customer who had paid only a deposit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.booking.domain.orders import Channel
from chalicelib.booking.domain.payment_records import Tender
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.catalog.domain.catalog import (
    CancellationPolicy,
    DepositKind,
    DepositPolicy,
    RefundTier,
)
from chalicelib.kernel.domain.calendar import parse_iso_utc
from chalicelib.payments.services import desk, staff_refunds
from chalicelib.payments.services.payments import start_payment, sync_intent
from chalicelib.payments.services.refunds import is_cancellation_refund
from tests.stage import ADA, Stage
from tests.unit.payment_support import CHECK_IN, PayingShop

# a full refund 72 h or more before, half from 24 h, nothing after
TIERS = (RefundTier(0, 0), RefundTier(24, 5000), RefundTier(72, 10000))


def _stage(deposit: DepositPolicy, *, pay: bool, hours_before: float) -> tuple[Stage, PayingShop]:
    shop = PayingShop(deposit=deposit)
    offering = shop.data.catalog.offerings["off_stay"]
    shop.data.catalog.put_offering(
        replace(offering, cancellation=CancellationPolicy(TIERS), rev=offering.rev + 1),
        expected_rev=offering.rev,
    )
    stage = Stage(shop)
    stage.c.gateway, stage.c.payment_accounts = shop.gateway, shop.accounts
    line = LineInput("off_stay", check_in=CHECK_IN, nights=2)
    hold_order(stage.ctx, shop.cache, HoldInput(ADA, [line], Channel.WIDGET), order_id="ord_1")
    if pay:
        started = start_payment(
            stage.ctx, "ord_1", gateway=shop.gateway, accounts=shop.accounts, cache=shop.cache
        )
        shop.gateway.pay(shop.account, started.payment.id)
        sync_intent(stage.ctx, shop.account, started.payment.id, gateway=shop.gateway)
    stage.drain()
    start = parse_iso_utc(shop.order().lines[0].start).timestamp()
    shop.clock.advance(start - hours_before * 3600 - shop.clock.moment.timestamp())
    return stage, shop


def _cancel(stage: Stage, shop: PayingShop):
    order_service.cancel(stage.ctx, shop.cache, "ord_1", reason="plans changed")
    stage.drain()
    [email] = [e for e in stage.emails() if e.subject.startswith("Cancelled")]
    [sms] = [text for _, text in stage.c.sms.sent if "cancelled" in text]
    return email, sms, sum(r.amount for r in shop.order().refunds)


def test_a_deposit_paid_booking_is_promised_the_deposit_back_not_the_total():
    deposit = DepositPolicy(DepositKind.PERCENT, 3000)  # 7,200 of 24,000
    stage, shop = _stage(deposit, pay=True, hours_before=100)
    email, _, refunded = _cancel(stage, shop)
    assert refunded == 7200
    assert "We refund EUR 72.00 to the card or gift card you paid with." in email.text
    assert "EUR 72.00" in email.html
    assert "240.00" not in email.text


def test_a_deposit_that_the_fee_eats_up_is_no_refund_and_says_so():
    deposit = DepositPolicy(DepositKind.PERCENT, 3000)
    stage, shop = _stage(deposit, pay=True, hours_before=48)  # fee: half of 24,000
    email, _, refunded = _cancel(stage, shop)
    assert refunded == 0
    assert "We refund" not in email.text and "No refund is due" in email.text
    # The fee keeps the 72.00 deposit paid, never the policy's 120.00 (P7A finding 1).
    assert "cancellation fee EUR 72.00" in email.text and "120.00" not in email.text


def test_a_fully_paid_booking_gets_what_was_paid_minus_the_fee():
    stage, shop = _stage(DepositPolicy(DepositKind.FULL), pay=True, hours_before=48)
    email, sms, refunded = _cancel(stage, shop)
    assert refunded == 12000
    said = (
        "We refund EUR 120.00 to the card or gift card you paid with (cancellation fee EUR 120.00)."
    )
    assert said in email.text
    assert "Refund to your card or gift card: EUR 120.00." in sms


@pytest.mark.parametrize(("online", "before"), [(False, 0), (True, 0), (True, 5000)])
def test_money_paid_at_the_desk_is_owed_back_by_the_business_not_refunded_by_itself(online, before):
    """Cash goes back at the desk: nothing refunds it by itself, so the message does not say
    "We refund" it (an outside tester's finding); a deposit paid online still goes back to the
    card, less what staff gave back from it before the cancellation, and the message says the
    two apart."""
    deposit = DepositPolicy(DepositKind.PERCENT, 3000)  # 7,200 of 24,000
    stage, shop = _stage(deposit, pay=online, hours_before=100)  # a full refund
    if not online:
        order_service.confirm(stage.ctx, "ord_1")
    paid = shop.order().total - (7200 if online else 0)
    desk.record_payment(stage.ctx, "ord_1", record_id="desk_1", amount=paid, method=Tender.CASH)
    if before:  # staff gave 50.00 back to the card first
        staff_refunds.refund_order(
            stage.ctx, "ord_1", amount=before, reason="Goodwill", key="k1",
            gateway=shop.gateway, accounts=shop.accounts,
        )  # fmt: skip
    stage.drain()
    email, sms, refunded = _cancel(stage, shop)
    card = (7200 - before) if online else 0
    assert refunded == before + card  # the cash is left for the desk to give back
    cash = f"EUR {paid / 100:.2f}"
    said = f"Of what you paid at Shop, {cash} is owed back to you: Shop gives it back."
    assert said in email.text and f"Owed back to you by Shop: {cash}." in sms
    to_card = f"We refund EUR {card / 100:.2f} to the card or gift card you paid with."
    assert (to_card in email.text) is online
    assert ("Refund to your card" in sms) is online


@pytest.mark.parametrize("hours_before", [100, 48])
def test_nothing_is_said_about_a_refund_when_nothing_was_paid(hours_before):
    stage, shop = _stage(DepositPolicy(DepositKind.FULL), pay=False, hours_before=hours_before)
    email, sms, refunded = _cancel(stage, shop)
    assert refunded == 0
    assert "refund" not in email.text.lower() and "refund" not in email.html.lower()
    assert "refund" not in sms.lower()


@pytest.mark.parametrize(
    ("pay", "hours_before", "refund"), [(False, 48, 0), (True, 100, 7200), (True, 48, 0)]
)
def test_the_cancelled_order_records_the_refund_the_message_promises(pay, hours_before, refund):
    """The order's cancellation (what the API answers) says what goes back, not the policy's
    share of the total: the same figure as the message and the refund."""
    deposit = DepositPolicy(DepositKind.PERCENT, 3000)
    stage, shop = _stage(deposit, pay=pay, hours_before=hours_before)
    _, _, refunded = _cancel(stage, shop)
    assert shop.order().cancellation["refund"] == refunded == refund


def test_the_refunds_reason_says_the_fee_as_money_and_the_old_form_is_still_known():
    """Found by an outside tester: the console showed "refund by the cancellation policy (fee
    10000)" beside a 60.00 refund. The reason says the fee in the currency now; a refund
    written before (minor units, bare) is still read as the cancellation's own when the
    message counts what went back by itself."""
    stage, shop = _stage(DepositPolicy(DepositKind.FULL), pay=True, hours_before=48)
    _cancel(stage, shop)
    order = shop.order()
    [refund] = order.refunds
    assert refund.reason == "Cancelled: refund by the cancellation policy (fee 120.00 EUR)"
    old = "Cancelled: refund by the cancellation policy (fee 12000)"
    assert is_cancellation_refund(order, 12000, old)
    assert is_cancellation_refund(order, 12000, refund.reason)
    assert not is_cancellation_refund(order, 12000, "Goodwill")
