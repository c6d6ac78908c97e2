"""Slots, nights and buffers as properties: which buckets a booking takes, and that planning
on the units already used never oversells."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from hypothesis import assume, example, given
from hypothesis import strategies as st

from chalicelib.booking.domain.placement import LineRequest, plan_line
from chalicelib.booking.domain.start_times import candidate_starts
from chalicelib.catalog.domain.catalog import (
    SLOT_MINUTES,
    Offering,
    PriceBasis,
    Pricing,
    Requirement,
    Resource,
    ResourceKind,
    Selector,
    UnitsPer,
)
from chalicelib.catalog.domain.inventory import (
    BucketRef,
    Take,
    merge,
    net,
    nights,
    occupied_keys,
    slot_key,
)
from chalicelib.kernel.domain.calendar import floor_to_grid, local_instant, parse_iso_utc
from chalicelib.kernel.domain.errors import InvalidInput, SlotUnavailable
from tests.builders import departure, room_type, stay_offering

TZ = "Europe/Berlin"  # whole-hour offsets: every slot size of SLOT_MINUTES fits its grid
NOW = datetime(2026, 1, 1, tzinfo=UTC)
FIRST_DAY = date(2026, 1, 5)

slots = st.sampled_from(SLOT_MINUTES)
buffers = st.integers(min_value=0, max_value=240)
durations = st.integers(min_value=5, max_value=600)
booking_days = st.dates(min_value=FIRST_DAY, max_value=date(2026, 12, 20))


def timed(slot: int, hours=((0, 1440),) * 7, capacity: int = 1, rid: str = "res_t") -> Resource:
    return Resource(
        id=rid,
        name=rid,
        kind=ResourceKind.TIMED,
        capacity=capacity,
        skills=frozenset({"x"}),
        hours=hours,
        slot_minutes=slot,
    )


def service(duration: int, before: int = 0, after: int = 0, **kw) -> Offering:
    return Offering(
        id="off_x",
        name="Service",
        kind=ResourceKind.TIMED,
        requirements=kw.pop("requirements", (Requirement(Selector(skill="x")),)),
        pricing=Pricing(amount=1000, basis=PriceBasis.BOOKING),
        duration_minutes=duration,
        buffer_before=before,
        buffer_after=after,
        party_max=1000,
        **kw,
    )


def _slot_of(key: str) -> datetime:
    return parse_iso_utc(key[2:])


# -- bucket keys -------------------------------------------------------------------------------


@given(slots, st.integers(min_value=0, max_value=10_000), durations, buffers, buffers)
def test_an_aligned_booking_occupies_ceil_of_its_length_in_slots(slot, n, duration, before, after):
    start = datetime(2026, 6, 1, tzinfo=UTC) + timedelta(minutes=slot * n)
    window_start = start - timedelta(minutes=before)
    assume(floor_to_grid(window_start, slot) == window_start)
    end = start + timedelta(minutes=duration + after)
    keys = occupied_keys(timed(slot), window_start, end)
    assert len(keys) == -(-(duration + before + after) // slot)
    assert len(set(keys)) == len(keys) == len(sorted(keys))


@given(slots, st.integers(min_value=0, max_value=100_000), st.integers(min_value=1, max_value=900))
def test_an_unaligned_booking_occupies_every_slot_it_touches_and_no_other(slot, offset, length):
    start = datetime(2026, 6, 1, tzinfo=UTC) + timedelta(minutes=offset)
    end = start + timedelta(minutes=length)
    slot_starts = [_slot_of(k) for k in occupied_keys(timed(slot), start, end)]
    step = timedelta(minutes=slot)
    # Every slot overlaps [start, end), and together they leave no minute of it out.
    assert all(s < end and start < s + step for s in slot_starts)
    assert slot_starts[0] <= start and slot_starts[-1] + step >= end
    assert len(slot_starts) == (slot_starts[-1] - slot_starts[0]) // step + 1


@given(booking_days, st.integers(min_value=1, max_value=30))
def test_a_stay_has_one_night_per_consecutive_date(check_in, count):
    stay = nights(check_in, count)
    assert len(stay) == count and stay[0] == check_in
    assert all(b - a == timedelta(days=1) for a, b in zip(stay, stay[1:], strict=False))


# -- merging and netting -------------------------------------------------------------------------

bucket_refs = st.builds(
    BucketRef, st.sampled_from(["res_a", "res_b"]), st.sampled_from(["N#1", "N#2", "N#3", "S#4"])
)
takes = st.lists(
    st.builds(Take, bucket_refs, st.integers(min_value=1, max_value=9), st.just(1000)), max_size=12
)


def _totals(items) -> Counter:
    out: Counter = Counter()
    for t in items:
        out[t.bucket] += t.units
    return out


@given(takes)
def test_merge_keeps_the_total_of_every_bucket_in_one_take_each(items):
    merged = merge(items)
    assert _totals(merged) == _totals(items)
    assert len({t.bucket for t in merged}) == len(merged)


@given(takes, takes, st.dictionaries(bucket_refs, st.integers(min_value=0, max_value=200)))
def test_net_applied_at_once_equals_taking_then_releasing(take, release, start):
    # The buckets hold at least what is released, as they would in the store.
    start = Counter(start) + _totals(release)
    step_by_step = Counter(start)
    step_by_step.update(_totals(take))
    step_by_step.subtract(_totals(release))
    out_take, out_release = net(take, release)
    at_once = Counter(start)
    at_once.update(_totals(out_take))
    at_once.subtract(_totals(out_release))
    assert +at_once == +step_by_step and all(v >= 0 for v in at_once.values())
    touched = [t.bucket for t in out_take] + [t.bucket for t in out_release]
    assert len(touched) == len(set(touched))  # one write per bucket
    assert all(t.units > 0 for t in out_take + out_release)


# -- planning a timed booking ---------------------------------------------------------------------


@st.composite
def timed_cases(draw):
    """Random hours, slot, duration, buffers and start; half of them fit the hours, on the
    offering's grid of starts (every 15 minutes from the opening plus the buffer before)."""
    slot, duration = draw(slots), draw(durations)
    before, after = draw(buffers), draw(buffers)
    need = before + duration + after
    if need <= 1440 and draw(st.booleans()):
        opens = draw(st.integers(min_value=0, max_value=1440 - need))
        closes = draw(st.integers(min_value=opens + need, max_value=1440))
        steps = (closes - duration - after - opens - before) // 15
        minute = opens + before + 15 * draw(st.integers(min_value=0, max_value=steps))
    else:
        opens = draw(st.integers(min_value=0, max_value=1380))
        closes = draw(st.integers(min_value=opens + 5, max_value=1440))
        minute = draw(st.integers(min_value=0, max_value=1439))
    day = draw(booking_days)
    return slot, (opens, closes), duration, before, after, day, minute


