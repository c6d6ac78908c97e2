"""The columns of each export and a row of each, from an order or a customer record.

Money is whole numbers in minor units (cents, pence; yen have none) with the currency in its
own column, as the API gives it: exact, and summed as numbers in a spreadsheet. Times are the
tenant's wall clock (export_cells.py). Text cells are made safe when the file is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

from chalicelib.booking.domain.feeds import StayHours, line_span
from chalicelib.booking.domain.order_money import balance, received, refunded
from chalicelib.booking.domain.orders import Order
from chalicelib.customers.domain.records import CustomerRecord
from chalicelib.reports.domain.export_cells import Row, local_time

UTC_ZONE = ZoneInfo("UTC")

ORDER_COLUMNS = (
    "order_id",
    "status",
    "payment_status",
    "channel",
    "offerings",
    "resources",
    "start_local",
    "end_local",
    "party",
    "customer_name",
    "customer_email",
    "customer_phone",
    "total_minor",
    "paid_minor",
    "refunded_minor",
    "balance_minor",
    "currency",
    "booked_at_local",
    # The same instants in UTC: a wall clock in the autumn's repeated hour names two instants
    # (an outside tester's 60-minute cut read 01:30 to 01:30). Last, so columns read by their
    # place before stay where they were.
    "start_utc",
    "end_utc",
)

PAYMENT_COLUMNS = (
    "order_id",
    "record",
    "record_id",
    "kind",
    "method",
    "status",
    "amount_minor",
    "received_minor",
    "currency",
    "at_local",
    "reference",
    "taken_by",
    "customer_name",
    "order_start_local",
    # A desk payment's tip, on top of its amount: the staff's money, not the order's (the
    # takings count it apart). Last, so columns read by their place stay where they were.
    "tip_minor",
)

CUSTOMER_COLUMNS = (
    "customer_id",
    "name",
    "email",
    "phone",
    "language",
    "birthday",
    "tags",
    "marketing_consent",
    "bookings",
    "visits",
    "spend_minor",
    "cancellations",
    "no_shows",
    "currency",
    "first_visit_local",
    "last_visit_local",
    "created_at_local",
)


def _unique(names: Iterator[str]) -> str:
    return "; ".join(dict.fromkeys(n for n in names if n))


def order_span(order: Order, hours: StayHours) -> tuple[str, str]:
    """The order's start and end as stored instants; a stay's from the business's check-in
    time to its check-out time: its stored instants are its dates' midnights, and a hotel's
    export said every guest arrived and left at 00:00 (a session's finding)."""
    if not any(line.nights for line in order.lines):
        return order.start, order.end
    spans = [line_span(line, hours) for line in order.lines]
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    return first.isoformat(), last.isoformat()


def order_row(order: Order, zone: ZoneInfo, hours: StayHours) -> Row:
    start, end = order_span(order, hours)
    return (
        order.id,
        order.status.value,
        order.payment_status.value,
        order.channel.value,
        _unique(line.offering_name for line in order.lines),
        _unique(a.resource_name for line in order.lines for a in line.allocations),
        local_time(start, zone),
        local_time(end, zone),
        sum(line.party for line in order.lines),
        order.customer.name,
        order.customer.email,
        order.customer.phone or "",
        order.total,
        received(order),
        refunded(order),
        balance(order),
        order.currency,
        local_time(order.created_at, zone),
        local_time(start, UTC_ZONE),
        local_time(end, UTC_ZONE),
    )


def payment_rows(order: Order, zone: ZoneInfo, hours: StayHours) -> Iterator[Row]:
    """One row per payment record of the order, then one per refund record. A payment's time
    is when it reached its status (`updated_at`): for money received, when it arrived, as
    the dashboard's "Day paid" counts it; its creation was when the card form opened, or an
    authorisation captured weeks later (an outside tester's reconciliation failed on it)."""
    start = local_time(order_span(order, hours)[0], zone)
    for p in order.payments:
        yield (
            order.id,
            "payment",
            p.id,
            p.kind.value,
            p.method.value,
            p.status.value,
            p.amount,
            p.received,
            order.currency,
            local_time(p.updated_at or p.created_at, zone),
            p.reference,
            p.taken_by,
            order.customer.name,
            start,
            p.tip,
        )
    for r in order.refunds:
        yield (
            order.id,
            "refund",
            r.id,
            "refund",
            r.method.value,
            r.status,
            r.amount,
            None,
            order.currency,
            local_time(r.at, zone),
            r.reason,  # a refund's reference is why it was made, as the takings show it
            r.taken_by,
            order.customer.name,
            start,
            0,
        )


def customer_row(record: CustomerRecord, zone: ZoneInfo, currency: str) -> Row:
    profile, figures = record.profile, record.figures
    consent = None if record.consent is None else ("yes" if record.consent.granted else "no")
    return (
        record.id,
        profile.name,
        profile.email,
        profile.phone,
        profile.language or profile.locale,
        profile.birthday,
        "; ".join(record.tags),
        consent,
        figures.bookings,
        figures.visits,
        figures.spend,
        figures.cancellations,
        figures.no_shows,
        currency,
        local_time(figures.first_visit, zone),
        local_time(figures.last_visit, zone),
        local_time(record.created_at, zone),
    )
