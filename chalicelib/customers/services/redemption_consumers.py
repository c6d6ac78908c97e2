"""The consumers that move coupons' uses and points after a booking: a cancelled booking or an
expired hold gives back what it redeemed, a completed one earns points (pipeline/consumers.py
registers them in the bookkeeping group).

Each change is one transaction whose own condition makes it happen once however often its
event comes (the contract of pipeline/consumers.py: the figure and its mark together): a
coupon's use goes back with the deletion of the coupon's record of the order (on condition
that it is there), points come back or are earned with the mark `ret_<order>` or
`ern_<order>` in the customer's partition (on condition that it is not). A second or third
delivery finds the condition false (AlreadyDone) and changes nothing. So both are
`repeatable`: running again has no further effect.
"""

from __future__ import annotations

from chalicelib.booking.domain.orders import BookingStatus
from chalicelib.booking.domain.redemptions import Redemption, RedemptionKind
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.loyalty import Movement
from chalicelib.customers.services.loyalty import (
    AlreadyDone,
    OrdersAndLoyalty,
    credit,
    live_customer,
    today_of,
)
from chalicelib.customers.services.redemption_ports import (
    CouponCount,
    CouponRedemptionDelete,
    CustomerCouponCount,
    LoyaltyContext,
)
from chalicelib.kernel.domain.events import (
    OrderCancelled,
    OrderCompleted,
    OrderExpired,
    OrderStatusChanged,
)
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.unit_of_work import UnitOfWork

GIVES_BACK = frozenset({BookingStatus.CANCELLED, BookingStatus.EXPIRED})


class GiveBackRedemptions:
    """Consumer of `OrderCancelled` and `OrderExpired`: the coupon's use and the points the
    order redeemed go back, each once."""

    name = "give_back_redemptions"
    events = (OrderCancelled, OrderExpired)
    repeatable = True

    def handle(self, ctx: Context, event: OrderStatusChanged, deps: object) -> None:
        order = ctx.data.orders.get(event.order_id)
        # An expired hold a late payment revived since keeps what it redeemed (the revival
        # checked it was still held, or took it again: payments/services/payment_orders.py).
        if order is None or order.status not in GIVES_BACK:
            return
        for redemption in order.redemptions:
            give_back(ctx, event.order_id, redemption)


Context = TenantContext[OrdersAndLoyalty]


def give_back(ctx: LoyaltyContext, order_id: str, redemption: Redemption) -> bool:
    """One redemption of a cancelled or expired order given back; False: it was already."""
    customer = redemption.customer_id
    if redemption.kind is RedemptionKind.POINTS:
        # To the record the customer's was merged into since, if it was.
        customer = live_customer(ctx.data.loyalty, customer)
        programme = ctx.data.loyalty.programme()
        return credit(
            ctx,
            customer,
            mark=f"ret_{order_id}",
            points=redemption.points,
            expires=programme.expiry_of(today_of(ctx)),
            movement=Movement.RETURNED,
            order_id=order_id,
        )
    code = redemption.ref
    try:
        with UnitOfWork(ctx) as uow:
            uow.add(
                CouponRedemptionDelete(code, order_id),
                CouponCount(code, -1),
                CustomerCouponCount(customer, code, -1),
            )
            uow.commit()
    except AlreadyDone:
        return False
    return True


class EarnPoints:
    """Consumer of `OrderCompleted`: the customer earns the programme's points on what the
    order billed (its total, discounts taken off), once per order."""

    name = "earn_points"
    events = (OrderCompleted,)
    repeatable = True

    def handle(self, ctx: Context, event: OrderCompleted, deps: object) -> None:
        order = ctx.data.orders.get(event.order_id)
        if order is None or order.customer.erased:
            return  # an erased customer earns nothing (privacy_erase.py deleted their ledger)
        programme = ctx.data.loyalty.programme()
        points = programme.earned_on(order.total, order.currency)
        if points <= 0:
            return
        customer = live_customer(
            ctx.data.loyalty, customer_id_for(order.customer.email, order.customer.phone)
        )
        credit(
            ctx,
            customer,
            mark=f"ern_{order.id}",
            points=points,
            expires=programme.expiry_of(today_of(ctx)),
            movement=Movement.EARNED,
            order_id=order.id,
        )
