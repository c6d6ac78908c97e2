"""Bookings across the spring and autumn daylight-saving changes, through the services on
the fakes: wall-clock times and real durations are kept, and a time the clocks skip is
never offered nor held. Asia/Shanghai (no DST) on the same dates is the control."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from chalicelib.booking.domain.orders import Channel, Customer
from chalicelib.booking.services.availability import availability
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.catalog.domain.catalog import (
    Offering,
    PriceBasis,
    Pricing,
    Requirement,
    ResourceKind,
    Selector,
)
from chalicelib.kernel.domain.calendar import parse_iso_utc, to_local
from chalicelib.kernel.domain.errors import InvalidInput
from tests.builders import Shop, day_tour, departure, haircut, room_type, stay_offering, stylist

GUEST = Customer(name="Ada", email="ada@example.com")
ALL_DAY = (((0, 1440),),) * 7  # open round the clock, every day


@dataclass(frozen=True)
class Change:
    tz: str
    day: date
    spring: bool  # the clocks go forward (a 23-hour day) or back (25 hours)
    has_dst: bool
    repeated: str | None = None  # autumn: a wall-clock time that happens twice
    first_repeated_utc: str | None = None  # ...and the instant of its first occurrence
    tour_utc: tuple[str, str] = ("", "")  # 08:00 local the day before, and on the day


BERLIN_SPRING = Change(
    "Europe/Berlin", date(2026, 3, 29), True, True, tour_utc=("07:00Z", "06:00Z")
)
BERLIN_AUTUMN = Change(
    "Europe/Berlin",
    date(2026, 10, 25),
    False,
    True,
    repeated="02:30",  # Berlin goes back from 03:00 CEST to 02:00 CET
    first_repeated_utc="2026-10-25T00:30Z",
    tour_utc=("06:00Z", "07:00Z"),
)
NEW_YORK_SPRING = Change(
    "America/New_York", date(2026, 3, 8), True, True, tour_utc=("13:00Z", "12:00Z")
)
NEW_YORK_AUTUMN = Change(
    "America/New_York",
    date(2026, 11, 1),
    False,
    True,
    repeated="01:30",  # New York goes back from 02:00 EDT to 01:00 EST
    first_repeated_utc="2026-11-01T05:30Z",
    tour_utc=("12:00Z", "13:00Z"),
)
SHANGHAI = [
    Change("Asia/Shanghai", d, spring, False, tour_utc=("00:00Z", "00:00Z"))
    for d, spring in (
        (date(2026, 3, 29), True),
        (date(2026, 3, 8), True),
        (date(2026, 10, 25), False),
        (date(2026, 11, 1), False),
    )
]
CHANGES = [BERLIN_SPRING, BERLIN_AUTUMN, NEW_YORK_SPRING, NEW_YORK_AUTUMN, *SHANGHAI]
SPRING_DAYS = [c for c in CHANGES if c.spring]


def _id(change: Change) -> str:
    return f"{change.tz}-{change.day}"


def shop_in(change: Change) -> Shop:
    # Early in the year, so every change day of 2026 is bookable.
    return Shop(tz=change.tz, now="2026-01-10T09:00:00.000000Z")


def salon(change: Change, offering: Offering | None = None) -> Shop:
    cut = offering or haircut(duration_minutes=60, buffer_after=0)
    return shop_in(change).add(stylist("res_a", "Alex", hours=ALL_DAY), cut)


def hold(shop: Shop, line: LineInput, order_id: str = "ord_1"):
    return hold_order(
        shop.ctx, shop.cache, HoldInput(GUEST, [line], Channel.API), order_id=order_id
    )


def at(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, datetime.strptime(hhmm, "%H:%M").time())


def local(iso_utc: str, tz: str) -> datetime:
    return to_local(parse_iso_utc(iso_utc), tz)


@pytest.mark.parametrize("change", SPRING_DAYS, ids=_id)
def test_the_skipped_hour_is_never_offered(change):
    shop = salon(change)
    _, plans = availability(
        shop.ctx,
        shop.cache,
        offering_id="off_cut",
        first=change.day,
        last_exclusive=change.day + timedelta(days=1),
        party=1,
    )
    offered = [to_local(p.start, change.tz).strftime("%H:%M") for p in plans]
    # Open all day every day: an hour from 23:15 runs on into the next day's hours.
    every_quarter = [f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 24 * 60, 15)]
    if change.has_dst:
        assert [t for t in offered if t.startswith("02:")] == []
        assert offered == [t for t in every_quarter if not t.startswith("02:")]
    else:
        assert "02:30" in offered and offered == every_quarter
    assert len(set(p.start for p in plans)) == len(plans)  # one instant per offered time


@pytest.mark.parametrize("change", SPRING_DAYS, ids=_id)
def test_a_hold_at_the_skipped_0230_is_refused_as_nonexistent(change):
    shop = salon(change)
    if not change.has_dst:
        assert hold(shop, LineInput("off_cut", start=at(change.day, "02:30"))).lines
        return
    with pytest.raises(InvalidInput) as refused:  # 422: invalid input, not a time taken
        hold(shop, LineInput("off_cut", start=at(change.day, "02:30")))
    assert refused.value.code == "nonexistent_time"
    assert shop.data.orders.buckets == {} and shop.data.orders.orders == {}


@pytest.mark.parametrize("change", SPRING_DAYS, ids=_id)
def test_a_0130_hold_keeps_its_wall_clock_and_lasts_sixty_real_minutes(change):
    shop = salon(change)
    line = hold(shop, LineInput("off_cut", start=at(change.day, "01:30"))).lines[0]
    assert line.local_start.startswith(f"{change.day}T01:30")
    assert line.local_date == change.day.isoformat()
    start, end = parse_iso_utc(line.start), parse_iso_utc(line.end)
    assert end - start == timedelta(minutes=60)
    # The clock jumped from 02:00 to 03:00 during the appointment.
    assert local(line.end, change.tz).strftime("%H:%M") == ("03:30" if change.has_dst else "02:30")
    assert len(line.takes) == 4  # four real quarter hours, however the wall clock moved


@pytest.mark.parametrize("change", [BERLIN_AUTUMN, NEW_YORK_AUTUMN], ids=_id)
def test_the_repeated_autumn_time_is_held_at_its_first_occurrence(change):
    shop = salon(change)
    line = hold(shop, LineInput("off_cut", start=at(change.day, change.repeated))).lines[0]
    assert line.start == change.first_repeated_utc
    assert line.local_start.startswith(f"{change.day}T{change.repeated}")
    start, end = parse_iso_utc(line.start), parse_iso_utc(line.end)
    assert end - start == timedelta(minutes=60)
    # An hour later the wall clock shows the same time again: the hour was repeated.
    assert local(line.end, change.tz).strftime("%H:%M") == change.repeated
    assert to_local(start, change.tz).utcoffset() - to_local(end, change.tz).utcoffset() == (
        timedelta(hours=1)
    )


@pytest.mark.parametrize("change", CHANGES, ids=_id)
def test_a_three_night_stay_across_the_change_keeps_its_local_nights(change):
    shop = shop_in(change).add(room_type(rooms=1), stay_offering())
    check_in = change.day - timedelta(days=1)
    order = hold(shop, LineInput("off_stay", check_in=check_in, nights=3))
    line = order.lines[0]
    expected = [f"N#{check_in + timedelta(days=n)}" for n in range(3)]
    assert [t.bucket.key for t in order.takes] == expected
    assert line.nights == 3 and line.local_date == check_in.isoformat()
    assert order.total == 36000
    start, end = local(line.start, change.tz), local(line.end, change.tz)
    assert (start.date(), start.strftime("%H:%M")) == (check_in, "00:00")
    assert (end.date(), end.strftime("%H:%M")) == (check_in + timedelta(days=3), "00:00")
    hours = (parse_iso_utc(line.end) - parse_iso_utc(line.start)) / timedelta(hours=1)
    assert hours == 72 + (0 if not change.has_dst else (-1 if change.spring else 1))


@pytest.mark.parametrize("change", CHANGES, ids=_id)
def test_an_0800_departure_stays_at_0800_local_and_its_key_moves_in_utc(change):
    shop = shop_in(change).add(departure(seats=10), day_tour())
    before, on_the_day = change.tour_utc
    cases = ((change.day - timedelta(days=1), before), (change.day, on_the_day))
    for n, (day, utc) in enumerate(cases):
        order = hold(shop, LineInput("off_tour", party=2, start=at(day, "08:00")), f"ord_{n}")
        line = order.lines[0]
        assert line.local_start.startswith(f"{day}T08:00")
        assert [t.bucket.key for t in order.takes] == [f"X#{day}T{utc}"]
        assert parse_iso_utc(line.end) - parse_iso_utc(line.start) == timedelta(hours=8)


def _hourly() -> Offering:
    return Offering(
        id="off_hourly",
        name="Studio hire",
        kind=ResourceKind.TIMED,
        requirements=(Requirement(Selector(skill="cut")),),
        pricing=Pricing(amount=3000, basis=PriceBasis.HOUR),
        duration_minutes=90,
    )


@pytest.mark.parametrize(
    "change, start, wall_end",
    [
        (BERLIN_SPRING, "01:30", "04:00"),  # 150 minutes on the wall clock, 90 real
        (NEW_YORK_SPRING, "01:30", "04:00"),
        (BERLIN_AUTUMN, "02:00", "02:30"),  # 30 minutes on the wall clock, 90 real
        (NEW_YORK_AUTUMN, "01:00", "01:30"),
        (SHANGHAI[0], "01:30", "03:00"),
    ],
    ids=lambda v: _id(v) if isinstance(v, Change) else v,
)
def test_pricing_per_hour_counts_real_minutes_across_the_change(change, start, wall_end):
    shop = salon(change, _hourly())
    line = hold(shop, LineInput("off_hourly", start=at(change.day, start))).lines[0]
    assert local(line.end, change.tz).strftime("%H:%M") == wall_end
    assert parse_iso_utc(line.end) - parse_iso_utc(line.start) == timedelta(minutes=90)
    assert line.price_items == ((change.day.isoformat(), 3000, 2),)  # two started hours
    assert line.total == 6000


@pytest.mark.parametrize("change", [c for c in CHANGES if not c.spring], ids=_id)
def test_the_long_autumn_day_offers_each_wall_clock_time_once(change):
    shop = salon(change)
    _, plans = availability(
        shop.ctx,
        shop.cache,
        offering_id="off_cut",
        first=change.day,
        last_exclusive=change.day + timedelta(days=1),
        party=1,
    )
    offered = [to_local(p.start, change.tz).strftime("%H:%M") for p in plans]
    assert offered == [f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 24 * 60, 15)]
    if change.repeated:
        first = [
            p for p in plans if to_local(p.start, change.tz).strftime("%H:%M") == change.repeated
        ]
        assert [p.start.strftime("%Y-%m-%dT%H:%MZ") for p in first] == [change.first_repeated_utc]


def test_open_spans_join_where_they_touch_and_run_on_past_midnight():
    from chalicelib.catalog.domain.open_hours import open_spans

    late, early, split = ((1080, 1440),), ((0, 120), (120, 180)), ((720, 900), (900, 1080))
    bar = stylist("res_t", "Table", hours=(late, early, split, late, (), (), ()))
    monday = date(2026, 12, 7)
    assert open_spans(bar, monday) == ((1080, 1440 + 180),)  # Tuesday's two joined, then on
    assert open_spans(bar, monday + timedelta(days=1)) == ((0, 180),)
    assert open_spans(bar, monday + timedelta(days=2)) == ((720, 1080),)
    assert open_spans(bar, monday + timedelta(days=3)) == ((1080, 1440),)  # Friday is closed
