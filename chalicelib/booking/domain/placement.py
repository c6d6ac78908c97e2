"""Planning one booking line: "can this exact booking be made, and who serves it?" A pure
function over the catalog and the units already used in each bucket: `plan_line` checks the
window (notice, advance, nights), the start (start_times.check_start), and for each requirement
chooses the resources that fit, the least loaded that day first (ties broken by a fair, stable
rank), and answers a `Placement`: the line's times and the bucket takes of each choice."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence, Set
from dataclasses import field
from datetime import date, datetime, timedelta

from chalicelib.booking.domain.booking_window import check_window
from chalicelib.booking.domain.start_times import check_start, kept_by, starts_at
from chalicelib.catalog.domain.catalog import Offering, Requirement, Resource, ResourceKind
from chalicelib.catalog.domain.inventory import (
    BucketRef,
    Take,
    night_key,
    nights,
    session_key,
    shard_share,
    slot_key,
    spread,
)
from chalicelib.catalog.domain.open_hours import open_spans
from chalicelib.kernel.domain.calendar import day_bounds, grid, local_instant, to_local
from chalicelib.kernel.domain.errors import InvalidInput, SlotUnavailable
from chalicelib.kernel.domain.values import value

UsedMap = Mapping[str, Mapping[str, int]]  # resource id -> {bucket key: units used}
Avoid = Set[tuple[str, str]]  # (resource id, bucket key) a commit just lost: not to be chosen
# What one resource must give a booking: a list of needs, each met by one bucket or, for a
# sharded session, by any mix of its shards' buckets: ((key, capacity of that bucket), ...).
Need = tuple[tuple[str, int], ...]


@value
class LineRequest:
    offering: Offering
    party: int
    quantity: int = 1
    start_local: datetime | None = None  # naive wall clock in the tenant's zone
    check_in: date | None = None
    nights: int = 1
    preferred: Mapping[int, str] = field(default_factory=dict)  # requirement -> resource id
    # A stay changing its length (booking/services/stays.py): its check-in is booked already,
    # so the notice and the advance window do not apply to it; the nights it gains come after
    # its current end, and their capacity is checked as any night's.
    already_booked: bool = False
    # The offering's minimum notice is for online bookers (the widget, a partner): staff at
    # the desk, and secret keys, book from now on (PROBE5 defect 8), never in the past.
    notice: bool = True
    held: Mapping[tuple[str, str], int] = field(default_factory=dict)  # start_times.kept_by


@value
class Choice:
    requirement: int
    resource: Resource
    takes: tuple[Take, ...]
    remaining: int  # units left in the tightest bucket after this booking


@value
class Placement:
    """Where and when one line goes: its times, and each requirement's resources and takes."""

    request: LineRequest
    start: datetime  # UTC
    end: datetime  # UTC
    local_date: date
    days: tuple[date, ...]  # the nights, or the start date
    choices: tuple[Choice, ...]
    remaining: int  # for availability: units still free for the first requirement


@value
class OccupiedInterval:
    start: datetime  # occupied interval, buffers included (UTC)
    end: datetime


