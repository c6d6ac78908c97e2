"""Points and coupon uses across merges of customers: every reader follows the chain of
merges to its end by the core's rule (records.follow), the once-marks of an order's points do
not move with a merge, and a merge carries the loser's uses of a per-customer coupon. On the
fakes."""

from __future__ import annotations

from datetime import datetime

import pytest

from chalicelib.booking.domain.orders import Channel, Customer, Order
from chalicelib.booking.domain.redemptions import RedemptionAsk
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.customers.domain.coupons import CouponCustomerLimit, CouponKind
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.loyalty import NEVER, Movement
from chalicelib.customers.services.coupons import create_coupon, move_coupon_uses
from chalicelib.customers.services.loyalty import credit
from chalicelib.customers.services.merge_job import run_merge
from chalicelib.customers.services.merges import merge_customers
from chalicelib.customers.services.redemption_consumers import GiveBackRedemptions
from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.kernel.domain.events import OrderCancelled
from tests.stage import ADA, Stage
from tests.unit.test_loyalty import ADA_ID, book, event, hotel

TWIN = Customer(name="Ada Lovelace", email="ada.l@example.com", phone=None, locale="en")
A, B = customer_id_for(ADA.email), customer_id_for(TWIN.email)

W = customer_id_for("ada.new@example.com")
X = customer_id_for("ada.third@example.com")


def test_points_follow_a_chain_of_merges_to_its_end():
    shop = hotel()
    credit(shop.ctx, X, mark="x", points=500, expires=NEVER, movement=Movement.EARNED, order_id="")
    store = shop.data.loyalty
    store.merged[ADA_ID] = W  # Ada merged into W, then W into X: Ada's reads lead to X
    store.merged[W] = X
    order = book(shop, points=100)  # booked under Ada's e-mail
    assert order.redemptions[0].customer_id == X
    assert store.balance(X).points == 400


def test_a_loop_of_merges_is_refused_not_followed_for_ever():
    shop = hotel()
    store = shop.data.loyalty
    store.merged[ADA_ID] = W
    store.merged[W] = ADA_ID
    with pytest.raises(TransientFailure) as raised:
        book(shop, points=100)
    assert raised.value.code == "merge_loop"


# -- per-customer coupon uses across a merge ---------------------------------------------------


def _book_with(stage: Stage, customer: Customer, day: int, code: str = "ONCE") -> Order:
    line = LineInput("off_cut", start=datetime(2026, 12, day, 10, 0))
    hold = HoldInput(customer, [line], Channel.API, redeem=RedemptionAsk(codes=(code,)))
    return hold_order(stage.ctx, stage.shop.cache, hold, order_id=f"ord_{stage.c.new_id()}")


def test_a_merge_carries_the_losers_uses_so_a_per_customer_limit_holds_for_both_addresses():
    stage = Stage()
    create_coupon(stage.ctx, "ONCE", kind=CouponKind.AMOUNT, value=500, per_customer=1)
    order_service.confirm(stage.ctx, stage.book(customer=ADA).id)
    used = _book_with(stage, TWIN, 2)  # Ada's twin record used the code once
    order_service.confirm(stage.ctx, used.id)
    stage.drain()
    merge_customers(stage.ctx, A, B, event_id="evt_m1")
    stage.drain()
    run_merge(stage.system, A, B)  # the job again: nothing moves twice
    coupons = stage.data.coupons
    assert (coupons.customer_uses(A, "ONCE"), coupons.customer_uses(B, "ONCE")) == (1, 0)
    assert "coupon_uses" in stage.data.customers.merge(A, B).mergers_done
    for who in (ADA, TWIN):  # the same person, under either address
        with pytest.raises(CouponCustomerLimit):
            _book_with(stage, who, 3)
    # The twin's booking cancelled gives its use back to the winner's count it was moved to.
    cancelled = order_service.cancel(stage.ctx, stage.shop.cache, used.id)
    e = event(OrderCancelled, cancelled, fee=0, refundable=0, cancelled_by="staff", refund=0)
    for _ in range(2):
        GiveBackRedemptions().handle(stage.ctx, e, None)
    assert (coupons.customer_uses(A, "ONCE"), coupons.get("ONCE").used) == (0, 0)
    assert _book_with(stage, ADA, 4).redemptions[0].customer_id == A


def test_moving_uses_sums_them_with_the_winners_and_a_second_run_moves_nothing():
    shop = hotel()
    coupons = shop.data.coupons
    coupons.per_customer.update({(ADA_ID, "TEN"): 2, (ADA_ID, "FIVE"): 1, (W, "TEN"): 1})
    assert move_coupon_uses(shop.ctx, ADA_ID, W) == 3
    assert move_coupon_uses(shop.ctx, ADA_ID, W) == 0
    assert coupons.customer_counts(W) == {"FIVE": 1, "TEN": 3}
    assert coupons.customer_counts(ADA_ID) == {"FIVE": 0, "TEN": 0}


def test_before_the_merge_job_sums_the_uses_a_booking_under_the_losers_address_counts_them():
    shop = hotel()
    create_coupon(shop.ctx, "TWICE", kind=CouponKind.AMOUNT, value=1000, per_customer=2)
    book(shop, codes=("TWICE",), order_id="ord_1")  # one use under Ada's own record
    shop.data.loyalty.merged[ADA_ID] = W  # merged; the job has not moved the uses yet
    second = book(shop, codes=("TWICE",), order_id="ord_2")  # the second of two: allowed
    assert second.redemptions[0].customer_id == W
    with pytest.raises(CouponCustomerLimit):
        book(shop, codes=("TWICE",), order_id="ord_3")
    assert move_coupon_uses(shop.ctx, ADA_ID, W) == 1
    with pytest.raises(CouponCustomerLimit):
        book(shop, codes=("TWICE",), order_id="ord_4")
    assert shop.data.coupons.customer_counts(W) == {"TWICE": 2}
