"""The invariant's two ways to the window's orders (booking/services/invariant.py): each
resource's entries in a table whose every order has them, the day index in an older one. Both
must count the same orders, and an order that lost its entry must show as a difference: the
check counts the orders' own takes, so a way that misses an order can only report too little,
never hide units a bucket holds."""

from __future__ import annotations

from datetime import date, datetime
from unittest.mock import patch

from chalicelib.booking.domain.orders import BookingStatus, CancelledBy, Channel, Customer
from chalicelib.booking.services import line_planning
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.day_sheet import resource_day
from chalicelib.booking.services.invariant import check_invariant
from chalicelib.booking.services.line_planning import LineInput
from tests.builders import Shop, day_tour, departure, haircut, room_type, stay_offering, stylist

GUEST = Customer(name="Ada", email="ada@example.com")
WINDOW = (date(2026, 12, 10), date(2026, 12, 13))  # the 10th, 11th and 12th


def hold(shop, line, order_id):
    return hold_order(
        shop.ctx, shop.cache, HoldInput(GUEST, [line], Channel.API), order_id=order_id
    )


def busy_shop() -> Shop:
    """A stay begun 12 nights before the window and running into it, one that checks out on
    its first morning (it takes none of its nights), one begun after it, an order of a night
    and a fortnight from the same day (its entry must end with the fortnight), a haircut and a
    party spread over a sharded departure from its second shard on (its entry under that
    shard, not the first), and a cancelled haircut (it takes nothing)."""
    shop = Shop().add(
        room_type(rooms=3),
        stay_offering(),
        stylist("res_a", "Alex"),
        haircut(),
        departure(seats=8, shards=4),
        day_tour(),
    )
    hold(shop, LineInput("off_stay", check_in=date(2026, 11, 28), nights=14), "long")
    hold(shop, LineInput("off_stay", check_in=date(2026, 12, 7), nights=3), "gone_by")
    hold(shop, LineInput("off_stay", check_in=date(2026, 12, 14), nights=2), "after")
    hold(shop, LineInput("off_cut", start=datetime(2026, 12, 11, 10, 0)), "cut")
    pair = [
        LineInput("off_stay", check_in=date(2026, 12, 1), nights=1),
        LineInput("off_stay", check_in=date(2026, 12, 1), nights=14),
    ]
    hold_order(shop.ctx, shop.cache, HoldInput(GUEST, pair, Channel.API), order_id="pair")
    with patch.object(line_planning.random, "randrange", return_value=1):  # shards 1 and 2
        hold(shop, LineInput("off_tour", party=3, start=datetime(2026, 12, 12, 8, 0)), "tour")
    hold(shop, LineInput("off_cut", start=datetime(2026, 12, 11, 14, 0)), "cancelled")
    order_service.cancel(shop.ctx, shop.cache, "cancelled", reason="ill", by=CancelledBy.CUSTOMER)
    assert shop.data.orders.get("cancelled").status is BookingStatus.CANCELLED
    return shop


def test_both_ways_count_the_same_orders_and_buckets():
    shop = busy_shop()
    by_entries = check_invariant(shop.ctx, *WINDOW)
    shop.data.orders.entered = False  # a table from before the resource entries
    by_day = check_invariant(shop.ctx, *WINDOW)
    assert by_entries.ok and by_day.ok, (by_entries.differences, by_day.differences)
    # long, pair, cut and tour, and gone_by (read, it takes nothing in the window); not after
    assert by_entries.orders_counted == by_day.orders_counted == 5
    assert by_entries.buckets_checked == by_day.buckets_checked
    assert len(shop.data.orders.get("tour").takes) > 1  # the party is over several shards
    entries = shop.data.orders.entries.values()
    assert {e.shard for e in entries if e.order_id == "tour"} == {1}
    assert {e.end for e in entries if e.order_id == "pair"} == {"2026-12-14T23:00Z"}


def test_a_table_whose_orders_all_have_entries_reads_no_day(monkeypatch):
    shop = busy_shop()

    def no_day(local_date: str):
        raise AssertionError(f"read the day index for {local_date}")

    monkeypatch.setattr(shop.data.orders, "on_day", no_day)
    assert check_invariant(shop.ctx, *WINDOW).ok


def test_an_order_that_lost_its_entry_shows_as_a_difference():
    shop = busy_shop()
    store = shop.data.orders
    for key in [k for k, e in store.entries.items() if e.order_id == "cut"]:
        del store.entries[key]
    report = check_invariant(shop.ctx, *WINDOW)
    assert not report.ok
    assert {(r, have, want) for r, _, have, want in report.differences} == {("res_a", 1, 0)}
    assert len(report.differences) == 4  # its four slots, held but named by no order


def test_the_room_type_s_day_lists_the_fortnight_that_began_with_a_one_night_line():
    """The same entry makes the desk's day: a fortnight whose order also holds one night
    from the same day is in house on the tenth (it was missing with the night's end)."""
    shop = busy_shop()
    sheet = resource_day(shop.ctx, "res_double", date(2026, 12, 10))
    assert [(d.order.id, d.role, d.line.nights) for d in sheet.lines if d.order.id == "pair"] == [
        ("pair", "in_house", 14)
    ]
