"""The typed events and their one registry (chalicelib/kernel/domain/events.py): every event stored
today reads back as its class and is written again unchanged; nothing else reads as an event."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chalicelib.kernel.domain.event_registry import EVENTS, record, typed
from chalicelib.kernel.domain.events import OrderCheckedIn, Record, UnknownEvent
from chalicelib.webhooks.domain.webhooks import EVENT_TYPES

MESSAGES = Path(__file__).resolve().parents[1] / "fixtures" / "event_messages"


def stored(file: Path) -> Record:
    raw = json.loads(file.read_text())["event"]
    return Record(raw["id"], raw["name"], raw["order_id"], raw["at"], raw["data"])


@pytest.mark.parametrize("file", sorted(MESSAGES.glob("*.json")), ids=lambda p: p.stem)
def test_every_stored_event_reads_as_its_class_and_writes_back_the_same(file: Path) -> None:
    before = stored(file)
    event = typed(before)
    assert type(event) is EVENTS[before.name]
    assert record(event) == before
    assert list(record(event).data) == list(before.data)  # the same keys in the same order


def test_a_flag_at_its_default_is_left_out_as_before() -> None:
    checked_in = OrderCheckedIn(
        id="e",
        at="t",
        order_id="o",
        status="checked_in",
        version=2,
        start="s",
        actor="system:reservoir",
        previous_status="confirmed",
    )
    assert "early" not in checked_in.data() and "actor_role" not in checked_in.data()
    assert record(checked_in).order_id == "o"


def test_a_name_or_data_no_class_takes_is_refused() -> None:
    with pytest.raises(UnknownEvent):
        typed(Record("e", "OrderTeleported", "o", "t", {}))
    with pytest.raises(UnknownEvent):
        typed(Record("e", "OrderExpired", "o", "t", {"order_id": "o"}))  # fields missing
    good = stored(MESSAGES / "OrderExpired.json")
    with pytest.raises(UnknownEvent):
        typed(Record(good.id, good.name, good.order_id, good.at, {**good.data, "colour": "red"}))


def test_every_event_an_endpoint_may_subscribe_to_is_a_registered_class() -> None:
    assert set(EVENTS) >= EVENT_TYPES
    assert all(cls.name == name and cls.schema_version >= 1 for name, cls in EVENTS.items())


def test_endpoints_may_subscribe_to_the_booking_events_and_no_others() -> None:
    # Derived from the registry (the BookingEvent classes); docs/WEBHOOKS.md lists these names.
    assert sorted(EVENT_TYPES) == [
        "OrderCancelled",
        "OrderCheckInUndone",
        "OrderCheckedIn",
        "OrderCompleted",
        "OrderConfirmed",
        "OrderDetailsChanged",
        "OrderExpired",
        "OrderHeld",
        "OrderMarkedNoShow",
        "OrderMessaged",
        "OrderNoShowUndone",
        "OrderOverbooked",
        "OrderRescheduled",
        "OrderRoomAssigned",
    ]
