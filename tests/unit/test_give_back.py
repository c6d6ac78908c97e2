"""What a cancelled or expired booking gives back, against what happened in between: an erase
of its customer (the coupon's global use comes back, nothing is written under the erased
customer, the consumer completes), a merge of its customer (a redelivered event changes
nothing more: the once-marks do not move with the merge), and a late payment that revives the
hold (the give-back is conditional on the order as read: it reads again and gives nothing).
On the fakes."""

from __future__ import annotations

from datetime import date

from chalicelib.booking.domain.orders import BookingStatus, Channel
from chalicelib.booking.domain.redemptions import RedemptionAsk
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.customers.domain.coupons import CouponKind
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.loyalty import NEVER, Movement, Programme
from chalicelib.customers.domain.privacy import anonymised
from chalicelib.customers.services.coupons import create_coupon, move_coupon_uses
from chalicelib.customers.services.loyalty import credit, move_points, set_programme
from chalicelib.customers.services.privacy_erase import erase_customer
from chalicelib.customers.services.redemption_consumers import (
    EarnPoints,
    GiveBackRedemptions,
    give_back,
)
from chalicelib.kernel.domain.events import OrderCancelled, OrderCompleted, OrderExpired
from chalicelib.payments.services.payments import sync_intent
from tests.unit.test_loyalty import ADA_ID, book, event, give, hotel
from tests.unit.test_privacy import ADA, PrivateShop
from tests.unit.test_redemption_revival import ADA as REVIVED_ADA
from tests.unit.test_redemption_revival import shop_with_a_redeeming_hold, started_then_expired

W = customer_id_for("ada.new@example.com")
ERASED = customer_id_for(ADA.email)


def cancelled_event(order):
    return event(OrderCancelled, order, fee=0, refundable=0, cancelled_by="staff", refund=0)


def _forget_loyalty(shop: PrivateShop, customer: str) -> None:
    """What the erase's delete of `LOY#<id>` does in DynamoDB (the fake privacy store does not
    reach the fake coupon and loyalty stores)."""
    loyalty = shop.data.loyalty
    shop.data.coupons.per_customer = {
        k: v for k, v in shop.data.coupons.per_customer.items() if k[0] != customer
    }
    for held in (loyalty.balances, loyalty.lots, loyalty.entries):
        held.pop(customer, None)
    loyalty.marks = {m for m in loyalty.marks if m[0] != customer}


def test_a_cancellation_given_back_after_its_customer_is_erased_returns_the_codes_use_only():
    shop = PrivateShop()
    set_programme(shop.ctx, Programme(enabled=True, points_per_unit=2, point_value=10))
    credit(
        shop.ctx,
        ERASED,
        mark="gift",
        points=500,
        expires=NEVER,
        movement=Movement.EARNED,
        order_id="",
    )
    create_coupon(shop.ctx, "ONCE", kind=CouponKind.AMOUNT, value=1000, max_uses=1, per_customer=1)
    ask = RedemptionAsk(codes=("ONCE",), points=100, points_allowed=True)
    line = LineInput("off_stay", check_in=date(2026, 12, 24), nights=1)
    hold_order(
        shop.ctx, shop.cache, HoldInput(ADA, [line], Channel.STAFF, redeem=ask), order_id="ord_c"
    )
    cancelled = order_service.cancel(shop.ctx, shop.cache, "ord_c")
    assert erase_customer(shop.ctx, shop.files, ADA.email, ADA.email, reports=shop.reports).done
    _forget_loyalty(shop, ERASED)
    for _ in range(3):  # completes, and again changes nothing
        GiveBackRedemptions().handle(shop.ctx, cancelled_event(cancelled), None)
    coupons, loyalty = shop.data.coupons, shop.data.loyalty
    assert coupons.get("ONCE").used == 0 and coupons.redemptions("ONCE", limit=5) == []
    # Nothing written under the erased customer's partition: no count, no points, no mark.
    assert all(k[0] != ERASED for k in coupons.per_customer)
    assert ERASED not in loyalty.balances and ERASED not in loyalty.entries
    assert all(m[0] != ERASED for m in loyalty.marks)


def test_a_cancellation_redelivered_after_a_merge_gives_the_points_back_once():
    shop = hotel()
    give(shop, 500)
    order = book(shop, points=200)
    e = cancelled_event(order_service.cancel(shop.ctx, shop.cache, order.id))
    GiveBackRedemptions().handle(shop.ctx, e, None)  # 500 back at Ada
    store = shop.data.loyalty
    store.merged[ADA_ID] = W
    assert move_points(shop.ctx, store, ADA_ID, W) == 500
    GiveBackRedemptions().handle(shop.ctx, e, None)  # redelivered after the merge
    assert (store.balance(ADA_ID).points, store.balance(W).points) == (0, 500)


