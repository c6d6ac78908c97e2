"""A room type's rooms at the desk: putting a room out of order for some nights (a change of
the type's capacity, through the protected write of catalog_writes.py, refused with the
orders named when those nights are sold or the room is assigned) and its housekeeping status
(clean, dirty, inspected: one item per room, any staff member, no effect on what is sold).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from chalicelib.catalog.domain.catalog import Resource, ResourceKind
from chalicelib.catalog.domain.rooms import Housekeeping, Outage, RoomStatus
from chalicelib.catalog.services.catalog_ports import CatalogContext
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.catalog.services.catalog_writes import change_resource, check_rev, today
from chalicelib.catalog.services.resources import get_resource
from chalicelib.kernel.domain.errors import InvalidInput, NotFound


def room_type(ctx: CatalogContext, resource_id: str, room: str | None = None) -> Resource:
    """The nightly resource, which lists `room` when one is named."""
    resource = get_resource(ctx, resource_id)
    if resource.kind is not ResourceKind.NIGHTLY:
        raise InvalidInput("Only a room type (nightly) has rooms.", code="not_for_kind")
    if room is not None and room not in resource.rooms:
        raise NotFound("The room type has no such room.", code="room_not_found", room=room)
    return resource


def put_out_of_order(
    ctx: CatalogContext,
    cache: CatalogCache,
    resource_id: str,
    outage: Outage,
    expected_rev: int | None,
) -> Resource:
    """The room cannot be sold or assigned from the night of `first` to that of `last`: the
    type sells one room fewer on those nights. Refused with 409 `capacity_below_sold` (the
    orders named) when they are sold out, and 409 `room_assigned` when a stay sleeps there."""
    current = room_type(ctx, resource_id, outage.room)
    check_rev(current.rev, expected_rev, "resource")
    tonight = today(ctx)
    if outage.first < tonight:
        raise InvalidInput("That night has passed.", code="date_in_past", field="from")
    # Outages over and done are history: they no longer count towards the type's limit.
    kept = tuple(o for o in current.outages if o.last >= tonight)
    new = replace(current, outages=(*kept, outage))
    return change_resource(
        ctx,
        cache,
        current,
        new,
        "room.out_of_order",
        room=outage.room,
        first=outage.first.isoformat(),
        last=outage.last.isoformat(),
        reason=outage.reason,
    )


def back_in_order(
    ctx: CatalogContext,
    cache: CatalogCache,
    resource_id: str,
    room: str,
    first: date,
    expected_rev: int | None,
) -> Resource:
    """End the outage of `room` that begins on `first` (the type sells the room again)."""
    current = room_type(ctx, resource_id, room)
    check_rev(current.rev, expected_rev, "resource")
    kept = tuple(o for o in current.outages if not (o.room == room and o.first == first))
    if len(kept) == len(current.outages):
        raise NotFound(
            "The room has no outage from that night.",
            code="outage_not_found",
            room=room,
            date=first.isoformat(),
        )
    new = replace(current, outages=kept)
    return change_resource(
        ctx, cache, current, new, "room.back_in_order", room=room, first=first.isoformat()
    )


def set_housekeeping(
    ctx: CatalogContext, resource_id: str, room: str, status: Housekeeping
) -> RoomStatus:
    room_type(ctx, resource_id, room)
    done = RoomStatus(room, status, ctx.now(), ctx.actor.label)
    ctx.data.catalog.set_housekeeping(resource_id, done)
    return done
