"""Taking a check-in back (booking/domain/check_in_undo.py), and what it shares with taking a
no-show back (no_shows.py): one transaction over the order as read (its version), with the
event that says so. A retry, or two desks at once, take it back once: an order already
confirmed is answered as it is."""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.booking.domain.check_in_undo import check_in_undone
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.services.booking import status_change
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.booking.services.orders import _commit, _decided
from chalicelib.kernel.domain.events import OrderCheckInUndone, OrderStatusChanged


def taken_back(
    ctx: BookingContext,
    order_id: str,
    expected_version: int | None,
    way_back: Callable[..., Order],
    event: type[OrderStatusChanged],
) -> Order:
    """The order confirmed again by `way_back` (the domain's checks), with `event`."""

    def decide(order: Order) -> Order:
        after = way_back(order, at=ctx.now(), actor=ctx.actor.label)
        return _commit(ctx, order, after, event(**status_change(ctx, order, after)))

    return _decided(ctx, order_id, BookingStatus.CONFIRMED, expected_version, decide)


def undo_check_in(
    ctx: BookingContext, order_id: str, *, expected_version: int | None = None
) -> Order:
    return taken_back(ctx, order_id, expected_version, check_in_undone, OrderCheckInUndone)
