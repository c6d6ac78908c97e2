"""Which room a stay sleeps in, night by night, and the items that keep a room from being
given twice.

A stay line holds its room type's nights in the type's buckets (capacity); the room the desk
assigns is recorded on the line (`Line.rooms`: from which night, which room) and, for each
night, in one item `ROOMN#<type>`/`<night>#<room>` that is written on the condition that it
does not exist. Two desks assigning room 204 for the same night both write that item: one
transaction wins, the other is refused (409 `room_taken`). The items are written in the
order's own transaction (booking/services/order_unit_of_work.py) and follow its lines: a stay
that grows keeps its room on the nights it gains, one that shrinks or is cancelled gives its
nights back, and a move writes the new room's nights and deletes the old one's. (The item's
shape, `RoomNight`, is the catalog's: a change of a type's rooms reads them too.)
"""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.booking.domain.orders import Line, Order, RoomStay
from chalicelib.catalog.domain.catalog import Resource
from chalicelib.catalog.domain.rooms import RoomNight, rooms_out
from chalicelib.kernel.domain.errors import Conflict, InvalidInput, NotFound


def stay_resource(line: Line) -> str | None:
    """The room type a stay line sleeps in: the resource whose night buckets it takes."""
    for allocation in line.allocations:
        if any(t.bucket.key.startswith("N#") for t in allocation.takes):
            return allocation.resource_id
    return None


def line_nights(line: Line) -> list[str]:
    first = date.fromisoformat(line.local_date)
    return [(first + timedelta(days=n)).isoformat() for n in range(line.nights)]


def line_room_nights(order_id: str, line: Line) -> list[RoomNight]:
    resource_id = stay_resource(line)
    if resource_id is None or not line.rooms:
        return []
    out = []
    for night in line_nights(line):
        room = line.room_on(night)
        if room is not None:
            out.append(RoomNight(resource_id, night, room, order_id))
    return out


def room_nights(order: Order) -> frozenset[RoomNight]:
    """The nights the order's rooms are its own: while it holds its units. Two of its own
    stays in one room on one night are refused as any other stay's would be."""
    if not order.holds_inventory:
        return frozenset()
    found: dict[tuple[str, str, str], RoomNight] = {}
    for line in order.lines:
        for n in line_room_nights(order.id, line):
            if n.key in found:
                raise Conflict(
                    f"Room {n.room} is another stay's on the night of {n.night}.",
                    code="room_taken",
                    room=n.room,
                    night=n.night,
                )
            found[n.key] = n
    return frozenset(found.values())


def room_night_changes(
    before: Order | None, after: Order
) -> tuple[frozenset[RoomNight], frozenset[RoomNight]]:
    """(to put, to delete) when an order goes from `before` (None: new) to `after`."""
    old = room_nights(before) if before is not None else frozenset()
    new = room_nights(after)
    old_keys, new_keys = {n.key for n in old}, {n.key for n in new}
    return (
        frozenset(n for n in new if n.key not in old_keys),
        frozenset(n for n in old if n.key not in new_keys),
    )


def check_room_stay(resource: Resource, line: Line, first_night: str = "") -> None:
    """A stay's rooms are rooms of its type, in order on every night it sleeps there from
    `first_night` on (nights gone by are history: a room since taken off the type or put out
    of order does not lock the stay), and a line with rooms is one room (a group books a line
    per room)."""
    if line.quantity != 1:
        raise InvalidInput(
            "A room is assigned to a line of one room; book a line per room.",
            code="room_needs_one_unit",
        )
    for night in line_nights(line):
        room = line.room_on(night)
        if room is None or night < first_night:
            continue
        if room not in resource.rooms:
            raise NotFound(f"{resource.name} has no room {room}.", code="room_not_found", room=room)
        if room in rooms_out(resource.outages, date.fromisoformat(night)):
            raise Conflict(
                f"Room {room} is out of order on the night of {night}.",
                code="room_out_of_order",
                room=room,
                night=night,
            )


def rooms_from(rooms: tuple[RoomStay, ...], first_night: str, room: str) -> tuple[RoomStay, ...]:
    """The stay's rooms with `room` from `first_night` on: earlier nights keep theirs, and a
    room that continues the one before it is not a new segment."""
    kept = [r for r in rooms if r.first_night < first_night]
    if not kept or kept[-1].room != room:
        kept.append(RoomStay(first_night, room))
    return tuple(kept)


def rooms_until(rooms: tuple[RoomStay, ...], end_night: str) -> tuple[RoomStay, ...]:
    """The segments of a stay that now ends before the night of `end_night`."""
    return tuple(r for r in rooms if r.first_night < end_night)
