"""The invariant: every bucket's stored units equal the units that live orders take from it.

Recomputed over a window of local dates with Queries only: each resource's buckets (one
Query each) and the orders whose lines start in the window or up to MAX_NIGHTS days before it
(a stay that started earlier still covers nights in the window). Those orders are named by
each resource's entries (`RESORD#`, one Query per resource and shard, the lines that ended
before the window left out) where every order has them (a table made since the keys-only
indexes): a day's window is a few Queries where the day index took 8 a day over 31 days (248).
In an older table the day index names them, day by day. Either way the orders' own takes are
counted, so an entry or an index key that went missing shows as a difference, never hides one.
Both sides cover the same local days, half-open: a bucket counts when `lo <= key < hi`, where
`hi` is the first bucket of the day after the window (local midnight of `to`), so a booking at
00:00 of `to` is outside on both sides instead of its first bucket alone being inside.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from chalicelib.booking.domain.blocks import BlockStatus
from chalicelib.booking.domain.order_search import local_midnight
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.services.availability import bucket_bounds
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.catalog.domain.catalog import MAX_NIGHTS, MAX_SHARDS, Resource, ResourceKind
from chalicelib.catalog.domain.inventory import split_shard
from chalicelib.kernel.domain.calendar import days, iso_utc
from chalicelib.kernel.domain.errors import InvalidInput

MAX_CHECK_DAYS = 400
# Every entry of the window is read whatever this says (a Query per shard, to its end); it
# only bounds what resource_lines hands back, and no window holds this many lines.
MAX_ENTRIES = 10**9


@dataclass
class InvariantReport:
    buckets_checked: int = 0
    orders_counted: int = 0
    differences: list[tuple[str, str, int, int]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def bucket_window(
    kind: ResourceKind, first: date, last_exclusive: date, tz: str
) -> tuple[str, str]:
    """Sort keys [lo, hi) of a resource's buckets on the local days [first, last_exclusive)."""
    lo, _ = bucket_bounds(kind, first, first + timedelta(days=1), tz, pad_minutes=0)
    hi, _ = bucket_bounds(kind, last_exclusive, last_exclusive + timedelta(days=1), tz, 0)
    return lo, hi


Bucket = tuple[str, str]  # (resource id, bucket key)


def check_invariant(ctx: BookingContext, first: date, last_exclusive: date) -> InvariantReport:
    if not 0 < (last_exclusive - first).days <= MAX_CHECK_DAYS:
        raise InvalidInput(f"The window is 1 to {MAX_CHECK_DAYS} days.", code="invalid_window")
    tz = ctx.tenant.timezone
    resources = ctx.data.catalog.list_resources()
    bounds = {r.id: bucket_window(r.kind, first, last_exclusive, tz) for r in resources}
    # Every shard a session resource can have, whatever it has now: units left on a shard it
    # no longer has (a past session's, when the shards were lowered) are still booked units.
    ways = {r.id: MAX_SHARDS if r.kind is ResourceKind.SESSION else 1 for r in resources}
    stored = _stored(ctx, bounds, ways)
    if ctx.data.orders.lines_all_entered:
        orders = _orders_by_entries(ctx, resources, ways, first, last_exclusive)
    else:
        orders = _orders_by_day(ctx, first, last_exclusive)
    expected, orders_counted = _expected(ctx, bounds, orders)
    report = InvariantReport(orders_counted=orders_counted)
    for bucket in sorted(set(stored) | set(expected)):
        report.buckets_checked += 1
        have, want = stored.get(bucket, 0), expected.get(bucket, 0)
        if have != want:
            report.differences.append((bucket[0], bucket[1], have, want))
    return report


def _stored(
    ctx: BookingContext, bounds: dict[str, tuple[str, str]], shards: dict[str, int]
) -> dict[Bucket, int]:
    """The units each bucket holds, as stored: one Query per resource and shard."""
    stored: dict[Bucket, int] = {}
    for resource_id, (lo, hi) in bounds.items():
        used = ctx.data.orders.used(
            resource_id, lo, hi, consistent=True, shards=shards[resource_id]
        )
        for key, units in used.items():
            if split_shard(key)[0] < hi:
                stored[(resource_id, key)] = units
    return stored


def _orders_by_entries(
    ctx: BookingContext,
    resources: list[Resource],
    shards: dict[str, int],
    first: date,
    last_exclusive: date,
) -> list[Order]:
    """The orders with a line on one of the resources that starts before the window ends,
    at most MAX_NIGHTS days before it begins, and ends after the day before it (a margin: a
    line that ends at the window's first midnight is read and takes nothing in it)."""
    tz = ctx.tenant.timezone
    ids: dict[str, None] = {}
    for resource in resources:
        entries, _ = ctx.data.orders.resource_lines(
            resource.id,
            shards[resource.id],
            low=iso_utc(local_midnight(first - timedelta(days=MAX_NIGHTS), tz)),
            high=iso_utc(local_midnight(last_exclusive, tz)),
            ends_after=iso_utc(local_midnight(first - timedelta(days=1), tz)),
            limit=MAX_ENTRIES,
        )
        ids.update(dict.fromkeys(e.order_id for e in entries))
    found = ctx.data.orders.get_many(list(ids))
    return [found[i] for i in ids if i in found]


def _orders_by_day(ctx: BookingContext, first: date, last_exclusive: date) -> list[Order]:
    """The orders that start on the window's days or up to MAX_NIGHTS days before, from the
    day index (every order has its key there, however old the table)."""
    return [
        order
        for day in days(first - timedelta(days=MAX_NIGHTS), last_exclusive)
        for order in ctx.data.orders.on_day(day.isoformat())
    ]


def _expected(
    ctx: BookingContext, bounds: dict[str, tuple[str, str]], orders: list[Order]
) -> tuple[dict[Bucket, int], int]:
    """The units live orders and held room blocks take from each bucket of the window, and
    how many orders."""
    expected: dict[Bucket, int] = defaultdict(int)
    seen: set[str] = set()
    for order in orders:
        if order.id in seen or not order.holds_inventory:
            continue
        seen.add(order.id)
        for take in order.takes:
            lo, hi = bounds.get(take.bucket.resource_id, ("", ""))
            if lo <= split_shard(take.bucket.key)[0] < hi:
                expected[(take.bucket.resource_id, take.bucket.key)] += take.units
    # A held room block holds its rooms not yet picked up (booking/domain/blocks.py).
    for block in ctx.data.blocks.list():
        if block.status is not BlockStatus.HELD:
            continue
        lo, hi = bounds.get(block.resource_id, ("", ""))
        for night in block.night_list:
            if lo <= f"N#{night}" < hi and block.left(night):
                expected[(block.resource_id, f"N#{night}")] += block.left(night)
    return expected, len(seen)
