"""How the catalog's writes stay safe: every write is conditional on the revision the caller
read (If-Match: `check_rev`), and changing a resource never creates an oversell.

Changing a resource never creates an oversell. Bookings commit in one transaction that holds
a ConditionCheck on each resource's `rev`, so a booking planned on a definition that has since
changed is refused and planned again. A change of a resource (PUT, DELETE, overrides) runs:

(a) pre-check: read the resource's buckets from today on (consistent Query) and compute
    `capacity.violations(new, used)`. Any → 409 `capacity_below_sold` naming the buckets and
    the orders that hold them; nothing is written.
(b) write, conditional on the revision the caller read (If-Match). What is written first is
    the *meet* of the old and the new definition (`capacity.meet`: on every date the lower
    capacity, the common hours, sessions and open nights): rev+1. When the change only
    narrows (lowers capacity, closes a date, cuts hours) the meet is the new definition
    itself, and when it only widens the old definition allows nothing the new one does not:
    then the new definition is the one write. Every booking planned on the old revision is
    now refused.
    A room type's rooms are checked the same way: an assignment (booking/domain/room_nights.py)
    from tonight on to a room the new definition drops or puts out of order is a 409
    `room_assigned` naming the orders.
(c) post-check: read the buckets (and the rooms' nights) again. A booking that committed on
    the old revision between (a) and (b) is visible now. If the meet cannot hold it, put the
    old definition back (rev+2) and answer the same 409; otherwise, if the meet is not yet
    the new definition, write the new one (rev+2).

The gap, and why it cannot oversell: between (b) and the end of (c) bookings planned on the
meet can commit, and they stay whichever way (c) goes. On a revert, a booking made in those
milliseconds that was valid only under the change (for example, at hours the change added)
would stay although the restored definition does not allow it; that is why the first write
is the meet, not the new definition: what the meet allows, the old definition allows and the
new one allows, so going back or forward keeps every bucket within capacity. The remaining
cost is a false refusal: a booking that fits the new definition but not the old is refused
while the meet is in place (milliseconds) and succeeds when the client retries.

A change of a session's `shards` has no meet (the shards' shares differ), so (b) writes the old
definition paused (inactive: nothing can be planned on it) and (c) judges the new one; the
pause lasts milliseconds, and a process that dies inside it leaves the resource inactive until
it is saved again (it shows as inactive, nothing is lost). Every write of a sharded resource
also writes the copies of its revision that holds check (`replicas`: the shards of the old and
the new definition, catalog/adapters/catalog_store.py).

A resource's kind and slot grid are fixed at creation: bucket keys are made on that grid, and
a different grid would count the same minutes in other buckets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from chalicelib.catalog.domain import capacity
from chalicelib.catalog.domain.catalog import (
    MAX_NIGHTS,
    Resource,
    ResourceKind,
    validate_resource,
)
from chalicelib.catalog.domain.inventory import BucketRef, split_shard
from chalicelib.catalog.domain.rooms import stranded
from chalicelib.catalog.services.catalog_ports import CatalogContext
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.calendar import (
    MINUTES_PER_DAY,
    day_bounds,
    grid_fits_zone,
    iso_utc,
    local_date,
    parse_iso_utc,
    to_local,
)
from chalicelib.kernel.domain.errors import Conflict, InvalidInput, PreconditionFailed
from chalicelib.kernel.domain.timefmt import parse

MAX_OVERRIDES = 1000  # a resource is one item of at most 400 KB
MAX_LOOKUP_LINES = 5000  # order lines read from a resource's index to name a refusal's orders
ORDERS_PER_READ = 100  # orders a BatchGetItem reads
NAMED_ORDERS = 100  # orders a refusal names
TIMED_DAYS_BACK = 2  # a timed line's start before a slot it holds: 24 h and its buffers


def check_rev(current_rev: int, expected_rev: int | None, kind: str) -> None:
    """None: If-Match `*`, any current revision (the write stays conditional on the one read)."""
    if expected_rev is not None and current_rev != expected_rev:
        raise PreconditionFailed(
            f"The {kind} was changed since you read it (rev {current_rev}); reload and retry.",
            code="version_mismatch",
            current_rev=current_rev,
        )


def change_resource(
    ctx: CatalogContext,
    cache: CatalogCache,
    current: Resource,
    new: Resource,
    action: str,
    **details: Any,
) -> Resource:
    """The protected write of the module docstring: pre-check, meet, post-check."""
    tz = ctx.tenant.timezone
    check_definition(new, tz, today(ctx))
    store = ctx.data.catalog
    ways = max(current.shards, new.shards)
    if current.kind is ResourceKind.SESSION and new.session_minutes != current.session_minutes:
        _refuse_if_sessions_booked(ctx, current, ways)
    _refuse_if_unserved(ctx, current, new, ways)
    _refuse_if_oversold(ctx, new, ways)  # (a)
    step = replace(capacity.meet(current, new), rev=current.rev + 1)
    judged = step  # what (c) checks: what bookings may have been made on
    if current.shards != new.shards:
        # No definition allows only what both allow: the shares of the shards differ. Pause
        # the resource (no booking can be planned on it) while (c) looks again.
        step = replace(current, active=False, rev=current.rev + 1)
        judged = new
    elif capacity.same_definition(step, new) or capacity.same_definition(step, current):
        # Only narrowing (the meet is the new definition) or only widening (the meet is the
        # old one, and what the old allows the new allows too): one write is enough.
        step = judged = replace(new, rev=current.rev + 1)
    _put(store, step, current.rev, ways)  # (b)
    cache.invalidate(ctx.tenant.id)
    try:
        _refuse_if_oversold(ctx, judged, ways)  # (c)
    except Conflict as refusal:
        _put(store, replace(current, rev=step.rev + 1), step.rev, ways)
        cache.invalidate(ctx.tenant.id)
        ctx.audit(
            "resource.change_reverted",
            f"resource:{current.id}",
            buckets=refusal.details.get("buckets", []),
            orders=refusal.details.get("orders", []),
        )
        raise
    final = step
    if not capacity.same_definition(step, new):
        final = replace(new, rev=step.rev + 1)
        _put(store, final, step.rev, ways)
        cache.invalidate(ctx.tenant.id)
    ctx.audit(action, f"resource:{current.id}", rev=final.rev, **details)
    cache.changed(ctx.tenant.id, resource_ids=(current.id,))
    return final


def _put(store: Any, resource: Resource, expected_rev: int, ways: int) -> None:
    try:
        store.put_resource(resource, expected_rev=expected_rev, replicas=ways)
    except Conflict as exc:
        if exc.code != "version_mismatch":
            raise
        raise PreconditionFailed(
            "The resource was changed since you read it; reload and retry.",
            code="version_mismatch",
        ) from exc


def _refuse_if_oversold(ctx: CatalogContext, resource: Resource, ways: int) -> None:
    """`ways`: the shards to read, the old definition's too (units on a shard the new one
    drops are booked units without capacity)."""
    tz, now = ctx.tenant.timezone, parse(ctx.now())
    first, last = capacity.bucket_range(resource, local_date(now, tz), tz)
    used = ctx.data.orders.used(resource.id, first, last, consistent=True, shards=ways)
    bad = capacity.violations(resource, capacity.still_ahead(resource, used, now), tz)
    if not bad:
        _refuse_if_rooms_stranded(ctx, resource, local_date(now, tz))
        return
    orders, complete = orders_holding(ctx, resource, bad)
    raise Conflict(
        "The change would leave booked units without capacity: move or cancel these orders, "
        "or keep enough capacity.",
        code="capacity_below_sold",
        buckets=bad[:100],
        bucket_count=len(bad),
        orders=orders,
        orders_complete=complete,
    )


def _refuse_if_sessions_booked(ctx: CatalogContext, resource: Resource, ways: int) -> None:
    """A session's length is the end of every booking of it: one booked ahead keeps the end
    it was booked with, so a new length would have the day sheet and the order disagree (an
    outside tester's 2-hour boat trip read 15:30 on the sheet, 16:00 on its order). 409
    `session_length_booked` naming the orders, while any session ahead holds a booking."""
    held = _held_ahead(ctx, resource, ways)
    if not held:
        return
    orders, complete = orders_holding(ctx, resource, held)
    raise Conflict(
        "Sessions ahead are booked, and their bookings keep the length they were booked "
        "with: move or cancel them first, or sell the new length as another resource.",
        code="session_length_booked",
        orders=orders,
        orders_complete=complete,
    )


def _held_ahead(ctx: CatalogContext, resource: Resource, ways: int) -> list[str]:
    """The resource's buckets from now on that hold units (a consistent read)."""
    tz, now = ctx.tenant.timezone, parse(ctx.now())
    first, last = capacity.bucket_range(resource, local_date(now, tz), tz)
    used = ctx.data.orders.used(resource.id, first, last, consistent=True, shards=ways)
    return sorted(k for k, n in capacity.still_ahead(resource, used, now).items() if n > 0)


def _refuse_if_unserved(ctx: CatalogContext, current: Resource, new: Resource, ways: int) -> None:
    """A skill or tag taken from a resource that serves bookings ahead through it: 409
    `resource_serves_bookings` naming them. Capacity, hours and deactivation were checked
    against what is sold, eligibility was not: a room that lost its `room` tag kept its
    massages ahead, which then could be neither moved nor served by another (a catalogue
    tester's). A booking that commits between this read and the write is the gap the module
    docstring's (c) closes for capacity, not here: it keeps its resource, as before."""
    if current.skills <= new.skills and current.tags <= new.tags:
        return
    # By offering, not by requirement: a line's allocation keeps the requirement's index at
    # booking time, which an edit of the offering's requirements may since have moved (a
    # reviewer's reordered offering let the tag go from under its booking).
    lost = {
        o.id
        for o in ctx.data.catalog.list_offerings()
        if any(current.matches(r.selector) and not new.matches(r.selector) for r in o.requirements)
    }
    if not lost:
        return
    held = _held_ahead(ctx, current, ways)
    if not held:
        return

    def served(order: Any) -> bool:
        return any(
            line.offering_id in lost and a.resource_id == current.id
            for line in order.lines
            for a in line.allocations
        )

    orders, complete = orders_holding(ctx, current, held, keep=served, consistent=True)
    if orders or not complete:  # the bookings not read may be served through it: refused
        raise Conflict(
            "Bookings ahead are served by this resource through the skill or tag the change "
            "takes away: move them to someone else first, or keep it.",
            code="resource_serves_bookings",
            orders=orders,
            orders_complete=complete,
        )


def _refuse_if_rooms_stranded(ctx: CatalogContext, resource: Resource, today: date) -> None:
    """A room type's assignments from tonight on must stay on rooms it lists and that are in
    order: a room taken away or put out of order while a stay sleeps in it is a 409
    `room_assigned` naming the stays to move first (catalog/domain/rooms.py)."""
    if resource.kind is not ResourceKind.NIGHTLY:
        return
    assigned = ctx.data.orders.room_nights(resource.id, today.isoformat(), "9999", consistent=True)
    bad = stranded(resource.rooms, resource.outages, assigned)
    if bad:
        raise Conflict(
            "A stay is assigned to that room on those nights: move the guest to another room "
            "first.",
            code="room_assigned",
            rooms=sorted({n.room for n in bad})[:100],
            nights=sorted({n.night for n in bad})[:100],
            orders=sorted({n.order_id for n in bad})[:100],
        )


def orders_holding(
    ctx: CatalogContext,
    resource: Resource,
    keys: list[str],
    keep: Callable[[Any], bool] = lambda order: True,
    consistent: bool = False,
) -> tuple[list[str], bool]:
    """The ids of the orders whose lines hold units in these buckets (at most
    `NAMED_ORDERS`, the soonest lines' first), and whether that is all of them. One Query of
    the resource's index of order lines (`RESORD#`, per shard) over the lines that start from
    the first bucket's local date (a night's: up to `MAX_NIGHTS` before, a stay covering it)
    to the last's, and their orders in BatchGetItems of 100 until enough are found. The
    tenant's day sheets read every order of every day instead: 8 to 17 Queries a day, and up to
    120 days a resource made a zone change on a busy hotel take minutes."""
    tz = ctx.tenant.timezone
    wanted = {BucketRef(resource.id, key) for key in keys}
    days = sorted({_key_local_date(key, tz) for key in keys})
    # How far back a line holding these buckets may start: a stay's nights, and a timed
    # booking's day or two (one past midnight holds the next day's slots: a tester's refusal
    # named no order, "complete", for a Friday 23:00 table whose Saturday hours went).
    back = MAX_NIGHTS if any(key.startswith("N#") for key in keys) else 0
    back = max(back, TIMED_DAYS_BACK if any(key.startswith("S#") for key in keys) else 0)
    lines, whole = ctx.data.orders.resource_lines(
        resource.id,
        resource.shards,
        low=iso_utc(day_bounds(days[0] - timedelta(days=back), tz)[0]),
        high=iso_utc(day_bounds(days[-1], tz)[1]),
        ends_after=iso_utc(day_bounds(days[0], tz)[0]),  # ended before: holds none of them
        limit=MAX_LOOKUP_LINES,
        consistent=consistent,
    )
    ids = list(dict.fromkeys(line.order_id for line in lines))
    found: list[str] = []
    for n in range(0, len(ids), ORDERS_PER_READ):
        batch = ids[n : n + ORDERS_PER_READ]
        orders = ctx.data.orders.get_many(batch, consistent=consistent)
        found += [
            i
            for i in batch
            if (o := orders.get(i)) is not None
            and o.holds_inventory
            and any(t.bucket in wanted for t in o.takes)
            and keep(o)
        ]
        if len(found) >= NAMED_ORDERS:
            more = n + ORDERS_PER_READ < len(ids) or len(found) > NAMED_ORDERS
            return sorted(found[:NAMED_ORDERS]), whole and not more
    return sorted(found), whole


def _key_local_date(key: str, tz: str) -> date:
    if key.startswith("N#"):
        return date.fromisoformat(key[2:])
    return to_local(parse_iso_utc(split_shard(key)[0][2:]), tz).date()


def check_definition(resource: Resource, tz: str, today: date) -> None:
    """The domain's rules, and those of the kind: a timed resource's grid must fall on the
    zone's wall clock and its hours on the grid (a slot is either inside hours or not)."""
    validate_resource(resource)
    if len(resource.overrides) > MAX_OVERRIDES:
        raise InvalidInput(
            f"A resource has at most {MAX_OVERRIDES} date overrides.", code="too_many_overrides"
        )
    if resource.kind is ResourceKind.TIMED:
        if not grid_fits_zone(resource.slot_minutes, tz, today):
            raise InvalidInput(
                f"The {resource.slot_minutes}-minute grid does not fit the tenant's time zone "
                f"({tz}); choose a grid that divides its UTC offsets.",
                code="slot_grid_misfits_zone",
                field="slot_minutes",
            )
        spans = [s for day in resource.hours for s in day] + [
            s for o in resource.overrides.values() for s in (o.hours or ())
        ]
        if any(m % resource.slot_minutes for span in spans for m in span):
            raise InvalidInput(
                f"Hours start and end on the {resource.slot_minutes}-minute grid.",
                code="hours_off_grid",
                field="hours",
            )
    starts = [m for day in resource.session_times for m in day] + [
        m for o in resource.overrides.values() for m in (o.session_times or ())
    ]
    if any(not 0 <= m < MINUTES_PER_DAY for m in starts):
        raise InvalidInput("Session times are within the day.", code="invalid_session_time")


def today(ctx: CatalogContext) -> date:
    return local_date(parse(ctx.now()), ctx.tenant.timezone)
