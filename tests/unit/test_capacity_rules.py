"""Which sold buckets a (new) resource definition can no longer hold, on ordinary days and on
the days the clocks change; and the meet of two definitions, which allows only what both do."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from chalicelib.catalog.domain.capacity import (
    bucket_range,
    intersect,
    meet,
    same_definition,
    still_ahead,
    violations,
)
from chalicelib.catalog.domain.catalog import Closure, DateOverride, Resource, ResourceKind

BERLIN, NEW_YORK = "Europe/Berlin", "America/New_York"
H = 60
ALL_DAY = ((0, 24 * H),)


def nightly(capacity: int = 3, **kw) -> Resource:
    return Resource(
        id="res_room", name="Double", kind=ResourceKind.NIGHTLY, capacity=capacity, **kw
    )


def timed(capacity: int = 1, hours=((9 * H, 17 * H),), **kw) -> Resource:
    return Resource(
        id="res_anna",
        name="Anna",
        kind=ResourceKind.TIMED,
        capacity=capacity,
        hours=(hours,) * 7,
        slot_minutes=15,
        **kw,
    )


def session(capacity: int = 20, times=(10 * H,), **kw) -> Resource:
    return Resource(
        id="res_tour",
        name="Tour",
        kind=ResourceKind.SESSION,
        capacity=capacity,
        session_times=(times,) * 7,
        **kw,
    )


# -- nightly ---------------------------------------------------------------------------------


def test_nights_sold_within_capacity_are_held():
    assert violations(nightly(3), {"N#2026-12-24": 3, "N#2026-12-25": 1}, BERLIN) == []


def test_a_night_sold_beyond_the_new_capacity_is_named():
    used = {"N#2026-12-24": 3, "N#2026-12-25": 2}
    assert violations(nightly(2), used, BERLIN) == ["N#2026-12-24"]


def test_a_date_override_lowers_capacity_for_that_night_only():
    r = nightly(3, overrides={date(2026, 12, 25): DateOverride(capacity=1)})
    used = {"N#2026-12-24": 3, "N#2026-12-25": 2}
    assert violations(r, used, BERLIN) == ["N#2026-12-25"]


def test_closing_a_night_that_has_guests_is_a_violation_but_an_empty_one_is_not():
    r = nightly(3, closures=(Closure(date(2026, 12, 24), date(2026, 12, 26)),))
    used = {"N#2026-12-23": 1, "N#2026-12-24": 0, "N#2026-12-25": 1, "N#2026-12-27": 2}
    assert violations(r, used, BERLIN) == ["N#2026-12-25"]


def test_a_weekday_night_no_longer_sold_cannot_keep_its_guests():
    # 2026-12-26 is a Saturday; the new definition sells Sunday to Friday nights only.
    r = nightly(3, open_nights=(True,) * 5 + (False, True))
    assert violations(r, {"N#2026-12-25": 1, "N#2026-12-26": 1}, BERLIN) == ["N#2026-12-26"]


def test_a_deactivated_resource_holds_nothing():
    r = replace(nightly(10), active=False)
    assert violations(r, {"N#2026-12-24": 1, "N#2026-12-25": 0}, BERLIN) == ["N#2026-12-24"]


def test_a_bucket_of_another_kind_is_never_held():
    assert violations(nightly(3), {"S#2026-12-24T09:00Z": 1}, BERLIN) == ["S#2026-12-24T09:00Z"]


# -- timed -----------------------------------------------------------------------------------


def test_slots_inside_hours_within_capacity_are_held():
    # 2026-12-01, Berlin is UTC+1: 09:00 local = 08:00Z, the last slot 16:45 local = 15:45Z.
    used = {"S#2026-12-01T08:00Z": 1, "S#2026-12-01T15:45Z": 1}
    assert violations(timed(1), used, BERLIN) == []


def test_a_slot_outside_the_new_hours_is_named():
    r = timed(1, hours=((9 * H, 12 * H),))
    used = {"S#2026-12-01T10:45Z": 1, "S#2026-12-01T11:00Z": 1, "S#2026-12-01T15:00Z": 0}
    assert violations(r, used, BERLIN) == ["S#2026-12-01T11:00Z"]


def test_a_slot_beyond_the_new_capacity_is_named():
    used = {"S#2026-12-01T08:00Z": 2, "S#2026-12-01T08:15Z": 1}
    assert violations(timed(1), used, BERLIN) == ["S#2026-12-01T08:00Z"]


def test_a_day_closed_by_override_cannot_keep_its_slots():
    r = timed(2, overrides={date(2026, 12, 1): DateOverride(closed=True)})
    used = {"S#2026-12-01T08:00Z": 1, "S#2026-12-02T08:00Z": 1}
    assert violations(r, used, BERLIN) == ["S#2026-12-01T08:00Z"]


def test_override_hours_replace_the_weekday_hours_that_day():
    r = timed(1, overrides={date(2026, 12, 1): DateOverride(hours=((13 * H, 15 * H),))})
    used = {"S#2026-12-01T08:00Z": 1, "S#2026-12-01T12:00Z": 1}
    assert violations(r, used, BERLIN) == ["S#2026-12-01T08:00Z"]


def test_berlin_spring_forward_slots_follow_the_wall_clock():
    # 2026-03-29: 02:00 CET jumps to 03:00 CEST. Hours 01:00-04:00 local are 00:00Z-02:00Z.
    r = timed(1, hours=((1 * H, 4 * H),))
    used = {
        "S#2026-03-29T00:00Z": 1,  # 01:00 CET
        "S#2026-03-29T00:45Z": 1,  # 01:45 CET
        "S#2026-03-29T01:00Z": 1,  # 03:00 CEST
        "S#2026-03-29T01:45Z": 1,  # 03:45 CEST
        "S#2026-03-29T02:00Z": 1,  # 04:00 CEST: closed
    }
    assert violations(r, used, BERLIN) == ["S#2026-03-29T02:00Z"]


def test_berlin_hours_that_open_in_the_skipped_hour_open_at_the_first_real_minute():
    r = timed(1, hours=((2 * H + 30, 5 * H),))  # 02:30 does not exist on 2026-03-29
    used = {"S#2026-03-29T00:45Z": 1, "S#2026-03-29T01:00Z": 1}  # 01:45 CET, 03:00 CEST
    assert violations(r, used, BERLIN) == ["S#2026-03-29T00:45Z"]


def test_berlin_fall_back_the_repeated_hour_is_two_sets_of_slots_of_one_local_day():
    # 2026-10-25: 03:00 CEST falls back to 02:00 CET. Local midnight is 22:00Z the day before.
    r = timed(1, hours=((0, 4 * H),))
    used = {
        "S#2026-10-24T21:45Z": 1,  # 23:45 on the 24th: that day's hours (00:00-04:00) end
        "S#2026-10-24T22:00Z": 1,  # 00:00 on the 25th
        "S#2026-10-25T00:30Z": 1,  # 02:30 CEST
        "S#2026-10-25T01:30Z": 1,  # 02:30 CET, the same wall clock again
        "S#2026-10-25T02:45Z": 1,  # 03:45 CET
        "S#2026-10-25T03:00Z": 1,  # 04:00 CET: closed
    }
    assert violations(r, used, BERLIN) == ["S#2026-10-24T21:45Z", "S#2026-10-25T03:00Z"]


def test_new_york_a_late_evening_slot_belongs_to_the_local_date_not_the_utc_one():
    # 2026-10-31 23:30 EDT is 2026-11-01T03:30Z.
    r = timed(1, hours=ALL_DAY, overrides={date(2026, 11, 1): DateOverride(capacity=0)})
    assert violations(r, {"S#2026-11-01T03:30Z": 1}, NEW_YORK) == []
    r = timed(1, hours=ALL_DAY, overrides={date(2026, 10, 31): DateOverride(capacity=0)})
    assert violations(r, {"S#2026-11-01T03:30Z": 1}, NEW_YORK) == ["S#2026-11-01T03:30Z"]


def test_new_york_spring_forward_the_hour_after_the_gap_is_edt():
    # 2026-03-08: 02:00 EST jumps to 03:00 EDT. Hours 03:00-05:00 local are 07:00Z-09:00Z.
    r = timed(1, hours=((3 * H, 5 * H),))
    used = {"S#2026-03-08T06:45Z": 1, "S#2026-03-08T07:00Z": 1, "S#2026-03-08T08:45Z": 1}
    assert violations(r, used, NEW_YORK) == ["S#2026-03-08T06:45Z"]


# -- sessions --------------------------------------------------------------------------------


def test_a_session_that_still_runs_and_fits_is_held():
    # Saturday 2026-12-05 10:00 Berlin = 09:00Z.
    assert violations(session(20), {"X#2026-12-05T09:00Z": 20}, BERLIN) == []


def test_a_moved_session_time_cannot_keep_the_seats_of_the_old_time():
    r = session(20, times=(11 * H,))
    assert violations(r, {"X#2026-12-05T09:00Z": 2, "X#2026-12-05T10:00Z": 2}, BERLIN) == [
        "X#2026-12-05T09:00Z"
    ]


def test_fewer_seats_than_sold_is_a_violation():
    assert violations(session(5), {"X#2026-12-05T09:00Z": 6}, BERLIN) == ["X#2026-12-05T09:00Z"]


def test_a_session_is_matched_by_local_time_across_the_change_of_clocks():
    # 10:00 local is 09:00Z on Saturday 2026-03-28 (CET) and 08:00Z a week later (CEST).
    used = {"X#2026-03-28T09:00Z": 1, "X#2026-04-04T08:00Z": 1, "X#2026-04-04T09:00Z": 1}
    assert violations(session(20), used, BERLIN) == ["X#2026-04-04T09:00Z"]


def test_new_york_an_evening_session_counts_against_the_local_dates_capacity():
    # Saturday 2026-10-31 20:00 EDT = 2026-11-01T00:00Z.
    r = session(20, times=(20 * H,), overrides={date(2026, 10, 31): DateOverride(capacity=3)})
    assert violations(r, {"X#2026-11-01T00:00Z": 4}, NEW_YORK) == ["X#2026-11-01T00:00Z"]
    r = session(20, times=(20 * H,), overrides={date(2026, 11, 1): DateOverride(capacity=3)})
    assert violations(r, {"X#2026-11-01T00:00Z": 4}, NEW_YORK) == []


def test_an_override_can_cancel_one_days_session():
    r = session(20, overrides={date(2026, 12, 5): DateOverride(session_times=())})
    assert violations(r, {"X#2026-12-05T09:00Z": 1}, BERLIN) == ["X#2026-12-05T09:00Z"]


# -- ranges ----------------------------------------------------------------------------------


def test_the_bucket_range_starts_at_the_local_start_of_today():
    assert bucket_range(nightly(), date(2026, 11, 24), BERLIN) == ("N#2026-11-24", "N#9999")
    assert bucket_range(timed(), date(2026, 11, 24), BERLIN) == ("S#2026-11-23T23:00Z", "S#9999")
    assert bucket_range(session(), date(2026, 7, 1), NEW_YORK) == ("X#2026-07-01T04:00Z", "X#9999")


def test_slots_and_sessions_that_are_over_are_left_out_but_tonight_is_kept():
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    used = {"S#2026-12-01T09:45Z": 1, "S#2026-12-01T09:50Z": 1, "S#2026-12-01T10:00Z": 1}
    assert still_ahead(timed(), used, now) == {"S#2026-12-01T09:50Z": 1, "S#2026-12-01T10:00Z": 1}
    assert still_ahead(session(), {"X#2026-12-01T09:00Z": 1}, now) == {}  # ended 10:00Z
    assert still_ahead(nightly(), {"N#2026-12-01": 1}, now) == {"N#2026-12-01": 1}


# -- the meet --------------------------------------------------------------------------------


def test_intersect_keeps_only_the_minutes_both_cover():
    assert intersect(((540, 1020),), ((480, 720), (780, 1200))) == ((540, 720), (780, 1020))
    assert intersect(((540, 600),), ((600, 660),)) == ()


def test_a_pure_lowering_meets_itself():
    old = nightly(5)
    new = nightly(3, overrides={date(2026, 12, 24): DateOverride(closed=True)})
    assert same_definition(meet(old, new), new)


def test_a_mixed_change_meets_at_the_lower_of_each_date():
    old = nightly(5, overrides={date(2026, 12, 24): DateOverride(capacity=2)})
    new = nightly(3, overrides={date(2026, 12, 24): DateOverride(capacity=8)})
    m = meet(old, new)
    assert m.capacity_on(date(2026, 12, 24)) == 2
    assert m.capacity_on(date(2026, 12, 25)) == 3
    assert not same_definition(m, new)


def _random_timed(rng: random.Random) -> Resource:
    def spans():
        start = rng.randrange(0, 20) * H
        return ((start, start + rng.randrange(1, 5) * H),) if rng.random() < 0.8 else ()

    overrides = {
        date(2026, 3, 28 + i): DateOverride(
            closed=rng.random() < 0.2,
            hours=spans() if rng.random() < 0.5 else None,
            capacity=rng.randrange(0, 4) if rng.random() < 0.5 else None,
        )
        for i in range(3)
        if rng.random() < 0.5
    }
    return Resource(
        id="res_x",
        name="X",
        kind=ResourceKind.TIMED,
        capacity=rng.randrange(0, 4),
        hours=tuple(spans() for _ in range(7)),
        slot_minutes=15,
        overrides=overrides,
        closures=(Closure(date(2026, 3, 29), date(2026, 3, 29)),) if rng.random() < 0.2 else (),
        active=rng.random() < 0.9,
    )


@pytest.mark.parametrize("seed", range(40))
def test_whatever_fits_the_meet_fits_both_definitions(seed):
    rng = random.Random(seed)
    old, new = _random_timed(rng), _random_timed(rng)
    m = meet(old, new)
    # Every quarter hour of three days around the spring change, at 0 to 3 units.
    used = {
        f"S#2026-03-{day:02d}T{h:02d}:{q:02d}Z": rng.randrange(0, 4)
        for day in (27, 28, 29, 30)
        for h in range(24)
        for q in (0, 15, 30, 45)
    }
    held_by_meet = set(used) - set(violations(m, used, BERLIN))
    assert held_by_meet.isdisjoint(violations(old, used, BERLIN))
    assert held_by_meet.isdisjoint(violations(new, used, BERLIN))


def test_an_override_that_only_widens_meets_the_old_definition():
    old = timed(1, hours=())
    new = replace(old, overrides={date(2026, 12, 24): DateOverride(hours=((9 * H, 12 * H),))})
    assert same_definition(meet(old, new), old)
    assert not same_definition(meet(old, new), new)


def test_an_override_that_repeats_the_weekly_rule_is_the_same_definition():
    r = timed(1)
    wordy = replace(r, overrides={date(2026, 12, 1): DateOverride(hours=r.hours[1], capacity=1)})
    assert same_definition(r, wordy)
    assert not same_definition(r, replace(wordy, overrides={date(2026, 12, 1): DateOverride(True)}))
