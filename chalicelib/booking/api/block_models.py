"""Request and response models of room blocks (booking/domain/blocks.py)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from chalicelib.booking.api.booking_models import CustomerIn, Id
from chalicelib.booking.api.line_out_models import RoomStayOut
from chalicelib.booking.domain.blocks import MAX_BLOCK_NIGHTS, MAX_BLOCK_ROOMS, RoomBlock
from chalicelib.booking.domain.order_money import outstanding
from chalicelib.booking.services.rooming_list import BlockGuest
from chalicelib.catalog.api.question_models import AnswersIn
from chalicelib.catalog.api.resource_models import RoomNumber
from chalicelib.web.models import Body, Day, Name, Out


class BlockIn(Body):
    name: Name = Field(description="The group's name, as the desk knows it.")
    resource_id: Id = Field(description="The room type.")
    offering_id: Id = Field(description="What its guests are sold, at its prices.")
    first_night: Day = Field(alias="from", description="The first night held.")
    nights: Annotated[int, Field(ge=1, le=MAX_BLOCK_NIGHTS)]
    rooms: Annotated[int, Field(ge=1, le=MAX_BLOCK_ROOMS)] = Field(
        description="Rooms held each night."
    )
    release_on: Day = Field(
        description="The cut-off date: at the start of that local day, the rooms not picked "
        "up go back on sale. At the latest the day after the last night."
    )


class PickupIn(Body):
    customer: CustomerIn
    check_in: Day | None = Field(default=None, description="Default: the block's first night.")
    nights: Annotated[int, Field(ge=1, le=MAX_BLOCK_NIGHTS)] | None = Field(
        default=None, description="Default: to the block's last night."
    )
    party: Annotated[int, Field(ge=1, le=1000)] = 1
    answers: AnswersIn | None = None
    room: RoomNumber | None = Field(default=None, description="Assign this room at once.")


class BlockNightOut(Out):
    night: date
    rooms: int
    picked: int
    left: int


class BlockOut(Out):
    id: str
    name: str
    resource_id: str
    offering_id: str
    first_night: date = Field(serialization_alias="from")
    nights: int
    rooms: int
    release_at: str
    status: str = Field(description="held or released.")
    released_at: str | None
    picked: int = Field(description="Room-nights picked up.")
    nights_detail: list[BlockNightOut]
    created_at: str

    @classmethod
    def of(cls, b: RoomBlock) -> BlockOut:
        return cls(
            id=b.id,
            name=b.name,
            resource_id=b.resource_id,
            offering_id=b.offering_id,
            first_night=b.first_night,
            nights=b.nights,
            rooms=b.rooms,
            release_at=b.release_at,
            status=b.status.value,
            released_at=b.released_at,
            picked=sum(b.picked.values()),
            nights_detail=[
                BlockNightOut(
                    night=date.fromisoformat(n),
                    rooms=b.rooms,
                    picked=b.picked.get(n, 0),
                    left=b.left(n) if b.status.value == "held" else 0,
                )
                for n in b.night_list
            ],
            created_at=b.created_at,
        )


class BlockListOut(Out):
    data: list[BlockOut]


class BlockGuestOut(Out):
    order_id: str
    status: str
    name: str
    email: str
    phone: str | None = None
    check_in: date = Field(description="Their first night.")
    nights: int
    party: int
    rooms: list[RoomStayOut] = Field(
        default=[], description="The rooms assigned: each from its first night until the next."
    )
    total: int = Field(description="Their order's total, in minor units.")
    balance: int = Field(description="What their order still asks, in minor units.")
    currency: str

    @classmethod
    def of(cls, guest: BlockGuest) -> BlockGuestOut:
        order, line = guest.order, guest.line
        return cls(
            order_id=order.id,
            status=order.status.value,
            name=order.customer.name,
            email=order.customer.email,
            phone=order.customer.phone,
            check_in=date.fromisoformat(line.local_date),
            nights=line.nights,
            party=line.party,
            rooms=[RoomStayOut(first_night=r.first_night, room=r.room) for r in line.rooms],
            total=order.total,
            balance=outstanding(order),
            currency=order.currency,
        )


class RoomingListOut(Out):
    data: list[BlockGuestOut] = Field(description="By arrival, then name.")
    complete: bool = Field(description="False: more lines than one read gives (not for a block).")
