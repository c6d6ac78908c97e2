"""Room blocks: an allotment of a room type held for a group (a wedding, a conference) from
one night for some nights, until a release date; picked up room by room by the group's
rooming list; what is not picked up by then goes back on sale.

How the units move (the type's night buckets stay the one truth of what is sold):
- made: the block takes `rooms` units of each of its nights, in one transaction with its
  item (all nights or none: a 20-room block for 7 nights is one all-or-nothing write);
- picked up: a guest's order line (`Line.block_id`) takes its nights' units as any booking
  does, and the block gives the same units back in the same transaction, so the bucket does
  not move; the block's `picked` count of each night goes up, on condition that it stays
  within `rooms` and that the block is still held;
- a picked-up stay cancelled, expired or shortened while the block is held: its nights go
  back to the block (picked down, the block takes the units back), not on sale; after the
  release, back on sale, and picked down all the same (the figure attrition is settled on);
- released (at its date, or by a manager): the block gives back `rooms - picked` of each
  night, on condition that nothing was picked or returned since it was read (`version`).

So the type's buckets always hold: the units of the orders that hold them, plus, for each
held block, its rooms not picked up (booking/services/invariant.py counts both).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import field
from datetime import date, timedelta
from enum import StrEnum

from chalicelib.booking.domain.orders import Order
from chalicelib.kernel.domain.errors import Conflict, InvalidInput
from chalicelib.kernel.domain.values import value

MAX_BLOCK_ROOMS = 200
MAX_BLOCK_NIGHTS = 30


class BlockFull(Conflict):
    """A night of the stay has no room of the block left (or the block was released meanwhile):
    said by the pick-up before its rooms are planned, and by the transaction's count."""

    code = "block_full"

    def __init__(self, block_id: str) -> None:
        super().__init__(
            "The block has no room left on one of those nights, or it was released.",
            block_id=block_id,
        )


class BlockStatus(StrEnum):
    HELD = "held"
    RELEASED = "released"


@value
class RoomBlock:
    id: str
    name: str  # the group's, as the desk knows it
    resource_id: str  # the room type
    offering_id: str  # what the group's guests are sold (its prices)
    first_night: date
    nights: int
    rooms: int  # held each night
    release_at: str  # UTC instant: what is not picked up by then goes back on sale
    created_at: str
    created_by: str
    status: BlockStatus = BlockStatus.HELD
    picked: dict[str, int] = field(default_factory=dict)  # night -> rooms picked up
    version: int = 1
    released_at: str | None = None

    @property
    def night_list(self) -> list[str]:
        return [(self.first_night + timedelta(days=n)).isoformat() for n in range(self.nights)]

    def covers(self, night: str) -> bool:
        return self.first_night.isoformat() <= night < self.end_night

    @property
    def end_night(self) -> str:
        return (self.first_night + timedelta(days=self.nights)).isoformat()

    def left(self, night: str) -> int:
        """Rooms of the night not yet picked up."""
        return self.rooms - self.picked.get(night, 0) if self.covers(night) else 0


def check_block(block: RoomBlock) -> RoomBlock:
    if not 1 <= block.rooms <= MAX_BLOCK_ROOMS:
        raise InvalidInput(
            f"A block holds 1 to {MAX_BLOCK_ROOMS} rooms a night.", code="invalid_rooms"
        )
    if not 1 <= block.nights <= MAX_BLOCK_NIGHTS:
        raise InvalidInput(f"A block spans 1 to {MAX_BLOCK_NIGHTS} nights.", code="invalid_nights")
    if block.release_at <= block.created_at:
        raise InvalidInput("The release date is still to come.", code="release_in_past")
    return block


def block_nights(order: Order | None) -> Counter[tuple[str, str]]:
    """(block id, night) -> rooms the order's lines take from blocks, while it holds units."""
    counts: Counter[tuple[str, str]] = Counter()
    if order is None or not order.holds_inventory:
        return counts
    for line in order.lines:
        if not line.block_id:
            continue
        first = date.fromisoformat(line.local_date)
        for n in range(line.nights):
            counts[(line.block_id, (first + timedelta(days=n)).isoformat())] += line.quantity
    return counts