def hours_edge(day, minute):
    """An edge of the working hours as an instant; one in a spring-forward gap (closing at
    02:00 on the day 02:00 does not exist) moves to the first real minute after, as the
    planner moves it."""
    for step in range(181):
        instant = local_instant(day, minute + step, TZ)
        if instant is not None:
            return instant
    raise AssertionError("no real local time within three hours")


@example((5, (0, 120), 5, 0, 116, date(2026, 3, 29), 0))  # closes in the gap of 02:00
@example((15, (60, 600), 30, 0, 0, date(2026, 3, 29), 120))  # starts at 02:00, skipped that day
@given(timed_cases())
def test_a_timed_plan_stays_within_hours_and_takes_its_buffer_slots(case):
    slot, (opens, closes), duration, before, after, day, minute = case
    resource = timed(slot, hours=(((opens, closes),),) * 7)
    offering = service(duration, before, after)
    start_local = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)
    try:
        placement = plan_line(
            LineRequest(offering, 1, start_local=start_local), [[resource]], {}, tz=TZ, now=NOW
        )
    except InvalidInput as exc:
        if exc.code == "nonexistent_time":  # a wall time the spring change skips
            assert local_instant(day, minute, TZ) is None
            return
        # Off the grid availability lists: refused whether or not it would fit the hours.
        assert exc.code == "not_a_start_time"
        assert minute not in candidate_starts(offering, [resource], day)
        return
    except SlotUnavailable:
        start = local_instant(day, minute, TZ)
        if start is None:
            return
        # Refused only when the booking with its buffers does not fit the hours.
        assert not (
            hours_edge(day, opens) <= start - timedelta(minutes=before)
            and start + timedelta(minutes=duration + after) <= hours_edge(day, closes)
        )
        return
    open_at, close_at = hours_edge(day, opens), hours_edge(day, closes)
    window_start = placement.start - timedelta(minutes=before)
    window_end = placement.end + timedelta(minutes=after)
    assert open_at <= window_start and window_end <= close_at
    assert placement.end - placement.start == timedelta(minutes=duration)
    keys = [t.bucket.key for t in placement.choices[0].takes]
    step = timedelta(minutes=slot)
    # No slot lies wholly outside the working hours...
    assert all(open_at < _slot_of(k) + step and _slot_of(k) < close_at for k in keys)
    # ...and the buffers' slots are taken: the first and the last minute of the whole window.
    assert slot_key(floor_to_grid(window_start, slot)) == keys[0]
    assert slot_key(floor_to_grid(window_end - timedelta(minutes=1), slot)) == keys[-1]
    assert keys == occupied_keys(resource, window_start, window_end)


