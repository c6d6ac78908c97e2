"""The units a line holds of a resource, as the day sheet counts them: a sharded session's
shards added up, a stay's rooms of one night, a slot's one."""

from __future__ import annotations

from chalicelib.booking.domain.orders import Allocation, Line
from chalicelib.booking.services.day_sheet import _units
from chalicelib.catalog.domain.inventory import BucketRef, Take


def line(*takes: Take, nights: int = 0) -> Line:
    return Line(
        offering_id="off",
        offering_name="Tour",
        start="2026-12-10T00:00Z",
        end="2026-12-10T08:00Z",
        local_start="2026-12-10T08:00+08:00",
        local_date="2026-12-10",
        party=3,
        quantity=1,
        allocations=(Allocation(0, "res_x", "X", takes),),
        price_items=(),
        subtotal=0,
        tax=0,
        total=0,
        deposit=0,
        nights=nights,
    )


def test_a_party_split_over_shards_counts_every_seat():
    at = "X#2026-12-10T00:00Z"
    split = line(Take(BucketRef("res_x", at), 1, 10), Take(BucketRef("res_x", f"{at}#1"), 2, 10))
    assert _units(split, "res_x") == 3


def test_a_stay_holds_its_rooms_of_one_night_not_the_nights_added_up():
    nights = [Take(BucketRef("res_x", f"N#2026-12-{d}"), 2, 8) for d in (10, 11, 12)]
    assert _units(line(*nights, nights=3), "res_x") == 2


def test_another_resource_holds_nothing_of_this_one():
    assert _units(line(Take(BucketRef("res_x", "S#2026-12-10T08:00Z"), 1, 1)), "res_y") == 0
