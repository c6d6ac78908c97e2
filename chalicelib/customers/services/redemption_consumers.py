"""The consumers that move coupons' uses and points after a booking: a cancelled booking or an
expired hold gives back what it redeemed, a completed one earns points (pipeline/consumers.py
registers them in the bookkeeping group).

Each change is one transaction whose own condition makes it happen once however often its
event comes (the contract of pipeline/consumers.py: the figure and its mark together): a
coupon's use goes back with the deletion of the coupon's record of the order (on condition
that it is there), points come back or are earned with the mark `ret_<order>` or
`ern_<order>` (on condition that it is not). A second or third delivery finds the condition
false (AlreadyDone) and changes nothing. So both are `repeatable`: running again has no
further effect.

Where the marks sit: under an id a merge does not move, as the core's event marks do
(figures.py): `ret_<order>` in the partition of the customer the redemption names (the id
the booking was priced for, kept on the order), `ern_<order>` in the partition of the id the
order's e-mail names. The points themselves go to the live customer (records.follow), in the
same transaction. A redelivery after a merge finds the mark where it was written; a revival
after a merge finds the give-back's mark (redeeming.py).

A give-back and an earning are also conditional on the order being at the version read
(`OrderUnchanged`, `as_read`): a late payment that revives an expired hold in between changes
the order, the give-back is refused, reads the order again and finds nothing to give back (the
revival kept or took again what it redeemed); an erase in between anonymises the order, and
read again it gives back only the coupon's global use, or earns nothing.

An erased customer's order (privacy_erase.py: the order is anonymised before `LOY#<id>` is
deleted) gives back only the coupon's global use: nothing is written under the erased
customer's partition (no per-customer count, no points: they went with the customer).
"""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.booking.domain.order_money import refunded
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.redemptions import Redemption, RedemptionKind
from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.loyalty import Earning, Movement
from chalicelib.customers.services.loyalty import (
    AlreadyDone,
    OrdersAndLoyalty,
    credit,
    earned_mark,
    live_customer,
    returned_mark,
    today_of,
)
from chalicelib.customers.services.points_takeback import refund_mark, take_back
from chalicelib.customers.services.records import chain
from chalicelib.customers.services.redemption_ports import (
    CouponCount,
    CouponRedemptionDelete,
    CustomerCouponCount,
    LoyaltyContext,
)
from chalicelib.invoices.services.invoice_items import OrderUnchanged
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.events import (
    OrderCancelled,
    OrderCompleted,
    OrderExpired,
    OrderStatusChanged,
)
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.kernel.services.unit_of_work import UnitOfWork

GIVES_BACK = frozenset({BookingStatus.CANCELLED, BookingStatus.EXPIRED})
TRIES = 3  # the order or a count changed between the read and the give-back: read again
RACES = frozenset({"version_mismatch", "redemption_failed"})


class GiveBackRedemptions:
    """Consumer of `OrderCancelled` and `OrderExpired`: the coupon's use and the points the
    order redeemed go back, each once."""

    name = "give_back_redemptions"
    events = (OrderCancelled, OrderExpired)
    repeatable = True

    def handle(self, ctx: Context, event: OrderStatusChanged, deps: object) -> None:
        def once(order: Order) -> None:
            # An expired hold a late payment revived since keeps what it redeemed (the
            # revival checked it was still held, or took it again: payment_orders.py).
            if order.status in GIVES_BACK:
                for redemption in order.redemptions:
                    give_back(ctx, order, redemption)

        as_read(ctx, event.order_id, once)


def as_read(ctx: Context, order_id: str, work: Callable[[Order], None]) -> None:
    """`work` on the order as it stands, again on the order read again when its writes were
    refused because the order or a count changed since the read (`RACES`), `TRIES` times;
    then the refusal goes up and the pipeline delivers the event again later."""
    for attempt in range(TRIES):
        order = ctx.data.orders.get(order_id)
        if order is None:
            return
        try:
            work(order)
        except Conflict as exc:
            if exc.code not in RACES or attempt == TRIES - 1:
                raise
            continue
        return


Context = TenantContext[OrdersAndLoyalty]


def give_back(ctx: LoyaltyContext, order: Order, redemption: Redemption) -> bool:
    """One redemption of a cancelled or expired order, read at `order.version`, given back;
    False: it was already (or, points of an erased customer, there is nowhere to)."""
    unchanged = OrderUnchanged(order_id=order.id, version=order.version)
    if redemption.kind is RedemptionKind.POINTS:
        if order.customer.erased:
            return False  # their points went with them: LOY#<id> is deleted
        programme = ctx.data.loyalty.programme()
        return credit(
            ctx,
            live_customer(ctx.data.loyalty, redemption.customer_id),
            mark=returned_mark(order.id),
            marked_at=redemption.customer_id,
            points=redemption.points,
            expires=programme.expiry_of(today_of(ctx)),
            movement=Movement.RETURNED,
            order_id=order.id,
            also=(unchanged,),
        )
    code = redemption.ref
    if not ctx.data.coupons.holds(code, order.id):
        return False  # given back before (the transaction's condition says so too)
    items: list[TransactionItem] = [
        CouponRedemptionDelete(code, order.id),
        CouponCount(code, -1),
        unchanged,
    ]
    holder = None if order.customer.erased else _count_holder(ctx, redemption)
    if holder is not None:
        items.append(CustomerCouponCount(holder, code, -1))
    try:
        with UnitOfWork(ctx) as uow:
            uow.add(*items)
            uow.commit()
    except AlreadyDone:
        return False
    return True


def _count_holder(ctx: LoyaltyContext, redemption: Redemption) -> str | None:
    """Whose per-customer count holds the order's use: the live customer's once the merges
    moved the counts (mergers.MoveCouponUses), else the nearest on the way back to the
    redemption's own; None: none counts one (nothing to take down)."""
    code, owner = redemption.ref, redemption.customer_id
    for customer in reversed(chain(owner, ctx.data.loyalty.merged_into)):
        if ctx.data.coupons.customer_uses(customer, code) > 0:
            return customer
    return None


class EarnPoints:
    """Consumer of `OrderCompleted`: the customer earns the programme's points on what the
    order billed (its total, discounts taken off), once per order; refunds already made on it
    take their share back at once (points_takeback.py)."""

    name = "earn_points"
    events = (OrderCompleted,)
    repeatable = True

    def handle(self, ctx: Context, event: OrderCompleted, deps: object) -> None:
        def once(order: Order) -> None:
            earn(ctx, order)
            if refunded(order) > 0:  # refunded before it earned: their share goes back now
                take_back(ctx, order.id, refund_mark(order.id, "at_earning"))

        as_read(ctx, event.order_id, once)


def earn(ctx: Context, order: Order) -> None:
    """The order's points, once, on condition that the order is as read (an erase in between
    changes it: read again, it earns nothing)."""
    if order.customer.erased:
        return  # an erased customer earns nothing (privacy_erase.py deleted their ledger)
    programme = ctx.data.loyalty.programme()
    points = programme.earned_on(order.total, order.currency)
    if points <= 0:
        return
    named = customer_id_for(order.customer.email, order.customer.phone)
    credit(
        ctx,
        live_customer(ctx.data.loyalty, named),
        mark=earned_mark(order.id),
        marked_at=named,
        points=points,
        expires=programme.expiry_of(today_of(ctx)),
        movement=Movement.EARNED,
        order_id=order.id,
        also=(OrderUnchanged(order_id=order.id, version=order.version),),
        earning=Earning(points, order.total),
    )
