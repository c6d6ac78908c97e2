"""Finding orders: the search (`GET /v1/orders`) and a resource's day (the desk's sheet)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.booking.domain.order_search import decode_cursor, encode_cursor
from chalicelib.booking.services.day_sheet import DayLine, resource_day
from chalicelib.booking.services.order_search import search_orders
from chalicelib.catalog.domain.catalog import ResourceKind
from chalicelib.kernel.domain.calendar import hhmm, parse_iso_utc, to_local
from chalicelib.tenancy.domain.staff import READ
from chalicelib.tenancy.services.phones import allowed_sms_countries
from chalicelib.web.route_spec import BOOKINGS
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.booking.api.search_models import (
        DayLineOut,
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

    search = call.query.to_search()
    after = decode_cursor(search, call.query.cursor) if call.query.cursor else None
    page = search_orders(call.ctx, search, after=after, limit=call.query.limit)
    tz = call.ctx.tenant.timezone
    sms = allowed_sms_countries(call.ctx.tenant)
    return OrderPageOut(
        data=[order_out(o, tz, sms_countries=sms) for o in page.orders],
        next_cursor=encode_cursor(search, page.next) if page.next is not None else None,
        sorted_by=page.sorted_by.value,
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
    from chalicelib.booking.api.search_models import DaySheetOut, OpenSpanOut, SessionOut

    sheet = resource_day(call.ctx, call.path["resource_id"], call.query.day)
    tz = call.ctx.tenant.timezone
    timed = sheet.resource.kind is ResourceKind.TIMED

    def of(role: str) -> list[DayLineOut]:
        return [_line_out(dl, tz, sheet.day) for dl in sheet.lines if dl.role == role]

    return DaySheetOut(
        resource_id=sheet.resource.id,
        resource_name=sheet.resource.name,
        kind=sheet.resource.kind.value,
        date=sheet.day.isoformat(),
        hours=[
            OpenSpanOut(start=hhmm(a), end=hhmm(b))
            for a, b in (sheet.resource.hours_on(sheet.day) if timed else ())
        ],
        arrivals=of("arrival"),
        departures=of("departure"),
        in_house=of("in_house"),
        appointments=of("appointment"),
        sessions=[
            SessionOut(
                start=s.local_start,
                start_utc=s.start,
                end=s.local_end,
                capacity=s.capacity,
                booked=s.booked,
                lines=[_line_out(dl, tz, sheet.day) for dl in s.lines],
            )
            for s in sheet.sessions
        ],
        complete=sheet.complete,
    )


def _line_out(dl: DayLine, tz: str, day: date) -> DayLineOut:
    from chalicelib.booking.api.search_models import DayCustomerOut, DayLineOut
    from chalicelib.catalog.api.question_models import AnswersOut

    order, line = dl.order, dl.line
    return DayLineOut(
        role=dl.role,  # type: ignore[arg-type]
        order_id=order.id,
        status=order.status.value,
        payment_status=order.payment_status.value,
        customer=DayCustomerOut(
            name=order.customer.name, email=order.customer.email, phone=order.customer.phone
        ),
        offering_id=line.offering_id,
        offering_name=line.offering_name,
        start=line.local_start,
        end=to_local(parse_iso_utc(line.end), tz).isoformat(timespec="minutes"),
        start_utc=line.start,
        nights=line.nights,
        party=line.party,
        quantity=line.quantity,
        units=dl.units,
        note=order.note,
        total=order.total,
        currency=order.currency,
        answers=None if line.answers.empty else AnswersOut.of(line.answers),
        room=line.room_on(_room_night(dl, day)) if line.rooms else None,
    )


def _room_night(dl: DayLine, day: date) -> str:
    """The night whose room the sheet shows: the day's own, a departure's last one."""
    return (day - timedelta(days=1) if dl.role == "departure" else day).isoformat()
