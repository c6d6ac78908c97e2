"""Holds and order changes through the services, on the fakes (no I/O)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from chalicelib.booking.domain.orders import (
    BookingStatus,
    CancelledBy,
    Channel,
    Customer,
    IllegalTransition,
)
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.availability import availability
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.invariant import check_invariant
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.booking.services.transaction_items import BucketTake
from chalicelib.kernel.domain.errors import InvalidInput, SlotUnavailable, StaleCatalog, TooLarge
from tests.builders import Shop, day_tour, departure, haircut, room_type, stay_offering, stylist

GUEST = Customer(name="Ada", email="ada@example.com")


def hold(shop, *lines, order_id="ord_1"):
    return hold_order(
        shop.ctx, shop.cache, HoldInput(GUEST, list(lines), Channel.API), order_id=order_id
    )


def test_a_stay_takes_one_unit_of_every_night_and_prices_each_night():
    shop = Shop().add(room_type(rooms=2), stay_offering())
    order = hold(shop, LineInput("off_stay", party=2, check_in=date(2026, 12, 24), nights=3))
    assert order.status is BookingStatus.HELD
    assert [t.bucket.key for t in order.takes] == ["N#2026-12-24", "N#2026-12-25", "N#2026-12-26"]
    assert order.total == 36000 and order.tax == 2355  # 7 % included: 36000 * 7/107
    assert shop.data.orders.buckets[("res_double", "N#2026-12-25")] == 1


def test_the_last_room_goes_to_one_guest_only():
    shop = Shop().add(room_type(rooms=1), stay_offering())
    hold(shop, LineInput("off_stay", check_in=date(2026, 12, 24)), order_id="a")
    with pytest.raises(SlotUnavailable):
        hold(shop, LineInput("off_stay", check_in=date(2026, 12, 24)), order_id="b")
    assert shop.data.orders.buckets[("res_double", "N#2026-12-24")] == 1


def test_the_least_loaded_stylist_is_picked_and_buffers_occupy_slots():
    shop = Shop().add(stylist("res_a", "Alex"), stylist("res_b", "Blair"), haircut())
    first = hold(shop, LineInput("off_cut", start=datetime(2026, 12, 1, 10, 0)), order_id="o1")
    second = hold(shop, LineInput("off_cut", start=datetime(2026, 12, 1, 10, 0)), order_id="o2")
    served = {first.lines[0].allocations[0].resource_id, second.lines[0].allocations[0].resource_id}
    assert served == {"res_a", "res_b"}
    # 45 minutes + 15 buffer = four 15-minute slots, in UTC (Berlin is UTC+1 in December)
    assert [t.bucket.key for t in first.takes] == [
        "S#2026-12-01T09:00Z",
        "S#2026-12-01T09:15Z",
        "S#2026-12-01T09:30Z",
        "S#2026-12-01T09:45Z",
    ]
    with pytest.raises(SlotUnavailable):
        hold(shop, LineInput("off_cut", start=datetime(2026, 12, 1, 10, 30)), order_id="o3")


def test_a_session_takes_one_seat_per_person_and_refuses_more_than_is_left():
    shop = Shop(tz="Asia/Shanghai", currency="CNY").add(departure(seats=5), day_tour())
    order = hold(shop, LineInput("off_tour", party=4, start=datetime(2026, 12, 5, 8, 0)))
    assert [(t.bucket.key, t.units) for t in order.takes] == [("X#2026-12-05T00:00Z", 4)]
    assert order.deposit == 45600  # 30 % of 4 x 380.00
    with pytest.raises(SlotUnavailable):
        hold(shop, LineInput("off_tour", party=2, start=datetime(2026, 12, 5, 8, 0)), order_id="x")


def test_cancel_gives_the_units_back_with_the_fee_by_policy():
    shop = Shop(tz="Asia/Shanghai", currency="CNY").add(departure(seats=5), day_tour())
    order = hold(shop, LineInput("off_tour", party=2, start=datetime(2026, 12, 5, 8, 0)))
    order_service.confirm(shop.ctx, order.id)
    shop.clock.advance(10 * 24 * 3600 - 30 * 3600)  # 30 hours before the start: 50 % tier
    cancelled = order_service.cancel(shop.ctx, shop.cache, order.id, reason="ill")
    terms = cancelled.cancellation
    assert (terms["policy_fee"], terms["refundable"]) == (38000, 38000)
    assert terms["fee"] == 0  # nothing was paid: nothing to keep (P7A finding 1)
    assert shop.data.orders.buckets[("res_wall", "X#2026-12-05T00:00Z")] == 0


def test_illegal_transitions_are_refused_and_change_nothing():
    shop = Shop().add(room_type(), stay_offering())
    order = hold(shop, LineInput("off_stay", check_in=date(2026, 12, 24)))
    with pytest.raises(IllegalTransition):
        order_service.check_in(shop.ctx, order.id)  # not confirmed yet
    assert shop.data.orders.get(order.id).version == 1


def test_a_stale_catalog_revision_is_refused_at_commit():
    shop = Shop().add(room_type(rooms=1), stay_offering())
    shop.cache.get(shop.tenant.id, shop.data.catalog)
    shop.replace_resource(shop.data.catalog.get_resource("res_double"), capacity=0)
    with pytest.raises((SlotUnavailable, StaleCatalog)):
        hold(shop, LineInput("off_stay", check_in=date(2026, 12, 24)))
    assert shop.data.orders.buckets == {}


def test_reschedule_overlapping_itself_nets_the_buckets():
    shop = Shop().add(stylist("res_a", "Alex"), haircut())
    order = hold(shop, LineInput("off_cut", start=datetime(2026, 12, 1, 10, 0)))
    moved = order_service.reschedule(
        shop.ctx,
        shop.cache,
        order.id,
        [LineInput("off_cut", start=datetime(2026, 12, 1, 10, 15))],
        expected_version=order.version,
    )
    assert moved.lines[0].local_start.startswith("2026-12-01T10:15")
    used = {k: v for (r, k), v in shop.data.orders.buckets.items() if v}
    assert sorted(used) == [
        "S#2026-12-01T09:15Z",
        "S#2026-12-01T09:30Z",
        "S#2026-12-01T09:45Z",
        "S#2026-12-01T10:00Z",
    ]


def test_expired_hold_gives_units_back_once():
    shop = Shop().add(room_type(rooms=1), stay_offering())
    order = hold(shop, LineInput("off_stay", check_in=date(2026, 12, 24)))
    assert order_service.expire(shop.ctx, order.id) is None  # not yet
    shop.clock.advance(15 * 60 + 1)
    assert order_service.expire(shop.ctx, order.id).status is BookingStatus.EXPIRED
    assert order_service.expire(shop.ctx, order.id) is None
    assert shop.data.orders.buckets[("res_double", "N#2026-12-24")] == 0


def test_a_booking_beyond_the_transaction_limit_is_refused_clearly():
    shop = Shop()
    for n in range(4):  # 4 room types x 30 nights = 120 buckets in one order
        shop.add(room_type(f"res_{n}"), stay_offering(f"res_{n}", oid=f"off_{n}"))
    lines = [LineInput(f"off_{n}", check_in=date(2026, 12, 1), nights=30) for n in range(4)]
    with pytest.raises(TooLarge):
        hold(shop, *lines)
    assert shop.data.orders.buckets == {}


def test_availability_lists_slots_with_who_serves_them():
    shop = Shop().add(stylist("res_a", "Alex"), haircut())
    offering, plans = availability(
        shop.ctx,
        shop.cache,
        offering_id="off_cut",
        first=date(2026, 12, 1),
        last_exclusive=date(2026, 12, 2),
        party=1,
    )
    starts = [p.start.strftime("%H:%M") for p in plans]
    assert starts[0] == "08:00" and starts[-1] == "15:00"  # 09:00 .. 16:00 local, UTC+1
    assert all(p.choices[0].resource.id == "res_a" for p in plans)


def test_a_booking_that_loses_its_stylist_to_a_rival_gets_another_free_stylist():
    """Every request first picks the same (least-loaded) stylist; here a rival commits that
    very stylist between our planning and our commit, six times in a row. The booking must
    re-plan without the stylist it lost and end with a free one, not give up after a few."""
    stylists = [stylist(f"res_{n}", f"Stylist {n}") for n in range(10)]
    shop = Shop().add(*stylists, haircut())
    store, transactions = shop.data.orders, shop.data.transactions
    real_write = transactions.write
    rivals: list[str] = []

    def write_after_a_rival(items):
        takes = [item.take for item in items if isinstance(item, BucketTake)]
        if len(rivals) < 6:
            picked = takes[0].bucket.resource_id
            rivals.append(picked)
            for take in takes:  # the rival took exactly what we planned, just before us
                store.buckets[(take.bucket.resource_id, take.bucket.key)] = take.units
        real_write(items)

    transactions.write = write_after_a_rival
    order = hold(shop, LineInput("off_cut", start=datetime(2026, 12, 1, 10, 0)))

    served = order.lines[0].allocations[0].resource_id
    assert len(set(rivals)) == 6 and served not in rivals
    assert all(units <= 1 for units in store.buckets.values())


def test_a_booking_refused_at_commit_is_unavailable_once_every_candidate_is_lost():
    shop = Shop().add(stylist("res_a", "Alex"), stylist("res_b", "Blair"), haircut())
    store, transactions = shop.data.orders, shop.data.transactions
    real_write = transactions.write

    def write_after_a_rival(items):
        for take in (item.take for item in items if isinstance(item, BucketTake)):
            store.buckets[(take.bucket.resource_id, take.bucket.key)] = take.units
        real_write(items)

    transactions.write = write_after_a_rival
    with pytest.raises(SlotUnavailable):
        hold(shop, LineInput("off_cut", start=datetime(2026, 12, 1, 10, 0)))
    assert set(store.orders) == set()


def test_check_in_opens_at_the_start_of_the_local_day_of_the_booking():
    shop = Shop().add(stylist("res_a", "Alex"), haircut())  # Berlin, UTC+1 in December
    order = hold(shop, LineInput("off_cut", start=datetime(2026, 12, 1, 10, 0)))
    order_service.confirm(shop.ctx, order.id)
    with pytest.raises(InvalidInput) as refused:
        order_service.check_in(shop.ctx, order.id)  # a week ahead
    assert refused.value.code == "check_in_not_open"
    assert refused.value.details["opens_at"] == "2026-11-30T23:00Z"
    # Refused and nothing changed: the order can still be moved.
    moved = order_service.reschedule(
        shop.ctx,
        shop.cache,
        order.id,
        [LineInput("off_cut", start=datetime(2026, 12, 1, 11, 0))],
        expected_version=2,
    )
    shop.clock.moment = datetime(2026, 11, 30, 22, 59, tzinfo=UTC)  # 23:59 the evening before
    with pytest.raises(InvalidInput):
        order_service.check_in(shop.ctx, order.id)
    shop.clock.advance(60)  # local midnight of the booking's day
    checked = order_service.check_in(shop.ctx, order.id, expected_version=moved.version)
    assert checked.status is BookingStatus.CHECKED_IN


def test_staff_can_check_a_guest_in_early_when_they_say_so():
    shop = Shop().add(room_type(rooms=1), stay_offering())
    order = hold(shop, LineInput("off_stay", check_in=date(2026, 12, 24)))
    order_service.confirm(shop.ctx, order.id)
    checked = order_service.check_in(shop.ctx, order.id, early=True)
    assert checked.status is BookingStatus.CHECKED_IN
    assert shop.data.orders.events[-1].data["early"] is True


def test_a_cancellation_by_the_business_waives_the_fee_and_says_who_cancelled():
    shop = Shop(tz="Asia/Shanghai", currency="CNY").add(departure(seats=5), day_tour())
    order = hold(shop, LineInput("off_tour", party=2, start=datetime(2026, 12, 5, 8, 0)))
    order_service.confirm(shop.ctx, order.id)
    shop.clock.advance(10 * 24 * 3600 - 30 * 3600)  # 30 hours ahead: the customer's tier is 50 %
    cancelled = order_service.cancel(
        shop.ctx, shop.cache, order.id, reason="typhoon warning", by=CancelledBy.BUSINESS
    )
    assert cancelled.cancellation["fee"] == 0
    assert cancelled.cancellation["cancelled_by"] == "business"
    event = shop.data.orders.events[-1]
    assert event.name == "OrderCancelled"
    assert (event.data["fee"], event.data["cancelled_by"]) == (0, "business")
    assert shop.data.orders.buckets[("res_wall", "X#2026-12-05T00:00Z")] == 0


def test_a_cancellation_by_the_business_needs_a_reason():
    shop = Shop(tz="Asia/Shanghai", currency="CNY").add(departure(seats=5), day_tour())
    order = hold(shop, LineInput("off_tour", party=2, start=datetime(2026, 12, 5, 8, 0)))
    with pytest.raises(InvalidInput) as refused:
        order_service.cancel(shop.ctx, shop.cache, order.id, reason=" ", by=CancelledBy.BUSINESS)
    assert refused.value.code == "reason_required"
    assert shop.data.orders.get(order.id).status is BookingStatus.HELD


@pytest.mark.parametrize("tz", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Berlin"])
def test_the_invariant_reads_the_same_local_days_of_buckets_and_orders(tz):
    """A booking at local 00:00 of the `to` day is outside the window on both sides (its
    first bucket and its order), one that ends at that midnight is inside."""
    around_the_clock = (((0, 24 * 60),),) * 7
    shop = Shop(tz=tz).add(
        stylist("res_a", "Alex", hours=around_the_clock),
        stylist("res_b", "Blair", hours=around_the_clock),
        haircut(),
    )
    at_midnight = hold(shop, LineInput("off_cut", start=datetime(2026, 12, 2, 0, 0)), order_id="m")
    late = LineInput("off_cut", start=datetime(2026, 12, 1, 23, 0), resource_ids={0: "res_b"})
    hold(shop, late, order_id="o")
    assert at_midnight.lines[0].allocations[0].resource_id == "res_a"

    one_day = check_invariant(shop.ctx, date(2026, 12, 1), date(2026, 12, 2))
    assert one_day.ok, one_day.differences
    assert (one_day.orders_counted, one_day.buckets_checked) == (1, 4)  # 23:00 to 23:45
    two_days = check_invariant(shop.ctx, date(2026, 12, 1), date(2026, 12, 3))
    assert two_days.ok, two_days.differences
    assert (two_days.orders_counted, two_days.buckets_checked) == (2, 8)
