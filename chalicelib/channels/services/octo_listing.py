"""GET /bookings: a partner's bookings by its reseller's reference (one Query of the OCTO
extras' index), by our order id (`supplierReference`: one GetItem), or by the local day they
start (`localDate`, or `localDateStart` to `localDateEnd`, at most 31 days: one Query of the
day index per day). Filters sent together all apply (a reference on a day: that reference's
bookings starting that day). Only the connection's own bookings are answered; nothing named
is BAD_REQUEST, as OCTO's validator expects."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from chalicelib.booking.domain.orders import Order
from chalicelib.channels.domain.connections import Connection
from chalicelib.channels.domain.octo_bookings import OctoExtras
from chalicelib.channels.domain.octo_errors import OctoBadRequest
from chalicelib.channels.services.octo_availability import parse_day
from chalicelib.channels.services.octo_bookings import current
from chalicelib.channels.services.octo_ports import OctoContext
from chalicelib.kernel.domain.calendar import days

MAX_LIST_DAYS = 31


def _mine(order: Order | None, connection: Connection) -> bool:
    return (
        order is not None
        and order.partner is not None
        and (order.partner.connection_id == connection.id)
    )


def _extras(ctx: OctoContext, connection: Connection, order: Order) -> OctoExtras:
    assert order.partner is not None
    uuid = order.partner.reference
    return ctx.data.octo.get(connection.id, uuid) or OctoExtras(uuid=uuid, order_id=order.id)


def list_bookings(
    ctx: OctoContext, connection: Connection, query: Any
) -> list[tuple[Order, OctoExtras]]:
    """The bookings every filter sent names (read by the narrowest, the others applied)."""
    window = _window(query)  # checked first: a bad day is refused whatever else is sent
    found: list[tuple[Order, OctoExtras]] = []
    if query.resellerReference is not None:
        for extras in ctx.data.octo.by_reseller_reference(connection.id, query.resellerReference):
            order = ctx.data.orders.get(extras.order_id) if extras.order_id else None
            if order is not None and _mine(order, connection):
                found.append((order, extras))
    elif query.supplierReference is not None:
        order = ctx.data.orders.get(query.supplierReference)
        if order is not None and _mine(order, connection):
            found.append((order, _extras(ctx, connection, order)))
    elif window is not None:
        for day in days(window[0], window[1] + timedelta(days=1)):
            for order in ctx.data.orders.on_day(day.isoformat()):
                if _mine(order, connection):
                    found.append((order, _extras(ctx, connection, order)))
    else:
        raise OctoBadRequest(
            "Name the bookings: resellerReference, supplierReference, localDate, or "
            "localDateStart and localDateEnd."
        )
    kept = [(o, e) for o, e in found if _matches(o, e, query, window)]
    return [(current(ctx, order), extras) for order, extras in kept]


def _matches(
    order: Order, extras: OctoExtras, query: Any, window: tuple[date, date] | None
) -> bool:
    if query.supplierReference is not None and order.id != query.supplierReference:
        return False
    if window is not None:
        day = date.fromisoformat(order.lines[0].local_date)
        if not window[0] <= day <= window[1]:
            return False
    # A booking read by its reference has it; one read otherwise must have it too.
    reference = query.resellerReference
    return reference is None or extras.reseller_reference == reference


def _window(query: Any) -> tuple[date, date] | None:
    """The days `localDate`, or `localDateStart` to `localDateEnd`, name (None: neither)."""
    if query.localDate is not None:
        if query.localDateStart is not None or query.localDateEnd is not None:
            raise OctoBadRequest(
                "Name the days one way: localDate, or localDateStart and localDateEnd.",
                field="localDate",
            )
        first = last = parse_day(query.localDate, "localDate")
        return first, last
    if query.localDateStart is None and query.localDateEnd is None:
        return None
    first = parse_day(query.localDateStart, "localDateStart")
    last = parse_day(query.localDateEnd, "localDateEnd")
    if last < first or (last - first).days >= MAX_LIST_DAYS:
        raise OctoBadRequest(
            f"localDateStart to localDateEnd is 1 to {MAX_LIST_DAYS} days.",
            field="localDateEnd",
        )
    return first, last
