"""Wall clock <-> UTC instants across daylight-saving changes, and the UTC slot grid."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.catalog.domain.catalog import SLOT_MINUTES
from chalicelib.kernel.domain.calendar import (
    MINUTES_PER_DAY,
    day_bounds,
    floor_to_grid,
    grid,
    grid_fits_zone,
    hhmm,
    local_instant,
    minutes_of,
    to_local,
)

BERLIN, NEW_YORK, SHANGHAI = "Europe/Berlin", "America/New_York", "Asia/Shanghai"
ZONES = (BERLIN, NEW_YORK, SHANGHAI, "Asia/Kolkata", "Asia/Kathmandu", "UTC")
SPRING = {BERLIN: date(2026, 3, 29), NEW_YORK: date(2026, 3, 8)}
# The days drawn run into 2027, whose spring days have the same gap.
SPRING_2027 = {BERLIN: date(2027, 3, 28), NEW_YORK: date(2027, 3, 14)}
AUTUMN = {BERLIN: date(2026, 10, 25), NEW_YORK: date(2026, 11, 1)}
GAP = range(2 * 60, 3 * 60)  # 02:00-02:59 is skipped in both zones on the spring day
# The hour that happens twice: Berlin goes 03:00 CEST -> 02:00 CET, New York 02:00 EDT -> 01:00 EST.
REPEATED = {BERLIN: range(2 * 60, 3 * 60), NEW_YORK: range(60, 2 * 60)}

days_2026_2027 = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))
minutes = st.integers(min_value=0, max_value=MINUTES_PER_DAY - 1)
instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
)


def _is_gap(tz: str, day: date, minute: int) -> bool:
    return day in (SPRING.get(tz), SPRING_2027.get(tz)) and minute in GAP


@given(st.sampled_from(ZONES), days_2026_2027, minutes)
def test_an_existing_local_time_round_trips_through_its_instant(tz, day, minute):
    instant = local_instant(day, minute, tz)
    if _is_gap(tz, day, minute):
        assert instant is None
        return
    assert instant is not None and instant.tzinfo is UTC
    local = to_local(instant, tz)
    assert (local.date(), local.hour * 60 + local.minute) == (day, minute)


@pytest.mark.parametrize("day_of", [SPRING, SPRING_2027])
@pytest.mark.parametrize("tz", [BERLIN, NEW_YORK])
def test_every_minute_of_the_spring_gap_and_only_it_does_not_exist(tz, day_of):
    day = day_of[tz]
    missing = [m for m in range(MINUTES_PER_DAY) if local_instant(day, m, tz) is None]
    assert missing == list(GAP)


@given(days_2026_2027, minutes)
def test_shanghai_has_no_gap(day, minute):
    assert local_instant(day, minute, SHANGHAI) is not None


@pytest.mark.parametrize("tz", [BERLIN, NEW_YORK])
def test_the_repeated_autumn_hour_maps_to_its_first_occurrence(tz):
    day = AUTUMN[tz]
    for minute in REPEATED[tz]:
        instant = local_instant(day, minute, tz)
        later = instant + timedelta(hours=1)
        # The same wall clock an hour later: the second occurrence, which is never returned.
        assert to_local(later, tz).strftime("%H:%M") == hhmm(minute)
        assert to_local(instant, tz).fold == 0 and to_local(later, tz).fold == 1
        assert to_local(instant, tz).utcoffset() > to_local(later, tz).utcoffset()


def test_berlin_autumn_0230_is_the_summer_time_one():
    assert local_instant(AUTUMN[BERLIN], 150, BERLIN) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert local_instant(AUTUMN[NEW_YORK], 90, NEW_YORK) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "tz, day, hours",
    [
        (BERLIN, SPRING[BERLIN], 23),
        (BERLIN, AUTUMN[BERLIN], 25),
        (BERLIN, date(2026, 3, 28), 24),
        (NEW_YORK, SPRING[NEW_YORK], 23),
        (NEW_YORK, AUTUMN[NEW_YORK], 25),
        (NEW_YORK, date(2026, 11, 2), 24),
        (SHANGHAI, SPRING[BERLIN], 24),
        (SHANGHAI, AUTUMN[NEW_YORK], 24),
    ],
)
def test_a_local_day_lasts_23_24_or_25_hours(tz, day, hours):
    start, end = day_bounds(day, tz)
    assert end - start == timedelta(hours=hours)
    assert to_local(start, tz).time().isoformat() == "00:00:00"
    assert to_local(end, tz).date() == day + timedelta(days=1)


@given(st.sampled_from(ZONES), days_2026_2027)
def test_consecutive_days_share_their_bounds(tz, day):
    assert day_bounds(day, tz)[1] == day_bounds(day + timedelta(days=1), tz)[0]


# An empty interval is not generated: no booking occupies [t, t) of a timed resource, and
# grid() then returns the slot containing t (sessions key on their start, not on the grid).
@given(instants, st.integers(min_value=1, max_value=3 * 24 * 60), st.sampled_from(SLOT_MINUTES))
def test_the_grid_covers_start_to_end_exactly_with_aligned_steps(start, length, slot):
    start = start.replace(second=0, microsecond=0)
    end = start + timedelta(minutes=length)
    points = grid(start, end, slot)
    step = timedelta(minutes=slot)
    assert points[0] <= start < points[0] + step  # the first slot contains the start
    assert points[-1] < end <= points[-1] + step  # the last slot contains the last minute
    assert all(b - a == step for a, b in zip(points, points[1:], strict=False))
    assert all(int(p.timestamp()) % (slot * 60) == 0 for p in points)


@given(instants, st.sampled_from(SLOT_MINUTES))
def test_floor_to_grid_is_idempotent_and_never_later(instant, slot):
    once = floor_to_grid(instant, slot)
    assert floor_to_grid(once, slot) == once
    assert once <= instant < once + timedelta(minutes=slot)


@given(st.integers(min_value=0, max_value=MINUTES_PER_DAY))
def test_minutes_and_hhmm_round_trip(value):
    assert minutes_of(hhmm(value)) == value


@pytest.mark.parametrize("text", ["24:01", "25:00", "9:30", "09:60", "0930", "-1:00", "09:5"])
def test_malformed_times_are_refused(text):
    with pytest.raises(ValueError):
        minutes_of(text)


@pytest.mark.parametrize(
    "tz, fits",
    [
        ("Asia/Kolkata", {5: True, 10: True, 15: True, 30: True, 60: False}),
        ("Asia/Kathmandu", {5: True, 15: True, 30: False, 60: False}),
        (BERLIN, dict.fromkeys(SLOT_MINUTES, True)),
        (NEW_YORK, dict.fromkeys(SLOT_MINUTES, True)),
        (SHANGHAI, dict.fromkeys(SLOT_MINUTES, True)),
        ("America/St_Johns", {30: True, 60: False}),  # -3:30 / -2:30
    ],
)
def test_the_slot_grid_fits_a_zone_only_when_every_offset_is_a_multiple(tz, fits):
    for slot, expected in fits.items():
        assert grid_fits_zone(slot, tz, date(2026, 6, 1)) is expected, slot
