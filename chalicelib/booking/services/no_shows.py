"""Taking a no-show back (booking/domain/no_show.py): the guest came after all. One
transaction over the order as read (its version), with `OrderNoShowUndone`; the units and
rooms never left it, so nothing is taken again. A retry, or two desks at once, undo once:
an order already confirmed is answered as it is."""

from __future__ import annotations

from chalicelib.booking.domain.no_show import no_show_undone
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.services.booking import status_change
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.booking.services.orders import _commit, _decided
from chalicelib.kernel.domain.events import OrderNoShowUndone


def undo_no_show(
    ctx: BookingContext, order_id: str, *, expected_version: int | None = None
) -> Order:
    def decide(order: Order) -> Order:
        after = no_show_undone(order, at=ctx.now(), actor=ctx.actor.label)
        return _commit(ctx, order, after, OrderNoShowUndone(**status_change(ctx, order, after)))

    return _decided(ctx, order_id, BookingStatus.CONFIRMED, expected_version, decide)
