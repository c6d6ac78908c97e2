"""Which orders a bulk job acts on (booking/services/bulk_jobs.py): chosen by ids, by a search
(`GET /v1/orders`'s filters, page by page), by a resource's day (its arrivals, appointments
and sessions) or by one session; at most one more than a job takes, so too many is said.
"""

from __future__ import annotations

from datetime import date, datetime

from chalicelib.booking.domain.bulk import MAX_BULK_ORDERS
from chalicelib.booking.domain.order_search import OrderSearch
from chalicelib.booking.services.day_sheet import resource_day
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.booking.services.order_search import search_orders
from chalicelib.catalog.domain.catalog import Resource, ResourceKind
from chalicelib.kernel.domain.calendar import iso_utc, local_instant
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.values import value

SEARCH_PAGE = 100


@value
class OrderChoice:
    """Which orders: `order_ids`; or `search`; or every booking of `resource_id` on `day`
    (its arrivals, appointments and sessions), or of its one session at `session` (local
    wall clock)."""

    order_ids: tuple[str, ...] = ()
    search: OrderSearch | None = None
    resource_id: str | None = None
    day: date | None = None
    session: datetime | None = None


def choose(
    ctx: BookingContext, choice: OrderChoice, *, consistent: bool = False
) -> tuple[tuple[str, ...], str, tuple[str, str]]:
    """The orders' ids, in order and once each (at most one more than a job takes, so too
    many is said), how they were chosen (by one thing only), and, chosen by a session or a
    day, what they were chosen on: the resource and the session's start (UTC) or the day."""
    ways = [bool(choice.order_ids), choice.search is not None, choice.resource_id is not None]
    if sum(ways) > 1 or (choice.day is not None and choice.session is not None):
        raise InvalidInput(
            "Choose the orders one way: `order_ids`, `search`, or `resource_id` with `date` "
            "or `session`.",
            code="invalid_choice",
        )
    if choice.order_ids:
        return tuple(dict.fromkeys(choice.order_ids)), "ids", ("", "")
    if choice.search is not None:
        return _searched(ctx, choice.search), "search", ("", "")
    if choice.resource_id is not None and (choice.day or choice.session):
        day = choice.session.date() if choice.session else choice.day
        assert day is not None
        sheet = resource_day(ctx, choice.resource_id, day, consistent=consistent)
        if choice.session is None:
            lines = [dl for dl in sheet.lines if dl.role in ("arrival", "appointment", "session")]
            ids = tuple(dict.fromkeys(dl.order.id for dl in lines))
            return ids, "day", (choice.resource_id, day.isoformat())
        start = _session_start(choice.session, ctx.tenant.timezone, sheet.resource)
        lines = [dl for dl in sheet.lines if dl.role == "session" and dl.line.start == start]
        return (
            tuple(dict.fromkeys(dl.order.id for dl in lines)),
            "session",
            (choice.resource_id, start),
        )
    raise InvalidInput(
        "Choose the orders: `order_ids`, `search`, or `resource_id` with `date` or `session`.",
        code="no_choice",
    )


def _session_start(local: datetime, tz: str, resource: Resource) -> str:
    """A departure's time is one it has (a tester's 09:00 for an 08:00 was `no_orders`)."""
    minute, day = local.hour * 60 + local.minute, local.date()
    instant = local_instant(day, minute, tz)
    if instant is None:
        raise InvalidInput("The clocks skip that time that day.", code="nonexistent_time")
    if resource.kind is ResourceKind.SESSION and minute not in resource.sessions_on(day):
        raise InvalidInput(
            f"On {day.isoformat()} there is no session at {local:%H:%M}.", code="no_such_session"
        )
    return iso_utc(instant)


def _searched(ctx: BookingContext, search: OrderSearch) -> tuple[str, ...]:
    ids: dict[str, None] = {}
    after: str | None = None
    while len(ids) <= MAX_BULK_ORDERS:
        page = search_orders(ctx, search, after=after, limit=SEARCH_PAGE)
        ids.update((o.id, None) for o in page.orders)
        if page.next is None:
            break
        after = page.next
    return tuple(ids)[: MAX_BULK_ORDERS + 1]
