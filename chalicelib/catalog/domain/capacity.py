"""Can a (new) resource definition still hold what is already sold?

A sharded session's buckets are judged one by one against each shard's share (the shares add
up to the capacity), and a shard the definition no longer has holds nothing.

A resource's definition (capacity, hours, sessions, open nights, closures, per-date overrides,
active) may change while its buckets hold units. `violations` names the buckets whose used
units the definition can no longer hold, by the same rules availability uses to decide what
is bookable, so "you cannot lower this below what is sold" and "this is bookable" agree.

`meet` is the definition that allows only what two definitions both allow. Changing a
resource goes through it (see catalog/services/catalog_writes.py): whatever is booked against the
meet fits the old definition and the new one, so going forward or back never oversells.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from chalicelib.catalog.domain.catalog import DateOverride, Resource, ResourceKind, Span
from chalicelib.catalog.domain.inventory import shard_share, split_shard
from chalicelib.catalog.domain.rooms import outage_nights, rooms_out
from chalicelib.kernel.domain.calendar import (
    day_bounds,
    iso_utc,
    local_instant,
    parse_iso_utc,
    to_local,
)

FAR_FUTURE = "9999"
PREFIX = {ResourceKind.NIGHTLY: "N#", ResourceKind.TIMED: "S#", ResourceKind.SESSION: "X#"}


def bucket_range(resource: Resource, today: date, tz: str) -> tuple[str, str]:
    """Sort-key bounds (inclusive) of every bucket from the start of `today` (local) on."""
    prefix = PREFIX[resource.kind]
    if resource.kind is ResourceKind.NIGHTLY:
        return prefix + today.isoformat(), prefix + FAR_FUTURE
    return prefix + iso_utc(day_bounds(today, tz)[0]), prefix + FAR_FUTURE


def violations(resource: Resource, used: Mapping[str, int], tz: str) -> list[str]:
    """The bucket keys (sorted) whose used units `resource` as now defined cannot hold.

    A deactivated resource holds nothing: every bucket with units is a violation."""
    out = []
    for key, units in sorted(used.items()):
        if units <= 0:
            continue
        if not resource.active or not _holds(resource, key, units, tz):
            out.append(key)
    return out


def _holds(resource: Resource, key: str, units: int, tz: str) -> bool:
    capacity = capacity_for(resource, key, tz)
    return capacity is not None and units <= capacity


def capacity_for(resource: Resource, key: str, tz: str) -> int | None:
    """The units `resource`, as now defined, offers in bucket `key`; None when that bucket is
    closed (a closure, outside the hours, no such session) or is not one of its kind."""
    kind = key[:2]
    if kind == "N#" and resource.kind is ResourceKind.NIGHTLY:
        day = date.fromisoformat(key[2:])
        return resource.capacity_on(day) if resource.night_open(day) else None
    if kind == "S#" and resource.kind is ResourceKind.TIMED:
        start = parse_iso_utc(key[2:])
        day = to_local(start, tz).date()
        end = start + timedelta(minutes=resource.slot_minutes)
        inside = _inside_hours(resource, day, start, end, tz)
        return resource.capacity_on(day) if inside else None
    if kind == "X#" and resource.kind is ResourceKind.SESSION:
        base, shard = split_shard(key)
        local = to_local(parse_iso_utc(base[2:]), tz)
        day = local.date()
        offered = local.hour * 60 + local.minute in resource.sessions_on(day)
        if not offered or shard >= resource.shards:
            return None  # no such session, or a shard the definition no longer has
        return shard_share(resource.capacity_on(day), resource.shards, shard)
    return None  # a bucket of another kind: the definition cannot account for it


def _inside_hours(resource: Resource, day: date, start: datetime, end: datetime, tz: str) -> bool:
    for span_start, span_end in resource.hours_on(day):
        opens, closes = span_instant(day, span_start, tz), span_instant(day, span_end, tz)
        if opens <= start and end <= closes:
            return True
    return False


def span_instant(day: date, minute: int, tz: str) -> datetime:
    """Where a span edge is: its instant, or, when the clocks skip that local time, the first
    real minute after it (as availability treats it)."""
    for step in range(0, 181):
        instant = local_instant(day, minute + step, tz)
        if instant is not None:
            return instant
    raise ValueError("no valid local time within three hours")


def still_ahead(resource: Resource, used: Mapping[str, int], now: datetime) -> dict[str, int]:
    """Drop slots and sessions that are over: they can no longer be booked, so a change of
    the definition cannot oversell them. Nights are kept (tonight's guests are in the house)."""
    if resource.kind is ResourceKind.NIGHTLY:
        return dict(used)
    length = resource.slot_minutes if resource.kind is ResourceKind.TIMED else 0
    if resource.kind is ResourceKind.SESSION:
        length = resource.session_minutes
    out = {}
    for key, units in used.items():
        try:
            start = parse_iso_utc(split_shard(key)[0][2:])
        except ValueError:
            out[key] = units  # not a key we know: keep it, so it is judged
            continue
        if start + timedelta(minutes=length) > now.astimezone(UTC):
            out[key] = units
    return out


# -- the meet of two definitions -------------------------------------------------------------


def intersect(a: tuple[Span, ...], b: tuple[Span, ...]) -> tuple[Span, ...]:
    """The minutes both span lists cover, as spans (each a piece of one span of each)."""
    out = []
    for a_start, a_end in a:
        for b_start, b_end in b:
            start, end = max(a_start, b_start), min(a_end, b_end)
            if start < end:
                out.append((start, end))
    return tuple(sorted(out))


def _raw_hours(r: Resource, day: date) -> tuple[Span, ...]:
    ovr = r.override(day)
    return ovr.hours if ovr and ovr.hours is not None else r.hours[day.weekday()]


def _raw_sessions(r: Resource, day: date) -> tuple[int, ...]:
    ovr = r.override(day)
    if ovr and ovr.session_times is not None:
        return ovr.session_times
    return r.session_times[day.weekday()]


def _meet_override(old: Resource, new: Resource, day: date) -> DateOverride:
    o, n = old.override(day), new.override(day)
    hours_given = any(x and x.hours is not None for x in (o, n))
    sessions_given = any(x and x.session_times is not None for x in (o, n))
    capacity_given = any(x and x.capacity is not None for x in (o, n))
    return DateOverride(
        closed=any(x is not None and x.closed for x in (o, n)),
        hours=intersect(_raw_hours(old, day), _raw_hours(new, day)) if hours_given else None,
        session_times=tuple(sorted(set(_raw_sessions(old, day)) & set(_raw_sessions(new, day))))
        if sessions_given
        else None,
        capacity=min(old.base_capacity_on(day), new.base_capacity_on(day))
        if capacity_given
        else None,
        called_off=tuple(sorted({m for x in (o, n) if x for m in x.called_off})),
    )


def meet(old: Resource, new: Resource) -> Resource:
    """A definition (with `new`'s identity, name, grid and rooms) that allows on every date
    only what both allow: the lower capacity, the common hours, sessions and open nights, the
    closures of either, active only if both are. What fits it fits both. It keeps the rooms
    out of order of either (a room assignment is judged against them), and on each night a
    room is out, an override gives it the lower of the two nights' capacities, its outages
    counted once (a meet is written, never validated as a user's definition)."""
    combined = replace(
        new,
        capacity=min(old.capacity, new.capacity),
        hours=tuple(intersect(a, b) for a, b in zip(old.hours, new.hours, strict=True)),
        session_times=tuple(
            tuple(sorted(set(a) & set(b)))
            for a, b in zip(old.session_times, new.session_times, strict=True)
        ),
        open_nights=tuple(a and b for a, b in zip(old.open_nights, new.open_nights, strict=True)),
        closures=new.closures + tuple(c for c in old.closures if c not in new.closures),
        overrides={
            day: _meet_override(old, new, day)
            for day in sorted(set(old.overrides) | set(new.overrides))
        },
        active=old.active and new.active,
        outages=new.outages + tuple(o for o in old.outages if o not in new.outages),
    )
    overrides = dict(combined.overrides)
    for day in sorted(outage_nights(combined.outages)):
        out = len(rooms_out(combined.outages, day).intersection(combined.rooms))
        lower = min(old.capacity_on(day), new.capacity_on(day))
        overrides[day] = replace(overrides.get(day, DateOverride()), capacity=lower + out)
    return normalized(replace(combined, overrides=overrides))


def normalized(r: Resource) -> Resource:
    """The same definition with every override part that repeats the weekly rule left out
    (and overrides left with nothing to say dropped)."""
    overrides = {}
    for day, o in r.overrides.items():
        wd = day.weekday()
        o = DateOverride(
            closed=o.closed,
            hours=None if o.hours == r.hours[wd] else o.hours,
            session_times=None if o.session_times == r.session_times[wd] else o.session_times,
            capacity=None if o.capacity == r.capacity else o.capacity,
            called_off=o.called_off,
        )
        if o != DateOverride():
            overrides[day] = o
    return replace(r, overrides=overrides)


def same_definition(a: Resource, b: Resource) -> bool:
    """Equal in everything but the revision and the wording of overrides."""
    return replace(normalized(a), rev=0) == replace(normalized(b), rev=0)
