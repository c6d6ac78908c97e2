"""A staff refund through Stripe that dies half-way (the function times out or crashes between
its steps) or that Stripe refuses: nothing is lost, nothing is refunded twice, and Stripe's
idempotency key is only ever sent with the amount recorded beside it (the fake gateway refuses
a key reused with another amount, as Stripe does)."""

from __future__ import annotations

import pytest

from chalicelib.booking.domain.orders import PaymentStatus
from chalicelib.booking.services import orders as order_service
from chalicelib.kernel.domain.errors import InvalidInput, TransientFailure
from chalicelib.payments.domain.payments import ProviderError
from chalicelib.payments.services.refunds import settle_cancellation, sync_refunds
from chalicelib.payments.services.staff_refunds import LEASE_SECONDS, refund_order
from tests.unit.payment_support import PayingShop
from tests.unit.test_payments_service import TIERS, paid_tour


class Crash(Exception):
    """The function died (a timeout, an out-of-memory kill): no answer, no cleanup."""


def refund(shop: PayingShop, amount: int, key: str = "refund_k", owed_back: int | None = None):
    return refund_order(
        shop.ctx,
        "ord_1",
        amount=amount,
        reason="goodwill",
        key=key,
        gateway=shop.gateway,
        accounts=shop.accounts,
        owed_back=owed_back,
    )


def crash_at_stripe(monkeypatch, shop: PayingShop, *, after: bool) -> None:
    real = shop.gateway.refund

    def dies(**kwargs):
        if after:
            real(**kwargs)
        raise Crash

    monkeypatch.setattr(shop.gateway, "refund", dies)


def died(monkeypatch, *, after_stripe: bool) -> PayingShop:
    """A paid shop whose refund of 5000 died just before or just after Stripe's call."""
    shop = paid_tour(TIERS, 100)
    crash_at_stripe(monkeypatch, shop, after=after_stripe)
    with pytest.raises(Crash):
        refund(shop, 5000)
    monkeypatch.undo()
    return shop


def at_stripe(shop: PayingShop) -> list[int]:
    pid = shop.order().payments[0].id
    return sorted(r.amount for r in shop.gateway.refunds_of(shop.account, pid))


def statuses(shop: PayingShop) -> list[str]:
    return sorted(r.status for r in shop.order().refunds)


def test_a_refund_that_died_after_stripe_is_finished_by_its_retry_once(monkeypatch) -> None:
    shop = died(monkeypatch, after_stripe=True)
    # In flight: counted as refunded, so no other desk refunds the same money meanwhile.
    assert statuses(shop) == ["requested"] and shop.order().refunds[0].amount == 5000
    with pytest.raises(InvalidInput):
        refund(shop, 19001, key="refund_other")
    # A live order that gave part back reads by what it keeps (partially_refunded is a
    # cancelled order's).
    assert refund(shop, 5000).payment_status is PaymentStatus.PARTIALLY_PAID
    assert at_stripe(shop) == [5000] and statuses(shop) == ["succeeded"]
    assert [e.name for e in shop.data.orders.events].count("RefundIssued") == 1


def test_a_refund_that_died_after_stripe_is_recorded_by_stripes_refund_event(monkeypatch) -> None:
    shop = died(monkeypatch, after_stripe=True)
    pid = shop.order().payments[0].id
    assert sync_refunds(shop.ctx, shop.account, pid, gateway=shop.gateway) == "updated"
    assert statuses(shop) == ["succeeded"] and at_stripe(shop) == [5000]
    assert shop.order().refunds[0].reason == "goodwill"  # the record, not a second one
    # Long after (the idempotency key may have expired at Stripe), a retry asks Stripe nothing.
    shop.clock.advance(LEASE_SECONDS + 1)
    refund(shop, 5000)
    assert at_stripe(shop) == [5000] and statuses(shop) == ["succeeded"]


