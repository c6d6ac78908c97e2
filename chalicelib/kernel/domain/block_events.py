"""Room blocks' domain events (booking/services/blocks.py): a block takes a room type's units
for its nights when it is made and gives back what was not picked up when it is released, so
both change what the type has on sale. They are written in the block's own transaction, as an
order's events are in the order's, and reach the consumers by the same stream: the channels'
availability updates (channels/services/outbound_marks.py) tell the partners that sell the
room type, and a webhook endpoint that takes every event (`*`) receives them.

They carry ids, dates and counts only: a block's name is the group's (often a person's, "the
Smith wedding") and stays on the block item, which an erase can find; the events need no
privacy entry. A pick-up or a give-back inside the block moves no unit on sale (the order
takes what the block gives back in the same transaction): no event of its own beyond the order's.
"""

from __future__ import annotations

from chalicelib.kernel.domain.events import DomainEvent
from chalicelib.kernel.domain.values import value


@value(kw_only=True)
class RoomBlockCreated(DomainEvent):
    name = "RoomBlockCreated"
    schema_version = 1
    summary = (
        "A block of rooms was held for a group: `rooms` of the room type each night from"
        " `first_night` for `nights` nights, off sale until picked up or released."
    )
    block_id: str
    resource_id: str  # the room type
    offering_id: str
    first_night: str  # the local date of its first night (YYYY-MM-DD)
    nights: int
    rooms: int
    release_at: str  # UTC: what is not picked up by then goes back on sale
    actor: str  # `kind:id` of who made it


@value(kw_only=True)
class RoomBlockReleased(DomainEvent):
    name = "RoomBlockReleased"
    schema_version = 1
    summary = (
        "A block was released (at its date, or by a manager): the rooms its group did not pick"
        " up are back on sale (`returned`: room-nights given back)."
    )
    block_id: str
    resource_id: str
    first_night: str
    nights: int
    returned: int  # room-nights given back to sale, over all its nights
    actor: str  # `kind:id`: the system at its date, or the manager
