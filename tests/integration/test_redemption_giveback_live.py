"""A give-back and an earning on DynamoDB Local after what can happen between a booking and its
event: the customer erased (their `LOY#<id>` partition really deleted: the coupon's global use
still comes back, nothing is written under the erased customer, the consumer completes) and the
customer merged (an event redelivered after the merge credits nobody twice; the loser's
per-customer uses are summed into the winner's, so the limit holds under the old address)."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.booking.domain.orders import BookingStatus
from chalicelib.booking.domain.redemptions import RedemptionAsk
from chalicelib.booking.services import orders as order_service
from chalicelib.customers.domain.coupons import CouponCustomerLimit, CouponKind
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.loyalty import NEVER, Balance, Movement, Programme
from chalicelib.customers.services.coupons import create_coupon, move_coupon_uses
from chalicelib.customers.services.loyalty import credit, move_points, set_programme
from chalicelib.customers.services.privacy_erase import erase_customer
from chalicelib.customers.services.redemption_consumers import EarnPoints, GiveBackRedemptions
from chalicelib.kernel.domain.events import OrderCancelled, OrderCompleted
from tests.integration.support import live_hotel
from tests.integration.test_redemptions_live import (
    ADA,
    CANCELLED,
    book,
    context,
    status_event,
)

ADA_ID = customer_id_for(ADA.email)
W = customer_id_for("ada.new@example.com")


def cancelled_event(ctx, order) -> OrderCancelled:
    return status_event(OrderCancelled, ctx, order, "held", **CANCELLED)


def merged(data: Any, loser: str, winner: str) -> None:
    """What a merge writes at once: the loser's record points at the winner."""
    loyalty = data.loyalty
    loyalty._client.put_item(
        TableName=loyalty._table,
        Item={"pk": {"S": f"CUS#{loser}"}, "sk": {"S": "META"}, "merged_into": {"S": winner}},
    )


def test_a_cancellation_given_back_after_an_erase_returns_the_codes_use_and_writes_no_partition(
    live,
):
    container, tenant, data = live_hotel(live, "erasegive", rooms=5)
    ctx = context(container, tenant)
    set_programme(ctx, Programme(enabled=True, point_value=10))
    credit(
        ctx, ADA_ID, mark="gift", points=100, expires=NEVER, movement=Movement.EARNED, order_id=""
    )
    create_coupon(ctx, "ONCE", kind=CouponKind.AMOUNT, value=500, max_uses=1, per_customer=1)
    ask = RedemptionAsk(codes=("ONCE",), points=50, points_allowed=True)
    order = book(container, tenant, 1, ask)
    cancelled = order_service.cancel(ctx, container.catalog_cache, order.id)
    files, reports = container.export_files, container.report_exports
    assert erase_customer(ctx, files, ADA.email, ADA.email, reports=reports).done
    assert data.coupons.customer_uses(ADA_ID, "ONCE") == 0  # LOY#<id> went with the erase
    for _ in range(3):  # completes (the old give-back failed forever), and changes nothing more
        GiveBackRedemptions().handle(ctx, cancelled_event(ctx, cancelled), None)
    assert data.coupons.get("ONCE").used == 0
    assert data.coupons.redemptions("ONCE", limit=10) == []
    assert data.coupons.customer_counts(ADA_ID) == {}
    assert data.loyalty.balance(ADA_ID) == Balance()
    assert data.loyalty.ledger(ADA_ID, limit=10) == []
    assert not data.loyalty.has_mark(ADA_ID, f"ret_{order.id}")


def test_events_redelivered_after_a_merge_move_points_once_and_the_uses_follow(live):
    container, tenant, data = live_hotel(live, "mergegive", rooms=5)
    ctx = context(container, tenant)
    set_programme(ctx, Programme(enabled=True, points_per_unit=1, point_value=10))
    credit(
        ctx, ADA_ID, mark="gift", points=100, expires=NEVER, movement=Movement.EARNED, order_id=""
    )
    create_coupon(ctx, "ONCE", kind=CouponKind.AMOUNT, value=500, per_customer=1)
    spent = book(container, tenant, 1, RedemptionAsk(points=40, points_allowed=True))
    used = book(container, tenant, 2, RedemptionAsk(codes=("ONCE",)))
    order_service.confirm(ctx, used.id)
    order_service.check_in(ctx, used.id, early=True)
    done = order_service.complete(ctx, used.id, leave_balance_open=True)
    assert done.status is BookingStatus.COMPLETED
    completed = status_event(OrderCompleted, ctx, done, "checked_in")
    cancelled = cancelled_event(ctx, order_service.cancel(ctx, container.catalog_cache, spent.id))
    EarnPoints().handle(ctx, completed, None)  # 115 earned (120.00 less the 5.00 code)
    GiveBackRedemptions().handle(ctx, cancelled, None)  # the 40 back
    assert data.loyalty.balance(ADA_ID).points == 100 + 115
    merged(data, ADA_ID, W)
    assert move_points(ctx, data.loyalty, ADA_ID, W) == 215
    assert move_coupon_uses(ctx, ADA_ID, W) == 1
    assert move_coupon_uses(ctx, ADA_ID, W) == 0  # run again: nothing moves twice
    for _ in range(2):  # redelivered after the merge
        EarnPoints().handle(ctx, completed, None)
        GiveBackRedemptions().handle(ctx, cancelled, None)
    loyalty = data.loyalty
    assert (loyalty.balance(ADA_ID).points, loyalty.balance(W).points) == (0, 215)
    assert (data.coupons.customer_uses(ADA_ID, "ONCE"), data.coupons.customer_uses(W, "ONCE")) == (
        0,
        1,
    )
    with pytest.raises(CouponCustomerLimit):  # the same person, under the old address
        book(container, tenant, 3, RedemptionAsk(codes=("ONCE",)))