@example((60, (0, 600), 60, 0, 0, date(2026, 3, 29), 120))  # 02:00, skipped that day
@example((30, (0, 1440), 30, 0, 15, date(2026, 1, 5), 1410))  # 23:30, its buffer past 24:00
@given(timed_cases())
def test_with_hours_on_the_grid_every_slot_taken_is_inside_the_hours(case):
    slot, (opens, closes), duration, before, after, day, minute = case
    opens, closes = opens // slot * slot, -(-closes // slot) * slot
    minute = minute // slot * slot
    assume(opens < closes <= 1440)
    resource = timed(slot, hours=(((opens, closes),),) * 7)
    offering = service(duration, before // slot * slot, after, interval_minutes=slot)
    start_local = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)
    try:
        placement = plan_line(
            LineRequest(offering, 1, start_local=start_local), [[resource]], {}, tz=TZ, now=NOW
        )
    except InvalidInput as exc:  # before the opening (and its buffer) or too late to fit
        if exc.code == "nonexistent_time":  # a wall time the spring change skips
            assert local_instant(day, minute, TZ) is None
            return
        assert exc.code == "not_a_start_time"
        assert minute not in candidate_starts(offering, [resource], day)
        return
    except SlotUnavailable:
        return
    open_at, close_at = hours_edge(day, opens), hours_edge(day, closes)
    if (opens, closes) == (0, 1440):  # open round the clock: to 24:00 runs on into the next
        close_at = hours_edge(day + timedelta(days=1), closes)  # day's 00:00 (open_hours.py)
    for take in placement.choices[0].takes:
        at = _slot_of(take.bucket.key)
        assert open_at <= at and at + timedelta(minutes=slot) <= close_at


@given(
    slots,
    st.sampled_from(SLOT_MINUTES),
    st.integers(min_value=0, max_value=600),
    st.integers(min_value=660, max_value=1440),
    st.integers(min_value=0, max_value=1439),
)
def test_a_start_is_refused_off_the_grid_exactly_when_availability_would_not_list_it(
    slot, interval, opens, closes, minute
):
    resource = timed(slot, hours=(((opens, closes),),) * 7)
    offering = service(45, 0, 15, interval_minutes=interval)
    day = date(2026, 6, 3)
    start_local = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)
    listed = minute in candidate_starts(offering, [resource], day)
    try:
        plan_line(
            LineRequest(offering, 1, start_local=start_local), [[resource]], {}, tz=TZ, now=NOW
        )
    except InvalidInput as exc:
        assert exc.code == "not_a_start_time" and not listed
        nearest = exc.details["nearest"]
        assert 1 <= len(nearest) <= 2 and all(
            int(t[:2]) * 60 + int(t[3:]) in candidate_starts(offering, [resource], day)
            for t in nearest
        )
        return
    assert listed


# -- never oversell --------------------------------------------------------------------------------


@st.composite
def two_bookings(draw):
    """One resource of a random kind and capacity, and two requests for it that may overlap."""
    kind = draw(st.sampled_from(list(ResourceKind)))
    capacity = draw(st.integers(min_value=0, max_value=8))
    day = draw(st.dates(min_value=FIRST_DAY, max_value=date(2026, 1, 12)))
    requests = []
    if kind is ResourceKind.NIGHTLY:
        resource = room_type("res_r", rooms=capacity)
        offering = stay_offering("res_r")
        for _ in range(2):
            requests.append(
                LineRequest(
                    offering,
                    1,
                    draw(st.integers(min_value=1, max_value=4)),
                    check_in=day + timedelta(days=draw(st.integers(min_value=0, max_value=3))),
                    nights=draw(st.integers(min_value=1, max_value=4)),
                )
            )
    elif kind is ResourceKind.SESSION:
        resource = departure("res_s", seats=capacity, times=(9 * 60, 14 * 60), minutes=120)
        offering = Offering(
            id="off_s",
            name="Tour",
            kind=ResourceKind.SESSION,
            requirements=(Requirement(Selector(resource_id="res_s"), per=UnitsPer.PERSON),),
            pricing=Pricing(amount=100),
        )
        for _ in range(2):
            hour = draw(st.sampled_from([9, 14]))
            requests.append(
                LineRequest(
                    offering,
                    draw(st.integers(min_value=1, max_value=6)),
                    start_local=datetime.combine(day, datetime.min.time()).replace(hour=hour),
                )
            )
    else:
        slot = draw(slots)
        resource = timed(slot, hours=(((8 * 60, 20 * 60),),) * 7, capacity=capacity)
        offering = service(
            draw(st.integers(min_value=5, max_value=180)),
            draw(st.integers(min_value=0, max_value=30)),
            draw(st.integers(min_value=0, max_value=30)),
            requirements=(Requirement(Selector(skill="x"), per=UnitsPer.PERSON),),
        )
        for _ in range(2):
            minute = draw(st.integers(min_value=8 * 60, max_value=18 * 60))
            requests.append(
                LineRequest(
                    offering,
                    draw(st.integers(min_value=1, max_value=4)),
                    start_local=datetime.combine(day, datetime.min.time())
                    + timedelta(minutes=minute),
                )
            )
    return resource, requests


@given(two_bookings())
def test_two_plans_on_the_same_used_units_never_exceed_capacity(case):
    resource, requests = case
    used: dict[str, dict[str, int]] = {}
    for request in requests:
        try:
            placement = plan_line(request, [[resource]], used, tz=TZ, now=NOW)
        except (SlotUnavailable, InvalidInput):
            continue
        for take in (t for c in placement.choices for t in c.takes):
            bucket = used.setdefault(take.bucket.resource_id, {})
            bucket[take.bucket.key] = bucket.get(take.bucket.key, 0) + take.units
            assert take.capacity == resource.capacity
    for buckets in used.values():
        assert all(units <= resource.capacity for units in buckets.values())
