"""What a no-show keeps: the strictest `no_show_fee` of the order's offerings (an offering
since removed counts as none), at most what the order bills, as the payments' policy charges
it on a saved card (payments/services/payment_orders.py `order_policy`)."""

from __future__ import annotations

from chalicelib.booking.domain.orders import Order
from chalicelib.booking.services.order_ports import BookingContext


def no_show_fee_of(ctx: BookingContext, order: Order) -> int:
    fees = [0]
    for offering_id in sorted({line.offering_id for line in order.lines}):
        offering = ctx.data.catalog.get_offering(offering_id)
        if offering is not None:
            fees.append(offering.deposit.no_show_fee)
    # Never more than the booking bills: a fee of 200.00 on a stay of 120.00 kept 200.00
    # while its invoice could bill 120.00 (a reviewer's).
    return min(max(fees), max(0, order.total))
