"""Payments through the services on the fakes: collecting, confirming on Stripe's word,
failures, late payments, refunds by policy and by staff, capture, no-show fees."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.booking.domain.orders import BookingStatus, PaymentStatus
from chalicelib.booking.domain.payment_records import AttemptStatus
from chalicelib.booking.services import no_shows
from chalicelib.booking.services import orders as order_service
from chalicelib.catalog.domain.catalog import (
    CancellationPolicy,
    DepositKind,
    DepositPolicy,
    RefundTier,
)
from chalicelib.kernel.domain.errors import Conflict, HoldExpired, InvalidInput
from chalicelib.payments.domain.payments import NothingToPay, PaymentsNotEnabled
from chalicelib.payments.services.captures import capture
from chalicelib.payments.services.payment_ports import StripeLink
from chalicelib.payments.services.payments import start_payment, sync_intent
from chalicelib.payments.services.refunds import (
    LATE_TAKEN,
    charge_no_show,
    settle_cancellation,
)
from chalicelib.payments.services.staff_refunds import refund_order
from tests.fakes import AUTH_CARD, DECLINED_CARD
from tests.unit.payment_support import PayingShop

S = BookingStatus


def start(shop: PayingShop, order_id: str = "ord_1"):
    return start_payment(
        shop.ctx, order_id, gateway=shop.gateway, accounts=shop.accounts, cache=shop.cache
    )


def sync(shop: PayingShop, intent_id: str) -> str:
    return sync_intent(shop.ctx, shop.account, intent_id, gateway=shop.gateway)


def test_a_held_order_gets_one_intent_on_the_tenants_account_with_the_plans_fee() -> None:
    shop = PayingShop()
    order = shop.hold()
    started = start(shop)
    assert started.payment.amount == order.total == 24000
    assert started.client_secret and started.payment.status is AttemptStatus.PENDING
    kind, account, params = shop.gateway.calls[-1]
    assert account == shop.account
    assert params["application_fee_amount"] == 720  # free plan: 3 %
    assert params["key"] == "ord_1:attempt:1"
    again = start(shop)  # a retried request: the same attempt, no second intent
    assert again.payment.id == started.payment.id and len(shop.gateway.calls) == 1


def test_success_confirms_the_order_once_whatever_the_events_order() -> None:
    shop = PayingShop()
    shop.hold()
    pid = start(shop).payment.id
    assert sync(shop, pid) == "unchanged"  # payment_intent.created: nothing yet
    shop.gateway.pay(shop.account, pid)
    assert sync(shop, pid) == "confirmed"
    order = shop.order()
    assert order.status is S.CONFIRMED and order.payment_status is PaymentStatus.PAID
    assert sync(shop, pid) == "unchanged"  # the same event again, or a late `created`
    names = [e.name for e in shop.data.orders.events]
    assert names.count("PaymentReceived") == 1 and names.count("OrderConfirmed") == 1


def test_a_declined_card_keeps_the_hold_and_tells_the_customer_then_another_card_pays() -> None:
    shop = PayingShop()
    shop.hold()
    pid = start(shop).payment.id
    shop.gateway.pay(shop.account, pid, DECLINED_CARD)
    assert sync(shop, pid) == "failed"
    order = shop.order()
    assert order.status is S.HELD and order.payments[0].error == "card_declined"
    assert [e.name for e in shop.data.orders.events][-1] == "PaymentFailed"
    assert start(shop).payment.id == pid  # the same intent takes another card
    shop.gateway.pay(shop.account, pid)
    assert sync(shop, pid) == "confirmed"


def test_a_card_needing_authentication_keeps_the_hold() -> None:
    shop = PayingShop()
    shop.hold()
    pid = start(shop).payment.id
    shop.gateway.pay(shop.account, pid, AUTH_CARD)
    assert sync(shop, pid) == "updated"
    assert shop.order().status is S.HELD
    assert shop.order().payments[0].status is AttemptStatus.ACTION_REQUIRED


def test_a_payment_after_expiry_re_takes_the_units_when_they_are_still_free() -> None:
    shop = PayingShop(rooms=1)
    shop.hold()
    pid = start(shop).payment.id
    shop.clock.advance(16 * 60)
    assert order_service.expire(shop.ctx, "ord_1") is not None
    assert shop.used() == 0
    shop.gateway.pay(shop.account, pid)
    assert sync(shop, pid) == "revived"
    order = shop.order()
    assert order.status is S.CONFIRMED and order.payment_status is PaymentStatus.PAID
    assert shop.used() == 2  # both nights taken again


def test_a_payment_after_expiry_is_refunded_at_once_when_the_units_are_taken() -> None:
    shop = PayingShop(rooms=1)
    shop.hold()
    pid = start(shop).payment.id
    shop.clock.advance(16 * 60)
    order_service.expire(shop.ctx, "ord_1")
    shop.hold("ord_2", "bob@example.test")  # someone else takes the room
    shop.gateway.pay(shop.account, pid)
    assert sync(shop, pid) == "refunded"
    order = shop.order()
    assert order.status is S.EXPIRED and order.payment_status is PaymentStatus.REFUNDED
    assert order.refunds[0].amount == 24000 and order.refunds[0].reason == LATE_TAKEN
    assert shop.used() == 2  # only ord_2's nights
    assert sync(shop, pid) == "unchanged"


def test_a_late_payment_whose_discount_went_meanwhile_says_so(monkeypatch) -> None:
    """The room was still free but the coupon's last use had gone to another booking: the
    refund's reason (in the customer's message) said the booking was taken by someone else."""
    from chalicelib.payments.services import refunds

    shop = PayingShop(rooms=1)
    shop.hold()
    pid = start(shop).payment.id
    shop.clock.advance(16 * 60)
    order_service.expire(shop.ctx, "ord_1")

    def used_up(*args: object, **kwargs: object) -> None:
        raise Conflict("The code has been used up.", code="coupon_used_up")

    monkeypatch.setattr(refunds, "revive", used_up)
    shop.gateway.pay(shop.account, pid)
    assert sync(shop, pid) == "refunded"
    assert shop.order().refunds[0].reason == refunds.LATE_REDEEMED != LATE_TAKEN


def test_a_payment_after_expiry_is_refunded_when_capacity_was_closed_meanwhile() -> None:
    """The expired hold gave its units back, so closing the room then was allowed; the late
    payment must not re-take a room that is no longer offered (that would oversell)."""
    shop = PayingShop(rooms=1)
    shop.hold()
    pid = start(shop).payment.id
    shop.clock.advance(16 * 60)
    order_service.expire(shop.ctx, "ord_1")
    room = shop.data.catalog.get_resource("res_double")
    shop.replace_resource(room, capacity=0)  # the room is taken out of service
    shop.gateway.pay(shop.account, pid)
    assert sync(shop, pid) == "refunded"
    assert shop.order().status is S.EXPIRED
    assert shop.used() == 0


def test_no_online_payment_without_a_connected_account_or_with_nothing_due() -> None:
    shop = PayingShop(deposit=DepositPolicy())
    shop.hold()
    with pytest.raises(NothingToPay):
        start(shop)
    shop.accounts.links[shop.tenant.id] = StripeLink(shop.tenant.id, version=9)
    with pytest.raises(PaymentsNotEnabled):
        start(shop)


def test_an_expired_hold_cannot_start_a_payment() -> None:
    shop = PayingShop()
    shop.hold()
    shop.clock.advance(15 * 60)
    with pytest.raises(HoldExpired):
        start(shop)


def test_a_deposit_is_collected_and_reads_as_deposit_paid() -> None:
    shop = PayingShop(deposit=DepositPolicy(DepositKind.PERCENT, 3000))
    shop.hold()
    pid = start(shop).payment.id
    assert shop.order().payments[0].amount == 7200
    shop.gateway.pay(shop.account, pid)
    sync(shop, pid)
    assert shop.order().payment_status is PaymentStatus.DEPOSIT_PAID


def paid_tour(tiers: tuple[RefundTier, ...], hours_before: float) -> PayingShop:
    shop = PayingShop()
    offering = shop.data.catalog.offerings["off_stay"]
    shop.data.catalog.put_offering(
        replace(offering, cancellation=CancellationPolicy(tiers), rev=offering.rev + 1),
        expected_rev=offering.rev,
    )
    shop.hold()
    pid = start(shop).payment.id
    shop.gateway.pay(shop.account, pid)
    sync(shop, pid)
    start_at = shop.order().lines[0].start
    from chalicelib.kernel.domain.calendar import parse_iso_utc

    target = parse_iso_utc(start_at).timestamp() - hours_before * 3600
    shop.clock.advance(target - shop.clock.moment.timestamp())
    return shop


TIERS = (RefundTier(0, 0), RefundTier(24, 5000), RefundTier(72, 10000))


@pytest.mark.parametrize(
    ("hours", "refund", "status"),
    [
        (100, 24000, PaymentStatus.REFUNDED),
        (48, 12000, PaymentStatus.PARTIALLY_REFUNDED),
        (2, 0, PaymentStatus.PAID),
    ],
)
def test_cancellation_refunds_by_policy_tier(hours: float, refund: int, status) -> None:
    shop = paid_tour(TIERS, hours)
    cancelled = order_service.cancel(shop.ctx, shop.cache, "ord_1", reason="plans changed")
    fee = cancelled.cancellation["fee"]
    assert fee + cancelled.cancellation["refundable"] == 24000
    settle_cancellation(
        shop.ctx, "ord_1", fee=fee, key="cancel:evt", gateway=shop.gateway, accounts=shop.accounts
    )
    order = shop.order()
    assert sum(r.amount for r in order.refunds) == refund == 24000 - fee
    assert order.payment_status is status
    # the event delivered twice refunds once (Stripe's idempotency key carries the event id)
    settle_cancellation(
        shop.ctx, "ord_1", fee=fee, key="cancel:evt", gateway=shop.gateway, accounts=shop.accounts
    )
    assert sum(r.amount for r in shop.order().refunds) == refund


def test_staff_refund_any_amount_up_to_what_was_paid() -> None:
    shop = paid_tour(TIERS, 100)

    def refund(amount: int, key: str):
        return refund_order(
            shop.ctx,
            "ord_1",
            amount=amount,
            reason="goodwill",
            key=key,
            gateway=shop.gateway,
            accounts=shop.accounts,
        )

    assert refund(5000, "r1").payment_status is PaymentStatus.PARTIALLY_PAID
    with pytest.raises(InvalidInput, match=r"At most 190\.00 EUR can still be refunded") as over:
        refund(19001, "r2")
    assert over.value.details["refundable"] == 19000
    with pytest.raises(InvalidInput):
        refund(0, "r3")
    assert refund(19000, "r4").payment_status is PaymentStatus.UNPAID  # still to come: owes all
    assert sum(r.amount for r in shop.order().refunds) == 24000


def test_a_hotel_authorises_captures_at_check_in_and_releases_on_cancellation() -> None:
    shop = PayingShop(deposit=DepositPolicy(manual_capture=True))
    shop.hold()
    pid = start(shop).payment.id
    assert shop.gateway.calls[-1][2]["manual"] is True
    shop.gateway.pay(shop.account, pid)
    assert sync(shop, pid) == "confirmed"
    assert shop.order().payment_status is PaymentStatus.AUTHORISED
    after = capture(shop.ctx, "ord_1", amount=None, gateway=shop.gateway, accounts=shop.accounts)
    assert after.payment_status is PaymentStatus.PAID

    other = PayingShop(deposit=DepositPolicy(manual_capture=True))
    other.hold()
    pid = start(other).payment.id
    other.gateway.pay(other.account, pid)
    sync(other, pid)
    order_service.cancel(other.ctx, other.cache, "ord_1")
    settle_cancellation(
        other.ctx, "ord_1", fee=0, key="c", gateway=other.gateway, accounts=other.accounts
    )
    assert other.gateway.get_payment_intent(other.account, pid).status == "canceled"
    assert other.order().payment_status is PaymentStatus.UNPAID


@pytest.mark.parametrize(
    ("card", "outcome"), [("4242424242424242", "charged"), (DECLINED_CARD, "declined")]
)
def test_a_no_show_is_charged_its_fee_on_the_saved_card_and_a_decline_is_recorded(
    card: str, outcome: str
) -> None:
    shop = PayingShop(deposit=DepositPolicy(no_show_fee=5000))
    shop.hold()
    started = start(shop)
    assert started.payment.id.startswith("seti_")  # nothing charged now, the card is kept
    shop.gateway.pay(shop.account, started.payment.id, card)
    assert sync(shop, started.payment.id) == "confirmed"
    assert shop.order().card_on_file is not None
    assert shop.order().payment_status is PaymentStatus.UNPAID
    shop.clock.advance(40 * 86400)
    no_shows.no_show(shop.ctx, "ord_1")
    assert (
        charge_no_show(shop.ctx, shop.cache, "ord_1", gateway=shop.gateway, accounts=shop.accounts)
        == outcome
    )
    fee = shop.order().payments[-1]
    assert fee.amount == 5000
    assert (fee.error == "card_declined") is (outcome == "declined")
    assert (
        charge_no_show(shop.ctx, shop.cache, "ord_1", gateway=shop.gateway, accounts=shop.accounts)
        == "already_charged"
    )


def test_an_intent_of_another_tenant_never_touches_this_tenants_orders() -> None:
    a, b = PayingShop(), PayingShop()
    a.hold()
    b.hold()  # the same order id in B's table
    pid = start(b).payment.id
    b.gateway.pay(b.account, pid)
    a.gateway = b.gateway
    b_meta = b.gateway.intents[(b.account, pid)]["metadata"]
    b_meta["tenant_id"] = "t_other"
    assert sync_intent(a.ctx, b.account, pid, gateway=b.gateway) == "not_ours"
    assert a.order().status is S.HELD and b.order().status is S.HELD


def test_a_kwd_order_is_charged_in_steps_of_ten_and_counts_as_paid() -> None:
    shop = PayingShop(currency="KWD")
    offering = shop.data.catalog.offerings["off_stay"]
    pricing = replace(offering.pricing, amount=12345, tax_bp=0)
    shop.data.catalog.put_offering(
        replace(offering, pricing=pricing, rev=offering.rev + 1), expected_rev=offering.rev
    )
    order = shop.hold()
    assert order.total == 24690
    pid = start(shop).payment.id
    assert shop.order().payments[0].amount == 24690  # already a multiple of 10
    shop.gateway.pay(shop.account, pid)
    sync(shop, pid)
    assert shop.order().payment_status is PaymentStatus.PAID


def test_checking_in_captures_a_hotels_authorisation_once() -> None:
    from types import SimpleNamespace

    from chalicelib.kernel.domain.event_registry import typed
    from chalicelib.payments.services.payment_consumers import CaptureOnCheckIn

    shop = PayingShop(deposit=DepositPolicy(manual_capture=True))
    shop.hold()
    pid = start(shop).payment.id
    shop.gateway.pay(shop.account, pid)
    assert sync(shop, pid) == "confirmed"
    order_service.check_in(shop.ctx, "ord_1", early=True)
    deps = SimpleNamespace(gateway=shop.gateway, payment_accounts=shop.accounts)
    event = typed(shop.data.orders.events[-1])
    CaptureOnCheckIn().handle(shop.ctx, event, deps)
    assert shop.order().payment_status is PaymentStatus.PAID
    captures = [c for c in shop.gateway.calls if c[0] == "capture"]
    CaptureOnCheckIn().handle(shop.ctx, event, deps)  # nothing left authorised: no call
    assert [c for c in shop.gateway.calls if c[0] == "capture"] == captures


def test_checking_in_a_pay_at_venue_order_captures_nothing() -> None:
    from types import SimpleNamespace

    from chalicelib.kernel.domain.event_registry import typed
    from chalicelib.payments.services.payment_consumers import CaptureOnCheckIn

    shop = PayingShop(deposit=DepositPolicy())
    shop.hold()
    order_service.confirm(shop.ctx, "ord_1")
    order_service.check_in(shop.ctx, "ord_1", early=True)
    deps = SimpleNamespace(gateway=shop.gateway, payment_accounts=shop.accounts)
    event = typed(shop.data.orders.events[-1])
    CaptureOnCheckIn().handle(shop.ctx, event, deps)
    assert shop.order().payment_status is PaymentStatus.UNPAID


def test_two_payment_starts_at_once_answer_the_same_attempt(monkeypatch) -> None:
    """The manage page opened in two tabs (or reloaded while its first start runs): both
    starts make the same intent (one Stripe key), one commits first, and the other is decided
    again on the order as it now is, finding that attempt, not refused 409 version_mismatch
    ("The order was changed since it was read", which the widget showed)."""
    from tests.unit.test_concurrent_transitions import race

    shop = PayingShop()
    shop.hold()
    first: list = []
    race(monkeypatch, shop, lambda: first.append(start(shop)))
    second = start(shop)
    assert second.payment.id == first[0].payment.id
    assert [p.id for p in shop.order().payments] == [second.payment.id]
    assert [e.name for e in shop.data.orders.events].count("PaymentStarted") == 1


def test_a_payment_started_as_the_business_cancels_is_refused_in_words(monkeypatch) -> None:
    from tests.unit.test_concurrent_transitions import race

    shop = PayingShop()
    shop.hold()
    race(monkeypatch, shop, lambda: order_service.cancel(shop.ctx, shop.cache, "ord_1"))
    with pytest.raises(Conflict) as refused:
        start(shop)
    assert refused.value.code == "order_not_held"  # said as such, not "changed since read"
