"""Rooms' nights left behind, given back.

An order that gives back all its units (cancelled, expired) gives back its rooms' nights in
the same transaction, unless they would not fit in it (a big group: the unit of work leaves
them out, booking/services/order_unit_of_work.py). Those nights are given back from the
order's event by `ReleaseRooms`, a bookkeeping consumer that also covers a process that died
in between; until it has run, a move that meets such a night in its way clears it
(`clear_if_stale`), so a night whose order no longer claims it never keeps a room from a
guest.
"""

from __future__ import annotations

from chalicelib.booking.domain.room_nights import line_room_nights, room_nights
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.catalog.domain.rooms import RoomNight
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.events import OrderCancelled, OrderExpired


class ReleaseRooms:
    """Consumer of `OrderCancelled` and `OrderExpired` (pipeline/consumers.py)."""

    name = "room_release"
    events = (OrderCancelled, OrderExpired)
    repeatable = True  # each night is deleted on condition that it is still the order's

    def handle(
        self, ctx: BookingContext, event: OrderCancelled | OrderExpired, deps: object
    ) -> None:
        order = ctx.data.orders.get(event.order_id)
        if order is None or order.holds_inventory:
            return  # revived by a late payment: its rooms were cleared, nothing to give back
        nights = [n for line in order.lines for n in line_room_nights(order.id, line)]
        ctx.data.orders.release_room_nights(nights)


def claims(ctx: BookingContext, night: RoomNight) -> bool:
    """Whether the order the night names still has that room that night."""
    order = ctx.data.orders.get(night.order_id)
    if order is None:
        return False
    try:
        return night.key in {n.key for n in room_nights(order)}
    except Conflict:
        return True  # an order at odds with itself is a person's to look at: keep it


def clear_if_stale(ctx: BookingContext, resource_id: str, night: str, room: str) -> bool:
    """Give back the room's night when the order it names no longer claims it; True when
    there was such a night (the refused change may be tried again)."""
    held = [
        n
        for n in ctx.data.orders.room_nights(resource_id, night, night, consistent=True)
        if n.room == room
    ]
    stale = [n for n in held if not claims(ctx, n)]
    ctx.data.orders.release_room_nights(stale)
    return bool(stale)
