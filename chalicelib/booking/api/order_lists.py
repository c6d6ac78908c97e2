"""Finding orders: the search (`GET /v1/orders`) and a resource's day (the desk's sheet)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.booking.api.day_sheet_replies import day_sheet_out
from chalicelib.booking.domain.order_cursor import decode_cursor, encode_cursor
from chalicelib.booking.services.order_search import search_orders
from chalicelib.tenancy.domain.staff import READ
from chalicelib.tenancy.services.phones import allowed_sms_countries, home_region
from chalicelib.web.route_spec import BOOKINGS
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.booking.api.search_models import (
        DaySheetOut,
        OrderPageOut,
    )

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/orders",
    "GET",
    summary="Search orders",
    tag="orders",
    roles=READ,
    scopes=BOOKINGS,
    query="chalicelib.booking.api.search_models:OrderSearchQueryIn",
    response="chalicelib.booking.api.search_models:OrderPageOut",
    description=(
        "One filter drives the search through its index, in this order: `reference`, `email`, "
        "`phone`, `resource`, `name` (sorted by name), `created_from`/`created_to` (sorted by "
        "creation), else the start dates `from`/`to` (`date` for one day; today and the next "
        "30 days when nothing is given). The other filters narrow what that index yields. "
        "Sorted by start unless said; `order=desc` reverses. A page looks at no more than 500 "
        "orders, so a narrow filter over a wide range may return a short page with a cursor."
    ),
)
def list_orders(call: Call) -> OrderPageOut:
    from chalicelib.booking.api.booking_models import order_out
    from chalicelib.booking.api.search_models import OrderPageOut

    search = call.query.to_search(home_region(call.ctx.tenant))
    after = decode_cursor(search, call.query.cursor) if call.query.cursor else None
    page = search_orders(call.ctx, search, after=after, limit=call.query.limit)
    tz = call.ctx.tenant.timezone
    sms = allowed_sms_countries(call.ctx.tenant)
    return OrderPageOut(
        data=[order_out(o, tz, sms_countries=sms) for o in page.orders],
        next_cursor=encode_cursor(search, page.next) if page.next is not None else None,
        sorted_by=page.sorted_by.value,
        start_window=window_out(page.window),
    )


@route(
    bp,
    "/v1/resources/{resource_id}/day",
    "GET",
    summary="A resource's day: arrivals, departures and stays; appointments; a manifest",
    tag="orders",
    roles=READ,
    scopes=BOOKINGS,
    query="chalicelib.booking.api.search_models:DayQueryIn",
    response="chalicelib.booking.api.search_models:DaySheetOut",
)
def get_resource_day(call: Call) -> DaySheetOut:
    return day_sheet_out(call.ctx, call.path["resource_id"], call.query.day)


def window_out(window: tuple[date, date] | None) -> dict[str, str] | None:
    if window is None:
        return None
    return {"from": window[0].isoformat(), "to": window[1].isoformat()}
