"""Each kind's rows, read by Query only (never a Scan), a page or a day at a time so the
whole never sits in memory:

- orders: day by day from `first` to `last`, each day's orders from the day index (booking's
  `on_day`: gsi2 `DAY#<local date>#<n>`, the day of the order's first line), in start order;
- payments: the payment and refund records of those same orders (the orders served in the
  range, with every record they hold, whenever it was made);
- customers: every live customer record through the customers' own listing
  (`segments.walk`: the keys-only `CUSALL#<n>` entries, records by BatchGetItem).

`SOURCES` maps a kind to its source; `figures` is the figures slice's, added to it when it is
wired (a kind without a source is refused before a job is written).
"""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

from chalicelib.booking.domain.orders import Order
from chalicelib.customers.services.segments import walk
from chalicelib.reports.domain.export_cells import Row
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


def _orders(ctx: ExportsContext, first: str | None, last: str | None) -> Iterator[Order]:
    assert first is not None and last is not None
    for day in days(first, last):
        yield from ctx.data.orders.on_day(day)


class OrderRows:
    columns = ORDER_COLUMNS

    def rows(self, ctx: ExportsContext, first: str | None, last: str | None) -> Iterator[Row]:
        zone = ZoneInfo(ctx.tenant.timezone)
        for order in _orders(ctx, first, last):
            yield order_row(order, zone)


class PaymentRows:
    columns = PAYMENT_COLUMNS

    def rows(self, ctx: ExportsContext, first: str | None, last: str | None) -> Iterator[Row]:
        zone = ZoneInfo(ctx.tenant.timezone)
        for order in _orders(ctx, first, last):
            yield from payment_rows(order, zone)


class CustomerRows:
    columns = CUSTOMER_COLUMNS

    def rows(self, ctx: ExportsContext, first: str | None, last: str | None) -> Iterator[Row]:
        zone = ZoneInfo(ctx.tenant.timezone)
        for _, record in walk(ctx):
            yield customer_row(record, zone, ctx.tenant.currency)


SOURCES: dict[ExportKind, RowSource] = {
    ExportKind.ORDERS: OrderRows(),
    ExportKind.PAYMENTS: PaymentRows(),
    ExportKind.CUSTOMERS: CustomerRows(),
}