def test_a_refund_that_died_before_stripe_is_canceled_after_its_lease(monkeypatch) -> None:
    shop = died(monkeypatch, after_stripe=False)
    shop.clock.advance(LEASE_SECONDS - 10)  # its request may still be asking Stripe: kept
    with pytest.raises(InvalidInput):
        refund(shop, 24000, key="refund_all")
    shop.clock.advance(20)
    # All given back on a booking still to come: it owes it all again.
    assert refund(shop, 24000, key="refund_all").payment_status is PaymentStatus.UNPAID
    assert at_stripe(shop) == [24000] and statuses(shop) == ["canceled", "succeeded"]


def test_a_late_retry_of_a_refund_stripe_never_saw_asks_stripe_nothing(monkeypatch) -> None:
    shop = died(monkeypatch, after_stripe=False)
    shop.clock.advance(LEASE_SECONDS + 1)
    refund(shop, 5000)
    assert at_stripe(shop) == [] and statuses(shop) == ["canceled"]


def test_a_busy_stripe_leaves_the_refund_requested_for_its_retry(monkeypatch) -> None:
    shop = paid_tour(TIERS, 100)

    def busy(**kwargs):
        raise TransientFailure("The payment provider is busy; try again.")

    monkeypatch.setattr(shop.gateway, "refund", busy)
    with pytest.raises(TransientFailure):
        refund(shop, 5000)
    assert statuses(shop) == ["requested"]
    monkeypatch.undo()
    refund(shop, 5000)
    assert at_stripe(shop) == [5000] and statuses(shop) == ["succeeded"]


def test_a_refund_stripe_refuses_is_recorded_failed_and_frees_its_amount() -> None:
    shop = paid_tour(TIERS, 100)
    pid = shop.order().payments[0].id
    shop.gateway.refund(  # in Stripe's dashboard: the order does not know of it yet
        account=shop.account, intent_id=pid, amount=20000, reason="x", idempotency_key="dash"
    )
    with pytest.raises(ProviderError):
        refund(shop, 10000)
    assert statuses(shop) == ["failed"] and shop.order().payment_status is PaymentStatus.PAID
    assert sync_refunds(shop.ctx, shop.account, pid, gateway=shop.gateway) == "updated"
    assert sum(r.amount for r in shop.order().refunds if r.status == "succeeded") == 20000


def cancel_settled(shop: PayingShop) -> str:
    return settle_cancellation(
        shop.ctx, "ord_1", fee=0, key="cancel:evt", gateway=shop.gateway, accounts=shop.accounts
    )


def test_a_staff_refund_racing_a_cancellations_refund_is_refused_before_stripe(
    monkeypatch,
) -> None:
    """The probe's repro B: the business cancels (everything back) while a manager refunds
    goodwill. The cancellation's refund is on the order before Stripe is asked, so the
    manager's is refused on the order and Stripe refunds the payment once."""
    shop = paid_tour(TIERS, 100)
    order_service.cancel(shop.ctx, shop.cache, "ord_1")
    real = shop.gateway.refund
    refused: list[Exception] = []

    def manager_meanwhile(**kwargs):
        if not refused:
            with pytest.raises(InvalidInput) as exc:
                refund(shop, 4000, key="refund_goodwill")
            refused.append(exc.value)
        return real(**kwargs)

    monkeypatch.setattr(shop.gateway, "refund", manager_meanwhile)
    assert cancel_settled(shop) == "refunded"
    assert refused and getattr(refused[0], "code", "") == "refund_too_large"
    assert at_stripe(shop) == [24000] and statuses(shop) == ["succeeded"]


def test_a_cancellations_refund_that_died_after_its_claim_is_finished_by_its_retry(
    monkeypatch,
) -> None:
    shop = paid_tour(TIERS, 100)
    order_service.cancel(shop.ctx, shop.cache, "ord_1")
    crash_at_stripe(monkeypatch, shop, after=False)
    with pytest.raises(Crash):
        cancel_settled(shop)
    monkeypatch.undo()
    assert statuses(shop) == ["requested"]
    assert cancel_settled(shop) == "refunded"  # the consumer's retry
    assert at_stripe(shop) == [24000] and statuses(shop) == ["succeeded"]
    assert shop.order().payment_status is PaymentStatus.REFUNDED
