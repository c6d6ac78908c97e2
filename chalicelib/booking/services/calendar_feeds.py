"""Calendar feeds per resource (a room, a table, a staff member): issue, revoke, read.

Reading a feed is a public request: the token in the URL is the only credential. Every
failure (malformed token, unknown tenant, revoked or replaced token) is the same 404, so the
answer says nothing about which part was wrong.
"""

from __future__ import annotations

import secrets as random_tokens
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from chalicelib.booking.domain.feeds import FeedEntry, FeedToken, StayHours, entries, window
from chalicelib.booking.domain.order_search import local_midnight
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.services.order_ports import BookingContext, BookingData
from chalicelib.catalog.domain.catalog import MAX_NIGHTS, Resource, ResourceKind
from chalicelib.kernel.domain.calendar import iso_utc
from chalicelib.kernel.domain.errors import NotFound
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.untrusted import same_secret
from chalicelib.kernel.domain.values import value
from chalicelib.kernel.services.context import TenantContext
from chalicelib.kernel.services.ports import Clock, IdFactory
from chalicelib.kernel.services.tenant_data_ports import DataFactory
from chalicelib.tenancy.services.platform_ports import PlatformRepository

FEED_PATH = "/v1/calendar/{token}.ics"
FEED_LINES = 20_000  # a resource's bookings over the window: more than a small business has


def _resource(ctx: BookingContext, resource_id: str) -> Resource:
    resource = ctx.data.catalog.get_resource(resource_id)
    if resource is None:
        raise NotFound("No such resource.", code="resource_not_found", resource_id=resource_id)
    return resource


def issue_feed(ctx: BookingContext, resource_id: str) -> tuple[str, str]:
    """A new feed token for the resource (replacing, and so revoking, any earlier one);
    returns (token, created_at). The token is shown once."""
    resource = _resource(ctx, resource_id)
    token = FeedToken(ctx.tenant.id, resource.id, random_tokens.token_urlsafe(32))
    at = ctx.now()
    ctx.data.calendar_feeds.put(resource.id, token.digest, at=at, by=ctx.actor.label)
    ctx.audit("calendar_feed.issued", f"resource:{resource.id}")
    return str(token), at


def feed_info(ctx: BookingContext, resource_id: str) -> dict[str, str]:
    _resource(ctx, resource_id)
    feed = ctx.data.calendar_feeds.get(resource_id)
    if feed is None:
        raise NotFound("The resource has no calendar feed.", code="feed_not_found")
    return {"resource_id": resource_id, **{k: feed[k] for k in ("created_at", "created_by")}}


def revoke_feed(ctx: BookingContext, resource_id: str) -> None:
    _resource(ctx, resource_id)
    if not ctx.data.calendar_feeds.delete(resource_id):
        raise NotFound("The resource has no calendar feed.", code="feed_not_found")
    ctx.audit("calendar_feed.revoked", f"resource:{resource_id}")


def feed_url(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + FEED_PATH.format(token=token)


def _gone() -> NotFound:
    return NotFound("No such calendar feed.", code="feed_not_found")


def open_feed(
    text: str,
    *,
    platform: PlatformRepository,
    data_factory: DataFactory[BookingData],
    now: Clock,
    new_id: IdFactory,
) -> tuple[BookingContext, str]:
    """The tenant context and resource id a feed token grants, or NotFound."""
    from chalicelib.kernel.domain.audit import Actor

    token = FeedToken.parse(text)
    if token is None:
        raise _gone()
    tenant = platform.get_tenant(token.tenant_id)
    if tenant is None or not tenant.is_active:
        raise _gone()
    actor = Actor(kind="calendar_feed", id=token.resource_id, tenant_id=tenant.id)
    ctx = TenantContext(
        tenant=tenant, actor=actor, data_factory=data_factory, now=now, new_id=new_id
    )
    feed = ctx.data.calendar_feeds.get(token.resource_id)
    if feed is None or not same_secret(token.digest, feed["token_hash"]):
        raise _gone()
    return ctx, token.resource_id


def feed_entries(ctx: BookingContext, resource_id: str) -> tuple[str, list[FeedEntry], list[date]]:
    """The resource's name, its feed entries, and the local dates the feed covers: the
    resource's own index over the window (one Query per shard, as the day sheet reads one
    day), then its orders. It read the tenant's day index day by day: 105 Queries of every
    booking of the business for one staff member's calendar, polled by each calendar app."""
    resource = _resource(ctx, resource_id)
    tz = ctx.tenant.timezone
    today = datetime.fromtimestamp(parse(ctx.now()).timestamp(), ZoneInfo(tz))
    days = window(today.date())
    back = MAX_NIGHTS if resource.kind is ResourceKind.NIGHTLY else 0  # a stay begun before
    begins = iso_utc(local_midnight(days[0], tz))
    lines, _ = ctx.data.orders.resource_lines(
        resource.id,
        resource.shards,
        low=iso_utc(local_midnight(days[0] - timedelta(days=back), tz)),
        high=iso_utc(local_midnight(days[-1] + timedelta(days=1), tz)),
        ends_after=begins,
        limit=FEED_LINES,
    )
    orders: dict[str, Order] = ctx.data.orders.get_many(
        list(dict.fromkeys(e.order_id for e in lines))
    )
    # Stays from the business's check-in to its check-out time (business.check_in_time).
    business = ctx.tenant.settings.business
    hours = StayHours(ctx.tenant.timezone, business.check_in, business.check_out)
    found = entries(list(orders.values()), resource.id, f"{ctx.tenant.id}.reservoir", hours)
    return resource.name, found, days


@value
class FeedContents:
    """What one feed request shows: the resource's bookings over the window, and what the
    iCalendar rendering needs to stamp them (the tenant's zone, the time of reading)."""

    resource_id: str
    name: str
    entries: list[FeedEntry]
    days: list[date]
    timezone: str
    now: str


def read_feed(
    text: str,
    *,
    platform: PlatformRepository,
    data_factory: DataFactory[BookingData],
    now: Clock,
    new_id: IdFactory,
) -> FeedContents:
    """The public read: open the feed the token grants (404 for any failure), then its entries."""
    ctx, resource_id = open_feed(
        text, platform=platform, data_factory=data_factory, now=now, new_id=new_id
    )
    name, found, days = feed_entries(ctx, resource_id)
    return FeedContents(resource_id, name, found, days, ctx.tenant.timezone, ctx.now())