def _fair_rank(day: date, resource_id: str) -> int:
    """A tie-break that differs from day to day, so equal loads do not always pick the same
    resource (fair), yet is the same for every request on that day (stable)."""
    digest = hashlib.sha256(f"{day.isoformat()}:{resource_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _day_load(resource: Resource, used: Mapping[str, int], day: date, tz: str) -> int:
    if resource.kind is ResourceKind.NIGHTLY:
        return used.get(night_key(day), 0)
    start, end = day_bounds(day, tz)
    lo = "S#" if resource.kind is ResourceKind.TIMED else "X#"
    first, last = lo + start.strftime("%Y-%m-%dT%H:%MZ"), lo + end.strftime("%Y-%m-%dT%H:%MZ")
    return sum(units for key, units in used.items() if first <= key < last)


def _within_hours(resource: Resource, window: OccupiedInterval, day: date, tz: str) -> bool:
    for span_start, span_end in open_spans(resource, day):
        opens = local_instant(day, span_start, tz)
        closes = local_instant(day, span_end, tz)
        if opens is None or closes is None:
            # A span edge in a spring-forward gap: move it to the first real minute after.
            opens = opens or _next_real(day, span_start, tz)
            closes = closes or _next_real(day, span_end, tz)
        if opens <= window.start and window.end <= closes:
            return True
    return False


def _next_real(day: date, minute: int, tz: str) -> datetime:
    for step in range(1, 181):
        instant = local_instant(day, minute + step, tz)
        if instant is not None:
            return instant
    raise ValueError("no valid local time within three hours")


def shard_order(resource_id: str, need: Need, avoid: Avoid, start: int) -> list[int]:
    """The order in which a hold tries a session's shards: from shard `start` (the caller
    draws it at random, so concurrent holds spread over the shards) round the ring, with the
    shards a commit of this very booking just lost last (their remainder is still usable:
    later plans read consistently)."""
    n = len(need)
    ring = [(start + k) % n for k in range(n)]
    return [i for i in ring if (resource_id, need[i][0]) not in avoid] + [
        i for i in ring if (resource_id, need[i][0]) in avoid
    ]


def _meet_need(
    resource_id: str, need: Need, units: int, used: Mapping[str, int], avoid: Avoid, start: int
) -> tuple[list[Take], int] | None:
    """The takes that give `units` from the need's buckets, and the units the need has left
    after them; None when its buckets together have too little. The first bucket round the
    ring (`shard_order`) that can serve them all does; a party no one shard can seat takes
    from the shards with the most room first, so it spans as few as it can (each shard is an
    item of the transaction, which holds at most 100)."""
    free = [capacity - used.get(key, 0) for key, capacity in need]
    ring = shard_order(resource_id, need, avoid, start)
    whole = next((i for i in ring if free[i] >= units), None)
    if whole is not None:
        given: list[int] | None = [units if i == whole else 0 for i in range(len(need))]
    else:
        by_room = sorted(ring, key=lambda i: (-free[i], ring.index(i)))
        given = spread(units, free, by_room)
    if given is None:
        return None
    takes = [
        Take(BucketRef(resource_id, key), n, capacity)
        for (key, capacity), n in zip(need, given, strict=True)
        if n
    ]
    return takes, sum(max(0, f) for f in free) - units


def _choose(
    req_index: int,
    requirement: Requirement,
    candidates: Sequence[Resource],
    *,
    keys_for: dict[str, list[Need]],
    units: int,
    used: UsedMap,
    day: date,
    tz: str,
    taken: set[str],
    avoid: Avoid,
    start_shard: int = 0,
) -> tuple[Choice | None, int]:
    """The least-loaded candidate that fits, and the units free across all that fit.
    A candidate with a (single) bucket in `avoid` is skipped: a commit just lost that bucket
    to a concurrent booking, so choosing it again would only lose again."""
    fitting: list[tuple[int, int, Choice]] = []
    free_total = 0
    for resource in candidates:
        if resource.id in taken or resource.id not in keys_for:
            continue
        needs = keys_for[resource.id]
        if any(len(need) == 1 and (resource.id, need[0][0]) in avoid for need in needs):
            continue
        resource_used = used.get(resource.id, {})
        takes: list[Take] = []
        tightest = None
        for need in needs:
            met = _meet_need(resource.id, need, units, resource_used, avoid, start_shard)
            if met is None:
                tightest = None
                break
            takes += met[0]
            tightest = met[1] if tightest is None else min(tightest, met[1])
        if tightest is None:
            continue
        free_total += tightest + units
        load = _day_load(resource, resource_used, day, tz)
        choice = Choice(req_index, resource, tuple(takes), tightest)
        fitting.append((load, _fair_rank(day, resource.id), choice))
    if not fitting:
        return None, 0
    fitting.sort(key=lambda entry: (entry[0], entry[1]))
    return fitting[0][2], free_total


def plan_line(
    request: LineRequest,
    candidates: Sequence[Sequence[Resource]],
    used: UsedMap,
    *,
    tz: str,
    now: datetime,
    avoid: Avoid = frozenset(),
    start_shard: int = 0,
) -> Placement:
    """Who serves this booking and which buckets it takes; SlotUnavailable when it cannot
    be served, InvalidInput when it breaks a rule of the offering. `avoid`: buckets that a
    commit of this very booking just lost (see booking/services/booking.hold_order).
    `start_shard`: where a sharded session's shards are tried from (drawn by the caller)."""
    offering = request.offering
    if not offering.party_min <= request.party <= offering.party_max:
        raise InvalidInput(
            f"Party size is {offering.party_min} to {offering.party_max}.",
            code="invalid_party_size",
        )
    if not 1 <= request.quantity <= 50:
        raise InvalidInput("quantity is 1 to 50.", code="invalid_quantity")
    if offering.kind is ResourceKind.NIGHTLY:
        return _plan_stay(request, candidates, used, tz=tz, now=now, avoid=avoid)
    return _plan_timed(
        request, candidates, used, tz=tz, now=now, avoid=avoid, start_shard=start_shard
    )


def _units(requirement: Requirement, request: LineRequest) -> int:
    """Per person, party x quantity seats (or beds), as the price counts them (pricing.py):
    taking only one party's seats sold the rest twice."""
    return requirement.units_for(request.party) * request.quantity


def _filter(candidates: Sequence[Resource], preferred: str | None) -> list[Resource]:
    return [r for r in candidates if preferred is None or r.id == preferred]


def _plan_stay(
    request: LineRequest,
    candidates: Sequence[Sequence[Resource]],
    used: UsedMap,
    *,
    tz: str,
    now: datetime,
    avoid: Avoid,
) -> Placement:
    offering = request.offering
    if request.check_in is None:
        raise InvalidInput("A stay needs check_in.", code="missing_check_in")
    if not 1 <= request.nights <= offering.max_nights:
        raise InvalidInput(f"A stay is 1 to {offering.max_nights} nights.", code="invalid_nights")
    stay = nights(request.check_in, request.nights)
    start = local_instant(request.check_in, 0, tz) or day_bounds(request.check_in, tz)[0]
    end = day_bounds(stay[-1], tz)[1]
    if not request.already_booked:
        check_window(offering, start, now, nightly=True, notice=request.notice)
    choices, remaining = [], None
    taken: set[str] = set()
    for index, requirement in enumerate(offering.requirements):
        pool = _filter(candidates[index], request.preferred.get(index))
        keys_for: dict[str, list[Need]] = {
            r.id: [((night_key(d), r.capacity_on(d)),) for d in stay]
            for r in pool
            if all(r.night_open(d) for d in stay)
        }
        choice, free = _choose(
            index,
            requirement,
            pool,
            keys_for=keys_for,
            units=_units(requirement, request),
            used=used,
            day=request.check_in,
            tz=tz,
            taken=taken,
            avoid=avoid,
        )
        if choice is None:
            raise SlotUnavailable(
                "No room is free for every night of that stay.",
                requirement=index,
                check_in=request.check_in.isoformat(),
            )
        taken.add(choice.resource.id)
        choices.append(choice)
        remaining = free if remaining is None else min(remaining, free)
    return Placement(
        request, start, end, request.check_in, tuple(stay), tuple(choices), remaining or 0
    )


def _plan_timed(
    request: LineRequest,
    candidates: Sequence[Sequence[Resource]],
    used: UsedMap,
    *,
    tz: str,
    now: datetime,
    avoid: Avoid,
    start_shard: int,
) -> Placement:
    offering = request.offering
    if request.start_local is None:
        raise InvalidInput("A booking needs start.", code="missing_start")
    day = request.start_local.date()
    minute = request.start_local.hour * 60 + request.start_local.minute
    start = local_instant(day, minute, tz, request.start_local.fold)
    if start is None:
        # Invalid input (422), as in the catalog, bulk jobs and imports: not a time taken;
        # said before the grid (a tester's 01:30 on London's spring night was "no start").
        raise InvalidInput(
            "That local time does not exist (the clocks skip it that day).",
            code="nonexistent_time",
            field="start",
        )
    units, primary = _units(offering.requirements[0], request), candidates[0]
    kept = kept_by(request.held, primary, session_key(start), units)  # a called-off one too
    primary = _filter(primary, request.preferred.get(0))
    check_start(offering, primary, day, minute, tz, kept=kept, named=0 in request.preferred)
    check_window(offering, start, now, nightly=False, notice=request.notice)
    choices, remaining = [], None
    taken: set[str] = set()
    duration = timedelta(minutes=offering.duration_minutes)
    for index, requirement in enumerate(offering.requirements):
        pool = _filter(candidates[index], request.preferred.get(index))
        if index == 0:  # whoever serves it has this start on their own grid (start_times)
            pool = [r for r in pool if starts_at(offering, r, day, minute, kept=r.id in kept)]
        keys_for, duration = _timed_keys(offering, pool, start, day, minute, duration, tz, kept)
        choice, free = _choose(
            index,
            requirement,
            pool,
            keys_for=keys_for,
            units=_units(requirement, request),
            used=used,
            day=day,
            tz=tz,
            taken=taken,
            avoid=avoid,
            start_shard=start_shard,
        )
        if choice is None:
            raise SlotUnavailable(
                "That time is not available.",
                requirement=index,
                start=request.start_local.isoformat(timespec="minutes"),
            )
        taken.add(choice.resource.id)
        choices.append(choice)
        remaining = free if remaining is None else min(remaining, free)
    return Placement(request, start, start + duration, day, (day,), tuple(choices), remaining or 0)


def _timed_keys(
    offering: Offering,
    pool: Sequence[Resource],
    start: datetime,
    day: date,
    minute: int,
    duration: timedelta,
    tz: str,
    kept: frozenset[str] = frozenset(),
) -> tuple[dict[str, list[Need]], timedelta]:
    """The buckets (with their capacity) each resource of `pool` would give to a booking at
    `start`, for those that can serve it; a session that runs then sets the duration."""
    keys_for: dict[str, list[Need]] = {}
    for r in pool:
        sessions = r.sessions_on(day) if r.id in kept else r.sessions_for_sale(day)
        if r.kind is ResourceKind.SESSION and minute in sessions:
            duration = timedelta(minutes=r.session_minutes)
            capacity = r.capacity_on(day)
            keys_for[r.id] = [
                tuple(
                    (session_key(start, i), shard_share(capacity, r.shards, i))
                    for i in range(r.shards)
                )
            ]
    for r in pool:
        if r.kind is not ResourceKind.TIMED:
            continue
        window = OccupiedInterval(
            start - timedelta(minutes=offering.buffer_before),
            start + duration + timedelta(minutes=offering.buffer_after),
        )
        if _within_hours(r, window, day, tz):
            # Each slot at its own date's capacity: a table past midnight holds the next
            # day's slots, which that day's override may sell fewer of (a reviewer's find).
            slots = grid(window.start, window.end, r.slot_minutes)
            keys_for[r.id] = [
                ((slot_key(t), r.capacity_on(to_local(t, tz).date())),) for t in slots
            ]
    return keys_for, duration
