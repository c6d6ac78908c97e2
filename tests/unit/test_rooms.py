"""Rooms in the domain: a room out of order lowers its type's nights, the meet of two
definitions keeps both sets of outages, and a stay's rooms become the nights it holds."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chalicelib.booking.domain.orders import (
    Allocation,
    BookingStatus,
    Channel,
    Customer,
    Line,
    Order,
    PaymentStatus,
    RoomStay,
)
from chalicelib.booking.domain.room_nights import room_night_changes, rooms_from, rooms_until
from chalicelib.catalog.domain import capacity
from chalicelib.catalog.domain.catalog import DateOverride, validate_resource
from chalicelib.catalog.domain.inventory import BucketRef, Take
from chalicelib.catalog.domain.rooms import Outage, RoomNight, stranded
from chalicelib.kernel.domain.errors import InvalidInput
from tests.builders import room_type

D = date.fromisoformat
ROOMS = ("101", "102", "103")


def a_stay_order(order_id: str, check_in: str, nights: int) -> Order:
    days = [date.fromordinal(D(check_in).toordinal() + n).isoformat() for n in range(nights)]
    takes = tuple(Take(BucketRef("res_double", f"N#{d}"), 1, 3) for d in days)
    line = Line(
        offering_id="off_stay",
        offering_name="Stay",
        start=f"{check_in}T00:00Z",
        end=f"{days[-1]}T00:00Z",
        local_start=f"{check_in}T00:00+00:00",
        local_date=check_in,
        party=2,
        quantity=1,
        allocations=(Allocation(0, "res_double", "Double room", takes),),
        price_items=(),
        subtotal=0,
        tax=0,
        total=0,
        deposit=0,
        nights=nights,
    )
    at = "2026-11-24T09:00:00.000000Z"
    return Order(
        id=order_id,
        status=BookingStatus.CONFIRMED,
        payment_status=PaymentStatus.UNPAID,
        customer=Customer(name="Ada", email="ada@example.com"),
        channel=Channel.STAFF,
        currency="EUR",
        lines=(line,),
        created_at=at,
        updated_at=at,
        hold_expires_at=None,
    )


def hotel(**kw):
    return replace(room_type(rooms=3), rooms=ROOMS, **kw)


def test_a_room_out_of_order_lowers_only_its_nights_and_an_override_too():
    r = hotel(
        outages=(Outage("102", D("2026-12-20"), D("2026-12-21")),),
        overrides={D("2026-12-21"): DateOverride(capacity=2)},
    )
    assert [r.capacity_on(D(f"2026-12-{d}")) for d in (19, 20, 21, 22)] == [3, 2, 1, 3]
    assert capacity.violations(r, {"N#2026-12-20": 3, "N#2026-12-21": 1}, "UTC") == ["N#2026-12-20"]


def test_a_room_taken_off_while_out_of_order_leaves_the_meet_its_nights():
    old = hotel(outages=(Outage("103", D("2026-12-10"), D("2026-12-10")),))
    new = replace(room_type(rooms=2), rooms=("101", "102"))
    assert capacity.meet(old, new).capacity_on(D("2026-12-10")) == 2


def test_the_meet_keeps_the_outages_of_both_and_subtracts_them_once():
    old = hotel(outages=(Outage("101", D("2026-12-20"), D("2026-12-20")),))
    new = hotel(
        outages=(Outage("102", D("2026-12-20"), D("2026-12-20")),),
        overrides={D("2026-12-20"): DateOverride(capacity=3)},
    )
    m = capacity.meet(old, new)
    assert set(m.outages) == set(old.outages) | set(new.outages)
    # Each allows 2 that night (3 rooms, one out): so does the meet, its outages counted once.
    assert m.capacity_on(D("2026-12-20")) == 2
    assert m.capacity_on(D("2026-12-20")) <= min(
        old.capacity_on(D("2026-12-20")), new.capacity_on(D("2026-12-20"))
    )


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"rooms": ("101", "102")}, "rooms_capacity_mismatch"),
        ({"rooms": ("101", "101", "103")}, "duplicate_room"),
        ({"rooms": ("1 01", "102", "103")}, "invalid_room"),
        ({"outages": (Outage("999", D("2026-12-01"), D("2026-12-02")),)}, "room_not_found"),
        ({"outages": (Outage("101", D("2026-12-02"), D("2026-12-01")),)}, "invalid_outage"),
        (
            {
                "outages": (
                    Outage("101", D("2026-12-01"), D("2026-12-05")),
                    Outage("101", D("2026-12-05"), D("2026-12-06")),
                )
            },
            "outage_overlaps",
        ),
    ],
)
def test_a_types_rooms_are_checked(change, code):
    with pytest.raises(InvalidInput) as refused:
        validate_resource(replace(hotel(), **change))
    assert refused.value.code == code


def test_assignments_are_stranded_by_a_room_taken_away_or_out_of_order():
    nights = [
        RoomNight("res_double", "2026-12-20", "101", "o1"),
        RoomNight("res_double", "2026-12-20", "103", "o2"),
        RoomNight("res_double", "2026-12-21", "102", "o3"),
    ]
    out = (Outage("102", D("2026-12-21"), D("2026-12-21")),)
    assert [n.order_id for n in stranded(("101", "102"), out, nights)] == ["o2", "o3"]


def test_segments_of_a_stay_merge_and_trim():
    rooms = (RoomStay("2026-12-24", "101"),)
    assert rooms_from(rooms, "2026-12-25", "101") == rooms
    assert rooms_from(rooms, "2026-12-25", "102") == (*rooms, RoomStay("2026-12-25", "102"))
    assert rooms_from(rooms, "2026-12-24", "102") == (RoomStay("2026-12-24", "102"),)
    moved = (*rooms, RoomStay("2026-12-26", "103"))
    assert rooms_until(moved, "2026-12-26") == rooms


def test_room_nights_follow_the_order_and_leave_with_its_units():
    order = a_stay_order("o1", "2026-12-24", nights=3)
    line = replace(
        order.lines[0], rooms=(RoomStay("2026-12-24", "101"), RoomStay("2026-12-25", "102"))
    )
    placed = replace(order, lines=(line,))
    put, gone = room_night_changes(None, placed)
    assert sorted((n.night, n.room) for n in put) == [
        ("2026-12-24", "101"),
        ("2026-12-25", "102"),
        ("2026-12-26", "102"),
    ]
    assert gone == frozenset()
    cancelled = replace(placed, status=BookingStatus.CANCELLED)
    put, gone = room_night_changes(placed, cancelled)
    assert put == frozenset() and len(gone) == 3
