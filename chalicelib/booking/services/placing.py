"""Placing an order: the one use case behind the staff's `POST /v1/orders` and the widget's
`POST /v1/public/orders`.

In this order: the plan's monthly allowance (402: the hold's mark written and the month's
marks counted before the hold, the mark taken back if the hold fails; plan_limits.py in
tenancy/services, and billing.py in payments/services says why it is not part of the booking
transaction), the hold itself (booking/services/booking.py: every bucket of every line in one
transaction), then the mark that makes the hold sweeper visit this tenant before the hold runs out
(booking/services/expiry.py). The widget's booking first spends the customer's contact budget (a few
holds per e-mail address and phone per hold period) and answers with the order's manage token.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.domain.orders import Customer, Order
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.expiry import mark_hold
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.booking.services.own_orders import (
    ManageTokenSecret,
    issue_token,
    mail_proven,
    own_order,
)
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.errors import NotFound
from chalicelib.kernel.services.work_marks import WorkMarks
from chalicelib.tenancy.services import plan_limits, rate_limits


def place_order(
    ctx: BookingContext,
    cache: CatalogCache,
    marks: WorkMarks,
    hold: HoldInput,
    *,
    order_id: str,
    widget: bool = False,
) -> Order:
    """Hold the inventory of a new order under `order_id` (a retried request derives the
    same id from its Idempotency-Key, so it finds its first order instead of a second)."""
    counted = plan_limits.check_booking_allowed(ctx, order_id, widget=widget)
    try:
        order = hold_order(ctx, cache, hold, order_id=order_id)
    except BaseException:
        # Not when the order is there: a duplicate of this request, which found the mark
        # written and did not count, made it (the mark is its count).
        if counted and ctx.data.orders.get(order_id) is None:
            plan_limits.give_back(ctx, counted, order_id)
        raise
    mark_hold(marks, ctx, order.id, order.hold_expires_at or order.created_at)
    return order


def place_widget_order(
    ctx: BookingContext,
    cache: CatalogCache,
    marks: WorkMarks,
    secrets: ManageTokenSecret,
    hold: HoldInput,
    *,
    order_id: str,
    rate_scale: int,
    points_proof: tuple[str, str, str] | None = None,
) -> tuple[Order, str]:
    """A customer's booking from the widget: within their contact budget, placed as the
    staff's is, and with the manage token they keep to view, cancel, move or pay for it.
    It spends the customer's points only with `points_proof`: one of their own orders, its
    manage token and the e-mail proof of its e-mail's link, under the same address. Typing
    someone's e-mail is no proof, nor is a hold made by typing it (its answer carries the
    manage token, but only an e-mail to the address carries the e-mail proof)."""
    customer = hold.customer
    rate_limits.check_contact(ctx, email=customer.email, phone=customer.phone, scale=rate_scale)
    if hold.redeem.points and points_proof and _proves(ctx, secrets, customer, points_proof):
        hold = replace(hold, redeem=replace(hold.redeem, points_allowed=True))
    order = place_order(ctx, cache, marks, hold, order_id=order_id, widget=True)
    return order, issue_token(ctx, secrets, order)


def _proves(
    ctx: BookingContext,
    secrets: ManageTokenSecret,
    customer: Customer,
    proof: tuple[str, str, str],
) -> bool:
    """Whether `proof` is the manage token and the e-mail proof of an order of the same
    e-mail address."""
    order_id, token, mailed = proof
    try:
        own = own_order(ctx, secrets, order_id, token)
    except NotFound:
        return False
    same = own.customer.email.strip().lower() == customer.email.strip().lower()
    return same and mail_proven(ctx, secrets, own, mailed)
