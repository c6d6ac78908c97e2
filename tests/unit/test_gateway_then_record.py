"""Payments paths that call Stripe and then write the order (a capture, a cancellation's
refund, a no-show fee): when the order changed between their read and their write, what Stripe
did is written onto the order as it now is (payment_orders.record_made), never dropped with a
409 `version_mismatch` while the money has moved."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.domain.orders import BookingStatus, PaymentStatus
from chalicelib.booking.services import orders as order_service
from chalicelib.catalog.domain.catalog import DepositPolicy
from chalicelib.payments.services.captures import capture
from chalicelib.payments.services.payment_orders import commit
from chalicelib.payments.services.refunds import settle_cancellation
from chalicelib.payments.services.staff_refunds import refund_order
from tests.unit.payment_support import PayingShop
from tests.unit.test_payments_service import TIERS, paid_tour, start, sync


def test_a_capture_is_recorded_though_the_guest_checked_in_meanwhile(monkeypatch) -> None:
    shop = PayingShop(deposit=DepositPolicy(manual_capture=True))
    shop.hold()
    pid = start(shop).payment.id
    shop.gateway.pay(shop.account, pid)
    assert sync(shop, pid) == "confirmed"
    real = shop.gateway.capture

    def capture_while_checking_in(*args, **kwargs):
        order_service.check_in(shop.ctx, "ord_1", early=True)
        return real(*args, **kwargs)

    monkeypatch.setattr(shop.gateway, "capture", capture_while_checking_in)
    capture(shop.ctx, "ord_1", amount=None, gateway=shop.gateway, accounts=shop.accounts)
    order = shop.order()
    assert order.status is BookingStatus.CHECKED_IN
    assert order.payment_status is PaymentStatus.PAID
    assert [e.name for e in shop.data.orders.events][-2:] == ["OrderCheckedIn", "PaymentReceived"]


def test_a_cancellations_refund_is_recorded_though_the_order_changed_meanwhile(
    monkeypatch,
) -> None:
    shop = paid_tour(TIERS, 100)
    order_service.cancel(shop.ctx, shop.cache, "ord_1")
    real = shop.gateway.refund

    def refund_then_another_change(**kwargs):
        made = real(**kwargs)
        o = shop.order()  # any other write of the order (its version moves on)
        commit(shop.ctx, o, replace(o, version=o.version + 1, updated_at=shop.ctx.now()))
        return made

    monkeypatch.setattr(shop.gateway, "refund", refund_then_another_change)
    got = settle_cancellation(
        shop.ctx, "ord_1", fee=0, key="cancel:evt", gateway=shop.gateway, accounts=shop.accounts
    )
    assert got == "refunded"
    pid = shop.order().payments[0].id
    assert [r.amount for r in shop.gateway.refunds_of(shop.account, pid)] == [24000]
    assert [(r.status, r.amount) for r in shop.order().refunds] == [("succeeded", 24000)]
    assert shop.order().payment_status is PaymentStatus.REFUNDED
    assert [e.name for e in shop.data.orders.events].count("RefundIssued") == 1


def test_a_staff_refund_first_leaves_a_cancellation_nothing_to_refund() -> None:
    shop = paid_tour(TIERS, 100)
    order_service.cancel(shop.ctx, shop.cache, "ord_1")
    refund_order(
        shop.ctx,
        "ord_1",
        amount=24000,
        reason="goodwill",
        key="refund_s",
        gateway=shop.gateway,
        accounts=shop.accounts,
    )
    got = settle_cancellation(
        shop.ctx, "ord_1", fee=0, key="cancel:evt", gateway=shop.gateway, accounts=shop.accounts
    )
    assert got == "nothing"
    pid = shop.order().payments[0].id
    assert [r.amount for r in shop.gateway.refunds_of(shop.account, pid)] == [24000]


def test_a_scheduled_charge_racing_the_desk_is_recorded_and_what_is_not_owed_goes_back(
    monkeypatch,
) -> None:
    """The balance charged off-session at the moment the desk takes it in cash: the charge
    is recorded on the order as it now is and, owing nothing more, refunded at once."""
    from chalicelib.booking.domain.payment_records import Tender
    from chalicelib.payments.services import desk
    from tests.unit.test_collection_service import CollectingShop

    shop = CollectingShop()
    shop.book_and_pay()
    shop.at("2026-12-17T08:00:30.000000Z")
    real = shop.gateway.charge_saved_card

    def charge_while_the_desk_takes_it(**kwargs):
        desk.record_payment(
            shop.ctx, "ord_1", record_id="dpay_desk", amount=24000 - 7200, method=Tender.CASH
        )
        return real(**kwargs)

    monkeypatch.setattr(shop.gateway, "charge_saved_card", charge_while_the_desk_takes_it)
    assert shop.fire() == ["charged"]
    order = shop.order()
    charge = order.payments[-1]
    assert charge.online and charge.received == 24000 - 7200
    back = shop.gateway.refunds_of(shop.account, charge.id)
    assert [r.amount for r in back] == [24000 - 7200]
    assert order.payment_status is PaymentStatus.PAID
    assert sum(r.amount for r in order.refunds) == 24000 - 7200
