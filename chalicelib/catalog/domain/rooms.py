"""The rooms of a room type, and the dates a room is out of order.

A hotel sells a room type by capacity (catalog.py: one bucket per night holds the rooms sold);
its rooms, by number, are what the desk assigns to stays (booking/domain/room_nights.py). When a
type lists its rooms, its capacity is their number, and a room out of order on a night lowers
that night's capacity by one: an outage is part of the type's definition, so putting a room out
of order goes through the same protected write as any change of capacity
(catalog/services/catalog_writes.py) and is refused, naming the orders, when the nights are
sold. The room's housekeeping status (clean, dirty, inspected) is not: it changes many times a
day and sells nothing, so it lives in its own item (catalog/services/housekeeping.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from enum import StrEnum

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.values import value

MAX_ROOMS = 500  # one type's rooms, in its one item
MAX_OUTAGES = 500
MAX_OUTAGE_NIGHTS = 366  # a room out for longer is taken off the type
ROOM_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,11}$")  # "204", "B-12", "3.05"


class Housekeeping(StrEnum):
    CLEAN = "clean"
    DIRTY = "dirty"
    INSPECTED = "inspected"


@value
class RoomStatus:
    """A room's housekeeping status, when it was set and by whom (an actor label)."""

    room: str
    status: Housekeeping
    at: str
    by: str


@value
class Outage:
    """Room `room` is out of order from the night of `first` to the night of `last`."""

    room: str
    first: date
    last: date  # inclusive: the last night it cannot be sold
    reason: str = ""

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


@value
class RoomNight:
    """Room `room` of type `resource_id` is `order_id`'s on the night of `night` (written by
    booking: booking/domain/room_nights.py; read here before a change of the type's rooms)."""

    resource_id: str
    night: str  # local date
    room: str
    order_id: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.resource_id, self.night, self.room)


def outage_nights(outages: Sequence[Outage]) -> set[date]:
    """Every night some room is out of order."""
    return {
        date.fromordinal(n)
        for o in outages
        for n in range(o.first.toordinal(), o.last.toordinal() + 1)
    }


def rooms_out(outages: Sequence[Outage], day: date) -> frozenset[str]:
    """The rooms out of order on the night of `day`."""
    return frozenset(o.room for o in outages if o.covers(day))


def check_rooms(
    rooms: Sequence[str], outages: Sequence[Outage], capacities: Sequence[int], nightly: bool
) -> None:
    """A listed type's rooms: unique valid numbers, as many as its capacity (`capacities[0]`)
    and no fewer than any date's override capacity (the rest); outages only of its rooms,
    one at a time per room."""
    capacity = capacities[0]
    if (rooms or outages) and not nightly:
        raise InvalidInput("Only a nightly resource has rooms.", code="not_for_kind", field="rooms")
    if len(rooms) > MAX_ROOMS:
        raise InvalidInput(f"A room type has at most {MAX_ROOMS} rooms.", code="too_many_rooms")
    bad = [r for r in rooms if not ROOM_NUMBER.match(r)]
    if bad:
        raise InvalidInput(
            "A room number is 1 to 12 letters, digits, dots or dashes.",
            code="invalid_room",
            rooms=bad[:20],
        )
    if len(set(rooms)) != len(rooms):
        raise InvalidInput("Each room number is listed once.", code="duplicate_room")
    if rooms and capacity != len(rooms):
        raise InvalidInput(
            f"A room type that lists its rooms has their number as capacity ({len(rooms)}).",
            code="rooms_capacity_mismatch",
            rooms=len(rooms),
            capacity=capacity,
        )
    if rooms and max(capacities) > len(rooms):
        raise InvalidInput(
            f"A room type sells at most its {len(rooms)} rooms on a date.",
            code="override_above_rooms",
        )
    _check_outages(rooms, outages)


def _check_outages(rooms: Sequence[str], outages: Sequence[Outage]) -> None:
    if len(outages) > MAX_OUTAGES:
        raise InvalidInput(f"A room type has at most {MAX_OUTAGES} outages.", code="too_many")
    unknown = sorted({o.room for o in outages} - set(rooms))
    if unknown:
        raise InvalidInput("No such room in this type.", code="room_not_found", rooms=unknown)
    by_room: dict[str, list[Outage]] = {}
    for o in outages:
        if o.last < o.first:
            raise InvalidInput("An outage ends on or after it starts.", code="invalid_outage")
        if (o.last - o.first).days >= MAX_OUTAGE_NIGHTS:
            raise InvalidInput(
                f"A room is out of order for at most {MAX_OUTAGE_NIGHTS} nights at a time; "
                "take it off the type for longer.",
                code="invalid_outage",
            )
        by_room.setdefault(o.room, []).append(o)
    for room, spans in by_room.items():
        spans.sort(key=lambda o: o.first)
        for a, b in zip(spans, spans[1:], strict=False):
            if b.first <= a.last:
                raise InvalidInput(
                    f"Room {room} is out of order twice on {b.first.isoformat()}.",
                    code="outage_overlaps",
                    room=room,
                )


def stranded(
    rooms: Sequence[str], outages: Sequence[Outage], assigned: Sequence[RoomNight]
) -> list[RoomNight]:
    """The assigned nights a definition cannot keep: a room it no longer lists, or one it
    puts out of order that night."""
    listed = set(rooms)
    return [
        n
        for n in assigned
        if n.room not in listed or n.room in rooms_out(outages, date.fromisoformat(n.night))
    ]
