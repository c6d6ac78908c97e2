"""Buckets: which units of which resource a booking occupies.

A bucket is one item per (resource, bucket key) holding the units used. Keys:
- nightly: `N#2026-12-24` (the local night starting that date),
- timed:   `S#2026-12-24T09:15Z` (a UTC slot of the resource's grid),
- session: `X#2026-12-24T07:00Z` (the session's UTC start); a session resource with N shards
  (`Resource.shards`) keeps each session's seats in N buckets, shard 0 under that key and shard
  i under `X#2026-12-24T07:00Z#i`, each holding its share of the capacity (`shard_share`), so a
  hot session's writes spread over N items (N partitions: see booking/adapters/unit_of_work.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from chalicelib.catalog.domain.catalog import Resource, ResourceKind
from chalicelib.kernel.domain.calendar import grid, iso_utc
from chalicelib.kernel.domain.untrusted import ascii_int
from chalicelib.kernel.domain.values import value


@dataclass(frozen=True, order=True)
class BucketRef:
    resource_id: str
    key: str  # the sort key: N#..., S#..., X#...


@value
class Take:
    """Units taken from one bucket, and the capacity they were checked against."""

    bucket: BucketRef
    units: int
    capacity: int


def night_key(day: date) -> str:
    return f"N#{day.isoformat()}"


def slot_key(instant: datetime) -> str:
    return f"S#{iso_utc(instant)}"


def session_key(instant: datetime, shard: int = 0) -> str:
    base = f"X#{iso_utc(instant)}"
    return base if shard == 0 else f"{base}#{shard}"


def split_shard(key: str) -> tuple[str, int]:
    """(the bucket's key without its shard, the shard): `X#...Z#3` -> (`X#...Z`, 3); any key
    without a shard suffix is shard 0."""
    if not key.startswith("X#") or "#" not in key[2:]:
        return key, 0
    instant, shard = key[2:].split("#", 1)
    number = ascii_int(shard, max_digits=2)
    if number is None or number == 0 or shard != str(number):
        raise ValueError(f"not a shard of a session bucket: {key!r}")
    return f"X#{instant}", number


def shard_share(capacity: int, shards: int, shard: int) -> int:
    """Shard `shard`'s part of `capacity` split over `shards`: as even as integers allow, the
    first `capacity % shards` shards one more. The shares add up to the capacity exactly."""
    return capacity // shards + (1 if shard < capacity % shards else 0)


def spread(units: int, free: Sequence[int], order: Sequence[int]) -> list[int] | None:
    """How many of `units` each shard gives, taking from the shards in `order` (indexes into
    `free`) as long as they have room; None when all of them together have too little.
    A party larger than one shard's remainder thus takes from several shards, and is refused
    only when the session as a whole cannot seat it."""
    if sum(max(0, free[i]) for i in order) < units:
        return None
    given = [0] * len(free)
    left = units
    for i in order:
        part = min(left, max(0, free[i]))
        given[i] = part
        left -= part
        if not left:
            break
    return given


def nights(check_in: date, count: int) -> list[date]:
    return [check_in + timedelta(days=i) for i in range(count)]


def occupied_keys(resource: Resource, start: datetime, end: datetime) -> list[str]:
    """The bucket keys of `resource` that the interval [start, end) occupies."""
    if resource.kind is ResourceKind.TIMED:
        return [slot_key(t) for t in grid(start, end, resource.slot_minutes)]
    if resource.kind is ResourceKind.SESSION:
        return [session_key(start)]
    raise ValueError("nightly resources are occupied by nights, not intervals")


def window_bounds(kind: ResourceKind, first: str, last: str) -> tuple[str, str]:
    """Sort-key bounds (inclusive) for a Query of one resource's buckets."""
    prefix = {ResourceKind.NIGHTLY: "N#", ResourceKind.TIMED: "S#", ResourceKind.SESSION: "X#"}
    return prefix[kind] + first, prefix[kind] + last


def merge(takes: Iterable[Take]) -> list[Take]:
    """One take per bucket: two lines on the same bucket add up (and must fit together)."""
    units: dict[BucketRef, int] = defaultdict(int)
    capacity: dict[BucketRef, int] = {}
    for take in takes:
        units[take.bucket] += take.units
        capacity[take.bucket] = take.capacity
    return [Take(b, units[b], capacity[b]) for b in sorted(units)]


def net(take: Iterable[Take], release: Iterable[Take]) -> tuple[list[Take], list[Take]]:
    """Net out a change that gives back and takes units of the same buckets (a reschedule
    that overlaps itself): one write per bucket, as a transaction allows only one."""
    taken = {t.bucket: t for t in merge(take)}
    given = {t.bucket: t for t in merge(release)}
    out_take, out_release = [], []
    for bucket in sorted(set(taken) | set(given)):
        delta = (taken[bucket].units if bucket in taken else 0) - (
            given[bucket].units if bucket in given else 0
        )
        if delta > 0:
            out_take.append(Take(bucket, delta, taken[bucket].capacity))
        elif delta < 0:
            out_release.append(Take(bucket, -delta, given[bucket].capacity))
    return out_take, out_release


class BucketHolder(Protocol):
    """Something that holds units of buckets (booking's orders): what a catalog change must not
    strand."""

    @property
    def id(self) -> str: ...

    @property
    def holds_inventory(self) -> bool: ...

    @property
    def takes(self) -> Sequence[Take]: ...


class LineEntry(Protocol):
    """An order line's entry in its resource's index (booking's `ResourceEntry`): where a
    catalog change finds the orders holding a resource's buckets."""

    @property
    def start(self) -> str: ...

    @property
    def order_id(self) -> str: ...
