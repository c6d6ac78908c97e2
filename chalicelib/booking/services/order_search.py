"""Searching a tenant's orders a page at a time (booking/domain/order_search.py says which
index drives a search and how an order matches).

A page reads the driving index in order and the orders it names (BatchGetItem), keeps those
that match every filter, and stops at `limit` matches, at the end of the index's range, or
when `EXAMINE_LIMIT` entries have been looked at: a search whose filters match little comes
back short with a cursor rather than reading on without bound. Positions are the index's own,
so orders written while a client pages are neither skipped nor repeated: each page resumes
after the last entry the previous one looked at.

A full page looks on for one more match before it offers a cursor (P7A finding 8: a page that
ended where the index's own page ended offered "Show more", which then found nothing): the
cursor resumes after the last order returned, so that next match is the next page's first.
The page also says the start dates it searched (`window`), the 30 days from today when no
dates were given, so that a client can say which bookings it did not look at.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from chalicelib.booking.domain.order_search import (
    ByEmail,
    ByResource,
    ByStartDay,
    OrderSearch,
    SortedBy,
)
from chalicelib.booking.domain.orders import Order
from chalicelib.booking.services.order_ports import BookingContext
from chalicelib.kernel.domain.calendar import local_date
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value

MAX_LIMIT = 100
EXAMINE_LIMIT = 500  # index entries one page may look at
INDEX_PAGES = 4  # index pages one page may read (each bounded by the store: 90 Queries)


@value
class SearchPage:
    orders: tuple[Order, ...]
    next: str | None  # the position to resume after; None: nothing further
    sorted_by: SortedBy
    window: tuple[date, date] | None = None  # the start dates searched, when dates drove it


def today(ctx: BookingContext) -> date:
    return local_date(parse(ctx.now()), ctx.tenant.timezone)


MERGE_HOPS = 5  # a chain of merges followed this far (a loser's winner merged away in turn)


def merged_into(ctx: BookingContext, customer_id: str) -> tuple[str, ...]:
    """The customers `customer_id` was merged into, the winner's own winner after it: an
    order a merge moved is in the winner's index, not the e-mail's (an outside tester's
    search by a merged-away e-mail found none of its orders)."""
    found: list[str] = []
    at = customer_id
    while len(found) < MERGE_HOPS and (winner := ctx.data.merges.merged_into(at)):
        if winner in found or winner == customer_id:
            break
        found.append(winner)
        at = winner
    return tuple(found)


def search_orders(
    ctx: BookingContext, search: OrderSearch, *, after: str | None, limit: int
) -> SearchPage:
    why = search.check()
    if why is not None:
        raise InvalidInput(why, code="invalid_filter")
    tz, day = ctx.tenant.timezone, today(ctx)
    index = search.index(tz, day)
    if isinstance(index, ByResource):
        # A sharded session's entries spread over its shards. A resource that does not
        # exist (any more) is a filter that matches what its entries name, if anything.
        resource = ctx.data.catalog.get_resource(index.resource_id)
        shards = resource.shards if resource is not None else 1
        index = ByResource(index.resource_id, shards, index.low, index.high)
    if isinstance(index, ByEmail):
        index = replace(index, merged=merged_into(ctx, index.customer_ids[0]))
    # The start dates the search keeps to: those given, or the default window of a search
    # no other index drives; none for a reference, a name, creation dates, or an e-mail,
    # phone or resource alone.
    dated = search.start_from is not None or search.start_to is not None
    window = search.start_range(day) if dated or isinstance(index, ByStartDay) else None
    found: list[Order] = []
    at: list[str] = []  # the index position of each match
    seen: set[str] = set()
    examined = 0
    position = after
    size = min(MAX_LIMIT, max(limit, 20))
    for _ in range(INDEX_PAGES):
        page = ctx.data.orders.index_page(
            index, after=position, descending=search.descending, limit=size
        )
        orders = ctx.data.orders.get_many([e.order_id for e in page.entries])
        for entry in page.entries:
            position = entry.position
            examined += 1
            order = orders.get(entry.order_id)
            if (
                order is not None
                and order.id not in seen
                and search.matches(order, tz, day)
                and (
                    entry.line_start is None
                    or entry.line_start == search.resource_line_start(order, day)
                )
            ):
                seen.add(order.id)
                found.append(order)
                at.append(entry.position)
            if len(found) > limit:  # one more than the page: there is a next page
                return SearchPage(tuple(found[:limit]), at[limit - 1], search.sorted_by(), window)
        if page.next is None:
            return SearchPage(tuple(found), None, search.sorted_by(), window)
        position = page.next
        if examined >= EXAMINE_LIMIT:
            break
    # Stopped looking: resume after the last order returned, or where the looking stopped.
    resume = at[limit - 1] if len(found) >= limit else position
    return SearchPage(tuple(found[:limit]), resume, search.sorted_by(), window)
