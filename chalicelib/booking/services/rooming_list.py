"""A room block's rooming list: the guests booked from it (`POST /v1/blocks/{id}/pickups`),
each with their nights and rooms, for the organiser and the desk (an outside group tester
found no way to see who of the wedding party had booked, only how many rooms were taken).

Read from the room type's index of order lines over the block's nights (one Query per shard),
then the orders those lines belong to (one BatchGet), keeping the lines drawn from this block:
a guest who extended past the block keeps the nights of their line. Cancelled and expired
orders hold nothing and are left out.
"""

from __future__ import annotations

from datetime import timedelta

from chalicelib.booking.domain.order_search import local_midnight
from chalicelib.booking.domain.orders import Line, Order
from chalicelib.booking.services.blocks import get_block
from chalicelib.booking.services.day_sheet import GONE, MAX_LINES
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.catalog.domain.catalog import MAX_NIGHTS
from chalicelib.kernel.domain.calendar import iso_utc
from chalicelib.kernel.domain.errors import NotFound
from chalicelib.kernel.domain.values import value


@value
class BlockGuest:
    order: Order
    line: Line


@value
class RoomingList:
    guests: tuple[BlockGuest, ...]
    complete: bool  # False: more lines than one read gives (never for a block's size)


def rooming_list(ctx: BookingContext, block_id: str) -> RoomingList:
    """The block's guests by arrival, then name."""
    block = get_block(ctx, block_id)
    resource = ctx.data.catalog.get_resource(block.resource_id)
    if resource is None:
        raise NotFound("No such room type.", code="resource_not_found")
    tz = ctx.tenant.timezone
    begins = iso_utc(local_midnight(block.first_night, tz))
    entries, complete = ctx.data.orders.resource_lines(
        resource.id,
        resource.shards,
        # a pick-up starts on one of the block's nights; a stay begun earlier touches them too
        low=iso_utc(local_midnight(block.first_night - timedelta(days=MAX_NIGHTS), tz)),
        high=iso_utc(local_midnight(block.first_night + timedelta(days=block.nights), tz)),
        ends_after=begins,
        limit=MAX_LINES,
    )
    orders = ctx.data.orders.get_many(sorted({e.order_id for e in entries}))
    guests = [
        BlockGuest(order, line)
        for order in orders.values()
        if order.status not in GONE
        for line in order.lines
        if line.block_id == block.id
    ]
    guests.sort(key=lambda g: (g.line.local_date, g.order.customer.name, g.order.id))
    return RoomingList(tuple(guests), complete)
