"""Request and response models of rooms at the desk: the room board of a type and a move."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from chalicelib.booking.api.booking_models import agreed_total
from chalicelib.booking.services.room_board import BoardRoom, RoomBoard, Stay
from chalicelib.catalog.api.resource_models import HousekeepingOut, OutageOut, RoomNumber
from chalicelib.web.models import Body, Day, Out, Query


class RoomBoardQueryIn(Query):
    day: Day = Field(alias="date", description="The local date whose night the board shows.")
    nights: Annotated[int, Field(ge=1, le=30)] = Field(
        default=1, description="`free` means free on this many nights from `date` on."
    )


class RoomMoveIn(Body):
    room: RoomNumber
    line: Annotated[int, Field(ge=0, le=19)] = Field(
        default=0, description="Which line of the order is the stay."
    )
    resource_id: Annotated[str, Field(min_length=1, max_length=64)] | None = Field(
        default=None,
        description="Another room type to move the guest to (the rest of the stay is planned "
        "again on it); absent: a room of the stay's own type.",
    )
    offering_id: Annotated[str, Field(min_length=1, max_length=64)] | None = Field(
        default=None,
        description="The offering that sells the other type, when more than one does.",
    )
    from_night: Day | None = Field(
        default=None,
        alias="from",
        description="The first night in the room (default: check-in, or tonight for a guest "
        "in the house).",
    )
    quote: bool = Field(
        default=False,
        description="true: answer the order as the move would make it (a move to another type "
        "is priced again: its new total and deposit) and change nothing; the same version "
        "answered, so the move sent with If-Match is refused if the order changed meanwhile.",
    )
    expected_total: int | None = agreed_total("move")


class StayRefOut(Out):
    order_id: str
    line: int
    status: str
    guest: str
    check_in: str
    nights: int
    party: int

    @classmethod
    def of(cls, stay: Stay) -> StayRefOut:
        line = stay.line
        return cls(
            order_id=stay.order.id,
            line=stay.line_index,
            status=stay.order.status.value,
            guest=stay.order.customer.name,
            check_in=line.local_date,
            nights=line.nights,
            party=line.party,
        )


class BoardRoomOut(Out):
    room: str
    housekeeping: HousekeepingOut | None
    out_of_order: OutageOut | None
    occupant: StayRefOut | None = Field(description="Sleeps in the room that night.")
    departing: StayRefOut | None = Field(description="Slept there the night before; leaves.")
    held: StayRefOut | None = Field(
        default=None,
        description="Holds the room that night though its guest is not there: checked out "
        "before the stay's last night (`status` completed), or a no-show.",
    )
    free: bool = Field(description="Neither assigned nor out of order on the window's nights.")

    @classmethod
    def of(cls, r: BoardRoom) -> BoardRoomOut:
        hk, out = r.housekeeping, r.out_of_order
        return cls(
            room=r.room,
            housekeeping=None
            if hk is None
            else HousekeepingOut(room=hk.room, status=hk.status.value, at=hk.at, by=hk.by),
            out_of_order=None
            if out is None
            else OutageOut(
                room=out.room,
                first=out.first.isoformat(),
                last=out.last.isoformat(),
                reason=out.reason,
            ),
            occupant=None if r.occupant is None else StayRefOut.of(r.occupant),
            departing=None if r.departing is None else StayRefOut.of(r.departing),
            held=None if r.held is None else StayRefOut.of(r.held),
            free=r.free,
        )


class RoomBoardOut(Out):
    resource_id: str
    resource_name: str
    rev: int = Field(description="The type's revision, for If-Match on its outages.")
    date: str
    nights: int
    rooms: list[BoardRoomOut]
    unassigned: list[StayRefOut] = Field(description="Stays of the type that night, no room.")
    held: list[StayRefOut] = Field(
        default_factory=list,
        description="Stays holding a night of the type then although their guest is not there "
        "(left early, or a no-show), with a room or not: not for sale until given back.",
    )
    complete: bool
    for_sale: int = Field(
        description="Units of the type still for sale on every night of the window: a stay "
        "moving in from another type needs one, however many rooms are free (the type may be "
        "sold to stays that have no room yet)."
    )

    @classmethod
    def of(cls, b: RoomBoard) -> RoomBoardOut:
        return cls(
            resource_id=b.resource.id,
            resource_name=b.resource.name,
            rev=b.resource.rev,
            date=b.day.isoformat(),
            nights=b.nights,
            rooms=[BoardRoomOut.of(r) for r in b.rooms],
            unassigned=[StayRefOut.of(s) for s in b.unassigned],
            held=[StayRefOut.of(s) for s in b.held],
            complete=b.complete,
            for_sale=b.for_sale,
        )
