"""Where a room's night lives in the tenant table: `ROOMN#<type>`/`<night>#<room>`, so a
type's rooms over a range of nights (the room board, the free rooms of a stay) are one Query
(booking/domain/room_nights.py says why one item per night)."""

from __future__ import annotations

from typing import Any

from chalicelib.catalog.domain.rooms import RoomNight


def room_night_pk(resource_id: str) -> str:
    return f"ROOMN#{resource_id}"


def room_night_key(night: RoomNight) -> dict[str, Any]:
    return {
        "pk": {"S": room_night_pk(night.resource_id)},
        "sk": {"S": f"{night.night}#{night.room}"},
    }


def room_night_of(resource_id: str, item: dict[str, Any]) -> RoomNight:
    night, room = item["sk"]["S"].split("#", 1)
    return RoomNight(resource_id, night, room, item["order_id"]["S"])
