"""Coalescing partner updates: windows, marks, and what each update says (no I/O)."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.catalog.domain.catalog import (
    Adjustment,
    Closure,
    DateOverride,
    PriceBasis,
    Pricing,
    Resource,
    ResourceKind,
    Season,
)
from chalicelib.catalog.domain.inventory import BucketRef, Take
from chalicelib.channels.domain import availability_push as doc
from chalicelib.channels.domain.outbound import (
    STALE_MARK_SECONDS,
    WINDOW_SECONDS,
    MarkResult,
    Marks,
    clip,
    drain_delay,
    marks_of_takes,
    needs_message,
    window_delivery_id,
    window_of,
)
from chalicelib.channels.services.outbound_marks import mark_one
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.queues import CHANNEL_UPDATES
from tests.builders import Shop, departure, room_type, stylist
from tests.fakes import FakeBus

OPENED = "2026-12-01T05:00:00.000000Z"
MARKS = Marks(frozenset({"res_double"}), date(2026, 12, 24), date(2026, 12, 26))


def test_a_window_is_a_fixed_slice_of_time_and_its_message_waits_for_its_end() -> None:
    start = window_of("2026-12-01T05:00:00.000000Z")
    assert window_of("2026-12-01T05:00:29.999000Z") == start
    assert window_of("2026-12-01T05:00:30.000000Z") == start + 1
    # Opened 7 s into the window: its end is 23 s away, and 5 s of settling after it.
    assert drain_delay(start, "2026-12-01T05:00:07.000000Z") == WINDOW_SECONDS - 7 + 5
    assert window_delivery_id(start) < window_delivery_id(start + 1)  # ids sort by time


def test_only_the_mark_that_opens_a_window_queues_its_message() -> None:
    opened = MarkResult(
        window=1, opened=True, scheduled=False, opened_at="2026-12-01T05:00:00.000000Z"
    )
    later = MarkResult(
        window=1, opened=False, scheduled=True, opened_at="2026-12-01T05:00:00.000000Z"
    )
    assert needs_message(opened, "2026-12-01T05:00:00.000000Z")
    assert not needs_message(later, "2026-12-01T05:00:20.000000Z")


def test_a_window_whose_opener_died_before_queuing_is_queued_by_a_later_mark() -> None:
    orphan = MarkResult(
        window=1, opened=False, scheduled=False, opened_at="2026-12-01T05:00:00.000000Z"
    )
    # Its opener may be queuing it now.
    assert not needs_message(orphan, "2026-12-01T05:00:03.000000Z")
    assert needs_message(orphan, f"2026-12-01T05:00:{STALE_MARK_SECONDS:02d}.000000Z")


def test_marks_name_the_local_dates_of_the_buckets_in_the_tenants_zone() -> None:
    takes = [
        Take(BucketRef("res_double", "N#2026-12-24"), 1, 4),
        Take(BucketRef("res_double", "N#2026-12-25"), 1, 4),
        # 17:00 UTC on the 24th is 01:00 on the 25th in Shanghai; shard 2 of that session.
        Take(BucketRef("res_wall", "X#2026-12-24T17:00Z#2"), 2, 10),
    ]
    marks = marks_of_takes(takes, "Asia/Shanghai")
    assert marks == Marks(
        frozenset({"res_double", "res_wall"}), date(2026, 12, 24), date(2026, 12, 25)
    )
    assert marks_of_takes([], "Asia/Shanghai") is None


def test_dates_beyond_the_horizon_or_past_are_not_sent() -> None:
    today = date(2026, 12, 1)
    assert clip(date(2026, 11, 20), date(2026, 12, 3), ResourceKind.NIGHTLY, today) == (
        today,
        date(2026, 12, 3),
    )
    assert clip(date(2026, 11, 1), date(2026, 11, 30), ResourceKind.NIGHTLY, today) is None
    assert clip(today, date(2027, 12, 31), ResourceKind.TIMED, today) == (today, date(2027, 1, 1))


# -- coalescing through the store (the fake keeps the adapter's conditions) ------------------


def marker() -> tuple[Shop, FakeBus]:
    return Shop(now="2026-12-01T05:00:01.000000Z"), FakeBus()


def test_a_burst_of_marks_in_one_window_queues_one_message() -> None:
    shop, bus = marker()
    for n in range(1000):
        shop.clock.moment = parse(f"2026-12-01T05:00:{1 + n * 25 // 1000:02d}.000000Z")
        day = date(2026, 12, 1 + n % 28)
        mark_one(shop.ctx, bus, "chn_a", Marks(frozenset({"res_double"}), day, day))
    sent = bus.take(CHANNEL_UPDATES.name)
    assert len(sent) == 1
    assert sent[0]["kind"] == "window" and sent[0]["connection_id"] == "chn_a"
    window = shop.data.channel_outbound.drain("chn_a", sent[0]["window"], now=shop.clock())
    assert window is not None
    assert window.resources == {"res_double"}
    assert (window.first, window.last) == (date(2026, 12, 1), date(2026, 12, 28))


def test_each_connection_has_its_own_window() -> None:
    shop, bus = marker()
    for connection in ("chn_a", "chn_b", "chn_a", "chn_b"):
        mark_one(shop.ctx, bus, connection, MARKS)
    assert sorted(m["connection_id"] for m in bus.take(CHANNEL_UPDATES.name)) == ["chn_a", "chn_b"]


def test_the_same_mark_again_changes_nothing() -> None:
    shop, bus = marker()
    mark_one(shop.ctx, bus, "chn_a", MARKS)
    before = {k: dict(v) for k, v in shop.data.channel_outbound.windows.items()}
    mark_one(shop.ctx, bus, "chn_a", MARKS)  # an event delivered again
    assert shop.data.channel_outbound.windows == before
    assert len(bus.take(CHANNEL_UPDATES.name)) == 1


def test_a_mark_after_the_drain_opens_the_next_window_with_its_own_message() -> None:
    shop, bus = marker()
    first = mark_one(shop.ctx, bus, "chn_a", MARKS)
    shop.data.channel_outbound.drain("chn_a", first, now=shop.clock())
    # A process whose clock is behind still names the drained window: the next one takes it.
    later = mark_one(shop.ctx, bus, "chn_a", MARKS)
    assert later == first + 1
    messages = bus.take(CHANNEL_UPDATES.name)
    assert [m["window"] for m in messages] == [first, first + 1]


# -- the update's availability and rates -----------------------------------------------------


def test_nights_say_what_is_free_and_which_are_closed() -> None:
    rooms = room_type(
        rooms=4,
        closures=(Closure(date(2026, 12, 26), date(2026, 12, 26), "works"),),
        overrides={date(2026, 12, 25): DateOverride(capacity=2)},
    )
    used = {"N#2026-12-24": 3, "N#2026-12-25": 1}
    entries = doc.availability(rooms, used, date(2026, 12, 24), date(2026, 12, 26), "Europe/Berlin")
    assert entries == [
        {"date": "2026-12-24", "available": 1, "capacity": 4, "closed": False},
        {"date": "2026-12-25", "available": 1, "capacity": 2, "closed": False},
        {"date": "2026-12-26", "available": 0, "capacity": 0, "closed": True},
    ]


def test_a_sharded_session_is_one_entry_with_its_shards_added_up() -> None:
    tour = departure(seats=10, times=(8 * 60,), shards=3)
    # 08:00 in Shanghai is 00:00 UTC.
    used = {"X#2026-12-24T00:00Z": 2, "X#2026-12-24T00:00Z#1": 3, "X#2026-12-24T00:00Z#2": 1}
    entries = doc.availability(tour, used, date(2026, 12, 24), date(2026, 12, 24), "Asia/Shanghai")
    assert entries == [
        {"date": "2026-12-24", "start": "08:00", "available": 4, "capacity": 10, "closed": False}
    ]


def test_slots_on_the_spring_forward_day_are_the_hours_that_exist() -> None:
    # Berlin, 29 March 2026: 02:00 becomes 03:00. Hours 01:00-04:00 hold two hours of slots.
    night_owl = stylist("res_owl", "Owl", hours=(((60, 240),),) * 7)
    owl = Resource(**{**night_owl.__dict__, "slot_minutes": 60})
    entries = doc.availability(owl, {}, date(2026, 3, 29), date(2026, 3, 29), "Europe/Berlin")
    assert [e["start"] for e in entries] == ["01:00", "03:00"]
    autumn = doc.availability(owl, {}, date(2026, 10, 25), date(2026, 10, 25), "Europe/Berlin")
    assert [e["start"] for e in autumn] == ["01:00", "02:00", "02:00", "03:00"]  # 02:00 twice


def test_rates_follow_the_offerings_seasons_per_date() -> None:
    from tests.builders import stay_offering

    offering = stay_offering(amount=10000)
    winter = Season(date(2026, 12, 24), date(2026, 12, 26), Adjustment(percent_bp=5000))
    priced = offering.__class__(
        **{**offering.__dict__, "pricing": Pricing(10000, PriceBasis.NIGHT, seasons=(winter,))}
    )
    out = doc.rates(priced, date(2026, 12, 23), date(2026, 12, 24))
    assert out["basis"] == "night"
    assert out["rates"] == [
        {"date": "2026-12-23", "amount": 10000},
        {"date": "2026-12-24", "amount": 15000},
    ]


@pytest.mark.parametrize("closed", [True, False])
def test_resources_serving_one_mapping_are_added_up(closed: bool) -> None:
    a = [{"date": "2026-12-24", "available": 1, "capacity": 2, "closed": False}]
    b = [{"date": "2026-12-24", "available": 0, "capacity": 0, "closed": closed}]
    assert doc.add_up([a, b]) == [
        {"date": "2026-12-24", "available": 1, "capacity": 2, "closed": False}
    ]
