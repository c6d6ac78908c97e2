"""Availability: which placements of an offering are free over a window, read from the
catalog snapshot and the buckets' used units (one Query per candidate resource over the
window; the domain's list_options does the rest). Bucket reading lives here too, since
planning a hold reads the buckets the same way (booking/services/line_planning.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from chalicelib.booking.domain.availability import list_options
from chalicelib.booking.domain.closed_dates import open_options
from chalicelib.booking.domain.placement import Placement
from chalicelib.booking.services.chosen import check_chosen
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.catalog.domain.catalog import Offering, Resource, ResourceKind
from chalicelib.catalog.domain.inventory import Take, session_key, window_bounds
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.calendar import day_bounds, days, iso_utc, local_date, local_instant
from chalicelib.kernel.domain.errors import InvalidInput, NotFound
from chalicelib.kernel.domain.timefmt import parse

MAX_WINDOW_DAYS = 62
MAX_KEYED_READ = 300  # shard keys read by BatchGetItem (3 requests) rather than shard Queries
Used = dict[str, dict[str, int]]


def now_utc(ctx: BookingContext) -> datetime:
    return parse(ctx.now())


# -- reading buckets -------------------------------------------------------------------------


def bucket_bounds(
    kind: ResourceKind, first: date, last_exclusive: date, tz: str, pad_minutes: int
) -> tuple[str, str]:
    if kind is ResourceKind.NIGHTLY:
        return window_bounds(
            kind, first.isoformat(), (last_exclusive - timedelta(days=1)).isoformat()
        )
    start = day_bounds(first, tz)[0] - timedelta(minutes=pad_minutes)
    end = day_bounds(last_exclusive - timedelta(days=1), tz)[1] + timedelta(minutes=pad_minutes)
    return window_bounds(kind, iso_utc(start), iso_utc(end))


def load_used(
    ctx: BookingContext,
    candidates: Iterable[Iterable[Resource]],
    *,
    first: date,
    last_exclusive: date,
    pad_minutes: int = 0,
    consistent: bool = False,
) -> Used:
    """Used units of every candidate resource over the window: one Query per resource. A
    sharded session's buckets are read by key (BatchGetItem: its sessions in the window times its
    shards) when they are few, as for a hold's day, else with one Query per shard."""
    used: Used = {}
    store = ctx.data.orders
    tz = ctx.tenant.timezone
    for resource in {r.id: r for group in candidates for r in group}.values():
        lo, hi = bucket_bounds(resource.kind, first, last_exclusive, tz, pad_minutes)
        keys = shard_keys(resource, first, last_exclusive, tz, (lo, hi))
        if keys is not None and len(keys) <= MAX_KEYED_READ:
            used[resource.id] = store.used_at(resource.id, keys, consistent=consistent)
            continue
        used[resource.id] = store.used(
            resource.id, lo, hi, consistent=consistent, shards=resource.shards
        )
    return used


def shard_keys(
    resource: Resource, first: date, last_exclusive: date, tz: str, bounds: tuple[str, str]
) -> list[str] | None:
    """Every shard key of a sharded session's sessions whose bucket lies within `bounds`
    (None for any other resource)."""
    if resource.kind is not ResourceKind.SESSION or resource.shards == 1:
        return None
    keys = []
    for day in days(first - timedelta(days=1), last_exclusive + timedelta(days=1)):
        for minute in resource.sessions_on(day):
            instant = local_instant(day, minute, tz)
            if instant is not None and bounds[0] <= session_key(instant) <= bounds[1]:
                keys += [session_key(instant, n) for n in range(resource.shards)]
    return keys


def reach_minutes(offering: Offering, candidates: Sequence[Sequence[Resource]]) -> int:
    """How far past a day's edges a booking that starts that day can reach, in minutes."""
    session = max(
        (r.session_minutes for g in candidates for r in g if r.kind is ResourceKind.SESSION),
        default=0,
    )
    return offering.buffer_before + max(offering.duration_minutes, session) + offering.buffer_after


# -- availability ----------------------------------------------------------------------------


def check_window(first: date, last_exclusive: date, today: date) -> None:
    if last_exclusive <= first:
        raise InvalidInput("`to` must be after `from`.", code="invalid_window")
    if (last_exclusive - first).days > MAX_WINDOW_DAYS:
        raise InvalidInput(f"A window is at most {MAX_WINDOW_DAYS} days.", code="window_too_large")
    if last_exclusive <= today:
        raise InvalidInput("The window has passed.", code="date_in_past")


def availability(
    ctx: BookingContext,
    cache: CatalogCache,
    *,
    offering_id: str,
    first: date,
    last_exclusive: date,
    party: int | None,
    nights: int = 1,
    quantity: int = 1,
    resource: str | None = None,
    moving: str | None = None,
    online: bool = True,
) -> tuple[Offering, list[Placement]]:
    """The offering's options in the window; with `resource`, only those its first
    requirement is served by that resource in (a customer choosing their stylist); `moving`:
    an order being moved, whose own units count as free, as its reschedule counts them;
    `online`: the widget's, held to the offering's notice and to the dates the business marked
    closed; false for the desk (staff and secret keys book from now, a closed date too)."""
    tz = ctx.tenant.timezone
    now = now_utc(ctx)
    today = local_date(now, tz)
    check_window(first, last_exclusive, today)
    first = max(first, today)
    snapshot = cache.get(ctx.tenant.id, ctx.data.catalog)
    offering = snapshot.offering(offering_id)
    party = offering.party_min if party is None else party
    if not offering.party_min <= party <= offering.party_max:
        raise InvalidInput(
            f"Party size is {offering.party_min} to {offering.party_max}.",
            code="invalid_party_size",
        )
    candidates = snapshot.candidates(offering)
    if resource is not None:
        check_chosen({0: resource}, offering, candidates, snapshot)
        candidates[0] = [r for r in candidates[0] if r.id == resource]
    extra_nights = nights - 1 if offering.kind is ResourceKind.NIGHTLY else 0
    used = load_used(
        ctx,
        candidates,
        first=first,
        last_exclusive=last_exclusive + timedelta(days=extra_nights),
        pad_minutes=reach_minutes(offering, candidates),
    )
    if moving is not None:
        order = ctx.data.orders.get(moving)
        if order is None:
            raise NotFound("No such order.", code="order_not_found", order_id=moving)
        free_own(used, order.takes)
    placements = list_options(
        offering,
        candidates,
        used,
        first=first,
        last_exclusive=last_exclusive,
        party=party,
        tz=tz,
        now=now,
        nights_count=nights,
        quantity=quantity,
        notice=online,
    )
    if online:
        placements = open_options(ctx.tenant.settings.opening_hours.closed_dates, placements)
    return offering, placements


def free_own(used: Used, takes: Iterable[Take]) -> None:
    """An order's own units counted as free where they were read: half an hour later with the
    same stylist overlaps the appointment being moved, and is open to it."""
    for take in takes:
        held = used.get(take.bucket.resource_id)
        if held is not None and take.bucket.key in held:
            held[take.bucket.key] -= take.units
