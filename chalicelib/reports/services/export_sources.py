"""Each kind's rows, read by Query only (never a Scan), a page or a day at a time so the
whole never sits in memory:

- orders: day by day from `first` to `last`, each day's orders from the day index (booking's
  `on_day`: gsi8 `DAY#<local date>#<n>`, the day of the order's first line), in start order,
  a few days read ahead on threads while the rows are written;
- payments: the payment and refund records of those same orders (the orders served in the
  range, with every record they hold, whenever it was made);
- customers: every live customer record through the customers' own listing
  (`segments.walk`: the keys-only `CUSALL#<n>` entries, records by BatchGetItem).

- figures: the report's day rows of each basis (booked, service, paid) from `first` to
  `last` (one Query per basis: reports/services/report.py), a row per basis, day and currency.

`sources` maps a kind to its source (a kind without a source is refused before a job is
written); the figures name offerings and resources through the catalog cache it is handed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from zoneinfo import ZoneInfo

from chalicelib.booking.domain.feeds import StayHours
from chalicelib.booking.domain.orders import Order
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.customers.services.segments import walk
from chalicelib.reports.domain.export_cells import Row
from chalicelib.reports.domain.export_figures import BASES, FIGURE_COLUMNS, figure_rows
from chalicelib.reports.domain.export_rows import (
    CUSTOMER_COLUMNS,
    ORDER_COLUMNS,
    PAYMENT_COLUMNS,
    customer_row,
    order_row,
    payment_rows,
)
from chalicelib.reports.domain.exports import ExportKind, days
from chalicelib.reports.services.export_ports import ExportsContext, RowSource
from chalicelib.reports.services.report import figures_rows

LOOKAHEAD = 4  # days read ahead of the one being written


def _orders(ctx: ExportsContext, first: str | None, last: str | None) -> Iterator[Order]:
    """The orders day by day, in order; the next `LOOKAHEAD` days read meanwhile, so the
    waits on DynamoDB overlap the writing (at most that many days more in memory)."""
    assert first is not None and last is not None
    store = ctx.data.orders
    with ThreadPoolExecutor(LOOKAHEAD, thread_name_prefix="export-read") as pool:
        pending: deque[Future[list[Order]]] = deque()
        for day in days(first, last):
            pending.append(pool.submit(store.on_day, day))
            if len(pending) > LOOKAHEAD:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _stay_hours(ctx: ExportsContext) -> StayHours:
    """A stay's start and end are the business's check-in and check-out times, as its
    calendar feed shows them (business.check_in_time)."""
    business = ctx.tenant.settings.business
    return StayHours(ctx.tenant.timezone, business.check_in, business.check_out)


class OrderRows:
    columns = ORDER_COLUMNS

    def rows(self, ctx: ExportsContext, first: str | None, last: str | None) -> Iterator[Row]:
        zone, hours = ZoneInfo(ctx.tenant.timezone), _stay_hours(ctx)
        for order in _orders(ctx, first, last):
            yield order_row(order, zone, hours)


class PaymentRows:
    columns = PAYMENT_COLUMNS

    def rows(self, ctx: ExportsContext, first: str | None, last: str | None) -> Iterator[Row]:
        zone, hours = ZoneInfo(ctx.tenant.timezone), _stay_hours(ctx)
        for order in _orders(ctx, first, last):
            yield from payment_rows(order, zone, hours)


class CustomerRows:
    columns = CUSTOMER_COLUMNS

    def rows(self, ctx: ExportsContext, first: str | None, last: str | None) -> Iterator[Row]:
        zone = ZoneInfo(ctx.tenant.timezone)
        for _, record in walk(ctx):
            yield customer_row(record, zone, ctx.tenant.currency)


class FigureRows:
    columns = FIGURE_COLUMNS

    def __init__(self, cache: CatalogCache) -> None:
        self._cache = cache

    def rows(self, ctx: ExportsContext, first: str | None, last: str | None) -> Iterator[Row]:
        assert first is not None and last is not None
        start, end = date.fromisoformat(first), date.fromisoformat(last)
        for basis in BASES:
            for row in figures_rows(ctx, self._cache, basis=basis, first=start, last=end):
                yield from figure_rows(basis, row)


def sources(cache: CatalogCache) -> dict[ExportKind, RowSource]:
    return {
        ExportKind.ORDERS: OrderRows(),
        ExportKind.PAYMENTS: PaymentRows(),
        ExportKind.CUSTOMERS: CustomerRows(),
        ExportKind.FIGURES: FigureRows(cache),
    }
