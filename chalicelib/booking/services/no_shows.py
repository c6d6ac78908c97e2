"""Marking a no-show, and taking one back (booking/domain/no_show.py). The undo: the guest came
after all. One transaction over the order as read (its version), with `OrderNoShowUndone`; the
units and rooms never left it, so nothing is taken again. A retry, or two desks at once, undo
once: an order already confirmed is answered as it is."""

from __future__ import annotations

from chalicelib.booking.domain.no_show import check_no_show_time, no_show_undone
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.services.booking import status_change
from chalicelib.booking.services.cancellation_terms import stored_stamp
from chalicelib.booking.services.check_ins import taken_back
from chalicelib.booking.services.no_show_terms import no_show_fee_of
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.booking.services.orders import _commit, _decided
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.events import OrderMarkedNoShow, OrderNoShowUndone
from chalicelib.kernel.domain.timefmt import parse


def undo_no_show(
    ctx: BookingContext, order_id: str, *, expected_version: int | None = None
) -> Order:
    return taken_back(ctx, order_id, expected_version, no_show_undone, OrderNoShowUndone)


def no_show(ctx: BookingContext, order_id: str, *, expected_version: int | None = None) -> Order:
    """The guest did not come: once the booking started, and for a stay once its arrival day's
    check-in time passed; the order then asks only its no-show fee (domain/no_show.py)."""

    def decide(order: Order) -> Order:
        at, business = ctx.now(), ctx.tenant.settings.business
        # An order that can never be a no-show (checked in, cancelled) is told so first: a
        # tester's checked-in guest was "still arriving today", to be tried again at 15:00.
        order.transition(BookingStatus.NO_SHOW, at=at, actor=ctx.actor.label)
        if parse(at) < parse(stored_stamp(order.start)):
            raise InvalidInput(
                "A guest is a no-show only once the booking has started.", code="not_started"
            )
        check_no_show_time(order, at, ctx.tenant.timezone, business.check_in)
        fee = no_show_fee_of(ctx, order)
        after = order.transition(
            BookingStatus.NO_SHOW, at=at, actor=ctx.actor.label, no_show_fee=fee
        )
        return _commit(ctx, order, after, OrderMarkedNoShow(**status_change(ctx, order, after)))

    return _decided(ctx, order_id, BookingStatus.NO_SHOW, expected_version, decide)
