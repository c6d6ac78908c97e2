"""What the customer is told about their money, without I/O: a capture racing a cancellation
(payments/services/captures.py), every recorded refund announced once (`RefundIssued`, also for
one Stripe's event records), and the cancellation's message speaking only of money paid when
the booking was cancelled."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.booking.domain.orders import BookingStatus, CancelledBy
from chalicelib.booking.domain.payment_records import AttemptStatus, Refund
from chalicelib.booking.services import orders as order_service
from chalicelib.catalog.domain.catalog import DepositPolicy
from chalicelib.notifications.services.content import kind_data
from chalicelib.payments.services.captures import NotCapturable, capture
from chalicelib.payments.services.refunds import settle_cancellation, sync_refunds
from chalicelib.payments.services.staff_refunds import newly_issued
from tests.unit.payment_support import PayingShop
from tests.unit.test_payments_service import start, sync


def authorised() -> tuple[PayingShop, str]:
    shop = PayingShop(deposit=DepositPolicy(manual_capture=True))
    shop.hold()
    pid = start(shop).payment.id
    shop.gateway.pay(shop.account, pid)
    assert sync(shop, pid) == "confirmed"
    return shop, pid


def cancel_by_business(shop: PayingShop) -> None:
    order_service.cancel(shop.ctx, shop.cache, "ord_1", reason="flood", by=CancelledBy.BUSINESS)


def settle(shop: PayingShop) -> str:
    return settle_cancellation(
        shop.ctx, "ord_1", fee=0, key="cancel:evt", gateway=shop.gateway, accounts=shop.accounts
    )


def names_after(shop: PayingShop, name: str) -> list[str]:
    names = [e.name for e in shop.data.orders.events]
    return names[names.index(name) + 1 :]


def test_a_cancellation_while_stripe_captures_refunds_the_capture_at_once(monkeypatch) -> None:
    shop, pid = authorised()
    real = shop.gateway.capture

    def cancelled_meanwhile(*args, **kwargs):
        cancel_by_business(shop)
        return real(*args, **kwargs)

    monkeypatch.setattr(shop.gateway, "capture", cancelled_meanwhile)
    with pytest.raises(NotCapturable) as refused:
        capture(shop.ctx, "ord_1", amount=None, gateway=shop.gateway, accounts=shop.accounts)
    assert refused.value.details == {"refunded": 24000}
    order = shop.order()
    assert order.status is BookingStatus.CANCELLED
    assert [(p.status, p.received) for p in order.payments] == [(AttemptStatus.SUCCEEDED, 24000)]
    assert [(r.amount, r.status) for r in order.refunds] == [(24000, "succeeded")]
    assert names_after(shop, "OrderCancelled") == ["RefundIssued"]  # no PaymentReceived
    # The cancellation's consumer and Stripe's event of the capture then change nothing.
    assert settle(shop) == "nothing"
    assert sync(shop, pid) == "unchanged"
    assert [r.amount for r in shop.gateway.refunds_of(shop.account, pid)] == [24000]


def test_a_release_before_the_capture_reaches_stripe_charges_nothing(monkeypatch) -> None:
    shop, pid = authorised()
    real = shop.gateway.capture

    def released_meanwhile(*args, **kwargs):
        cancel_by_business(shop)
        settle(shop)
        return real(*args, **kwargs)

    monkeypatch.setattr(shop.gateway, "capture", released_meanwhile)
    with pytest.raises(NotCapturable, match="nothing was charged"):
        capture(shop.ctx, "ord_1", amount=None, gateway=shop.gateway, accounts=shop.accounts)
    assert shop.gateway.intents[(shop.account, pid)]["status"] == "canceled"
    assert [p.status for p in shop.order().payments] == [AttemptStatus.CANCELED]
    assert shop.gateway.refunds_of(shop.account, pid) == []


def test_the_release_leaves_an_intent_stripe_captured_to_the_capture() -> None:
    """The cancellation's consumer comes after Stripe captured but before the capture wrote:
    it does not mark a captured intent released, and refunds nothing of it itself."""
    shop, pid = authorised()
    shop.gateway.capture(shop.account, pid, amount=24000, idempotency_key=f"{pid}:capture")
    cancel_by_business(shop)
    assert settle(shop) == "nothing"
    assert [p.status for p in shop.order().payments] == [AttemptStatus.AUTHORISED]
    assert shop.gateway.refunds_of(shop.account, pid) == []


def test_a_capture_after_the_cancellation_never_asks_stripe() -> None:
    shop, pid = authorised()
    cancel_by_business(shop)
    with pytest.raises(NotCapturable):
        capture(shop.ctx, "ord_1", amount=None, gateway=shop.gateway, accounts=shop.accounts)
    assert shop.gateway.intents[(shop.account, pid)]["status"] == "requires_capture"


def test_a_refund_made_in_stripes_dashboard_is_announced_once() -> None:
    shop, pid = authorised()
    capture(shop.ctx, "ord_1", amount=None, gateway=shop.gateway, accounts=shop.accounts)
    shop.gateway.refund(
        account=shop.account, intent_id=pid, amount=4000, reason="", idempotency_key="dash"
    )
    assert sync_refunds(shop.ctx, shop.account, pid, gateway=shop.gateway) == "updated"
    assert sync_refunds(shop.ctx, shop.account, pid, gateway=shop.gateway) == "unchanged"
    issued = [e for e in shop.data.orders.events if e.name == "RefundIssued"]
    assert [(e.data["amount"], e.data["reason"]) for e in issued] == [(4000, "Refunded in Stripe")]


def test_a_record_taking_its_stripe_id_is_issued_a_status_change_is_not() -> None:
    shop, _ = authorised()
    order = shop.order()
    asked = Refund("rq1:pi_1", "pi_1", 500, "r", "requested", "t", request="rq1:pi_1")
    before = replace(order, refunds=(asked,))
    made = replace(order, refunds=(replace(asked, id="re_1", status="pending"),))
    assert [e.refund_id for e in newly_issued(shop.ctx, before, made)] == ["re_1"]
    done = replace(order, refunds=(replace(asked, id="re_1", status="succeeded"),))
    assert newly_issued(shop.ctx, made, done) == []
    failed = replace(order, refunds=(replace(asked, status="failed"),))
    assert newly_issued(shop.ctx, before, failed) == []


@pytest.mark.parametrize(
    ("refund", "fee", "paid", "due"),
    [
        (0, 0, False, False),  # nothing paid when cancelled (a capture landed after it)
        (24000, 0, True, True),  # paid, all of it goes back
        (0, 24000, True, False),  # paid, the fee keeps it all: "No refund is due"
    ],
)
def test_the_cancellations_message_speaks_of_money_paid_when_it_was_cancelled(
    refund: int, fee: int, paid: bool, due: bool
) -> None:
    shop, _ = authorised()
    capture(shop.ctx, "ord_1", amount=None, gateway=shop.gateway, accounts=shop.accounts)
    data = {"fee": fee, "refund": refund, "cancelled_by": "business"}
    got = kind_data("cancelled", shop.tenant, shop.order(), data, "en", shop.ctx.now())
    assert got["cancellation"]["paid"] is paid and got["cancellation"]["refund_due"] is due


@pytest.mark.parametrize(
    ("method", "to_card", "to_gift_card"),
    [("online", True, False), ("gift_card", False, True), ("cash", False, False)],
)
def test_the_refund_message_says_where_the_money_goes(
    method: str, to_card: bool, to_gift_card: bool
) -> None:
    shop, _ = authorised()
    got = kind_data(
        "refund_issued",
        shop.tenant,
        shop.order(),
        {"amount": 1250, "method": method},
        "en",
        shop.ctx.now(),
    )
    want = {"amount": "EUR 12.50", "to_card": to_card, "to_gift_card": to_gift_card, "late": ""}
    assert got["refund"] == want


def test_the_refund_message_is_handed_the_refunds_reason(monkeypatch) -> None:
    """The reason reaches the message's data by the real path (send.tell_refund): it was
    left behind there, so `refund.late` was always empty (a reviewer's)."""
    from chalicelib.kernel.domain.events import RefundIssued
    from chalicelib.notifications.services import send
    from chalicelib.payments.services.refunds import LATE_REDEEMED

    shop, _ = authorised()
    handed: list[dict] = []
    monkeypatch.setattr(send, "notify", lambda *a, **kw: handed.append(kw["data"]))
    event = RefundIssued(id="evt_r", at=shop.ctx.now(), order_id="ord_1", status="cancelled",
                         version=3, start=shop.order().start, actor="system:reservoir",
                         refund_id="re_late", amount=2380, reason=LATE_REDEEMED)  # fmt: skip
    send.tell_refund(shop.ctx, None, shop.order(), event)
    [data] = handed
    got = kind_data("refund_issued", shop.tenant, shop.order(), data, "en", shop.ctx.now())
    assert got["refund"]["late"] == "redeemed"


@pytest.mark.parametrize("locale", ["en", "zh-Hans"])
def test_a_late_payment_given_back_says_why(locale: str) -> None:
    """A phone tester paid a hold after it ran out, the room gone meanwhile: the message said
    only "Refund: EUR 23.80", not why the money came back."""
    from chalicelib.notifications.services import sandbox
    from chalicelib.notifications.services.templates import builtin
    from chalicelib.payments.services.refunds import LATE_CANCELLED, LATE_TAKEN

    shop, _ = authorised()
    said = {}
    for reason in (LATE_TAKEN, LATE_CANCELLED, "Customer asked"):
        data = {"amount": 2380, "method": "online", "reason": reason}
        context = {**kind_data("refund_issued", shop.tenant, shop.order(), data, locale,
                               shop.ctx.now())}  # fmt: skip
        context.setdefault("customer", {"name": "Ada"})
        context.setdefault("business", {"name": "Harbour View"})
        context.setdefault("order", {"reference": "ord_1", "when": "Fri"})
        said[reason] = sandbox.render(builtin("refund_issued", "email", locale), context)["text"]
    taken = {"en": "taken by someone else", "zh-Hans": "已被他人预订"}[locale]
    cancelled = {"en": "after this booking was cancelled", "zh-Hans": "此预订已被取消"}[locale]
    assert taken in said[LATE_TAKEN] and cancelled in said[LATE_CANCELLED]
    assert taken not in said["Customer asked"] and cancelled not in said["Customer asked"]