def test_a_completion_redelivered_after_a_merge_earns_once():
    shop = hotel()
    order = book(shop)
    EarnPoints().handle(shop.ctx, event(OrderCompleted, order), None)
    store = shop.data.loyalty
    store.merged[ADA_ID] = W
    move_points(shop.ctx, store, ADA_ID, W)
    EarnPoints().handle(shop.ctx, event(OrderCompleted, order), None)
    assert (store.balance(ADA_ID).points, store.balance(W).points) == (0, 480)


def test_a_completion_first_delivered_after_a_merge_earns_on_the_winner():
    shop = hotel()
    order = book(shop)
    shop.data.loyalty.merged[ADA_ID] = W
    for _ in range(2):
        EarnPoints().handle(shop.ctx, event(OrderCompleted, order), None)
    assert shop.data.loyalty.balance(W).points == 480


def test_a_revival_after_a_merge_takes_the_given_back_points_again_from_the_winner():
    shop = hotel()
    give(shop, 500)
    order = book(shop, points=200)  # a hold
    assert give_back(shop.ctx, order, order.redemptions[0])  # its expiry: 200 back to Ada
    store = shop.data.loyalty
    store.merged[ADA_ID] = W
    move_points(shop.ctx, store, ADA_ID, W)  # 500 now at W
    items = shop.data.redeemer.retake(shop.ctx, order)  # a late payment revives the hold
    kinds = {type(i).__name__: i for i in items}
    assert "LoyaltyMarkCheck" not in kinds  # the mark was found: the points are taken again
    assert kinds["PointsMove"].customer_id == W and kinds["PointsMove"].change == -200
    assert kinds["LoyaltyMarkDelete"].customer_id == ADA_ID


def test_a_give_back_raced_by_a_revival_reads_again_and_gives_nothing():
    shop = shop_with_a_redeeming_hold()
    started, expired = started_then_expired(shop)
    e = event(OrderExpired, expired)
    orders, real_get, raced = shop.data.orders, shop.data.orders.get, []

    def get_then_revive(order_id):
        read = real_get(order_id)
        if not raced:  # the consumer read the expired hold; the late payment lands now
            raced.append(read)
            shop.gateway.pay(shop.account, started.payment.id)
            answer = sync_intent(shop.ctx, shop.account, started.payment.id, gateway=shop.gateway)
            assert answer == "revived"
        return read

    orders.get = get_then_revive
    GiveBackRedemptions().handle(shop.ctx, e, None)
    del orders.get
    assert raced[0].status is BookingStatus.EXPIRED
    assert shop.order().status is BookingStatus.CONFIRMED
    # The revival kept the use and the points; the give-back gave nothing back.
    assert shop.data.coupons.get("ONCE").used == 1 and shop.data.coupons.holds("ONCE", "ord_1")
    assert shop.data.loyalty.balance(REVIVED_ADA).points == 60


def test_a_completion_raced_by_an_erase_reads_again_and_earns_nothing():
    shop = hotel()
    order = book(shop)
    orders, real_get, raced = shop.data.orders, shop.data.orders.get, []

    def get_then_erase(order_id, **kw):
        read = real_get(order_id, **kw)
        if not raced:  # the consumer read the order; the erase anonymises it now
            raced.append(read)
            orders.orders[order_id] = anonymised(read, (), shop.ctx.now())
        return read

    orders.get = get_then_erase
    EarnPoints().handle(shop.ctx, event(OrderCompleted, order), None)
    del orders.get
    assert not raced[0].customer.erased and orders.get(order.id).customer.erased
    loyalty = shop.data.loyalty
    assert ADA_ID not in loyalty.balances and ADA_ID not in loyalty.entries


def test_a_use_given_back_after_two_merges_comes_off_the_count_that_holds_it():
    shop = hotel()
    create_coupon(shop.ctx, "ONCE", kind=CouponKind.AMOUNT, value=1000, per_customer=1)
    order = book(shop, codes=("ONCE",))
    x = customer_id_for("ada.third@example.com")
    store, coupons = shop.data.loyalty, shop.data.coupons
    store.merged[ADA_ID] = W
    move_coupon_uses(shop.ctx, ADA_ID, W)  # the first merge's job ran
    store.merged[W] = x  # the second merge's has not yet
    e = cancelled_event(order_service.cancel(shop.ctx, shop.cache, order.id))
    GiveBackRedemptions().handle(shop.ctx, e, None)
    assert [coupons.customer_uses(c, "ONCE") for c in (ADA_ID, W, x)] == [0, 0, 0]
    assert coupons.get("ONCE").used == 0
