"""The day sheet as the API answers it (`GET /v1/resources/{id}/day`), and its PDF
(print_routes.py) is drawn from the same answer: a module below both route modules."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from chalicelib.booking.services.day_sheet import DayLine, resource_day
from chalicelib.catalog.domain.catalog import ResourceKind
from chalicelib.kernel.domain.calendar import hhmm, parse_iso_utc, to_local

if TYPE_CHECKING:
    from chalicelib.booking.api.search_models import DayLineOut, DaySheetOut
    from chalicelib.booking.services.order_ports import BookingContext


def day_sheet_out(ctx: BookingContext, resource_id: str, day: date) -> DaySheetOut:
    """The day sheet as the API answers it (its PDF is drawn from this too)."""
    from chalicelib.booking.api.search_models import DaySheetOut, OpenSpanOut, SessionOut

    sheet = resource_day(ctx, resource_id, day)
    tz = ctx.tenant.timezone
    timed = sheet.resource.kind is ResourceKind.TIMED
    for_sale = {hhmm(m) for m in sheet.resource.sessions_for_sale(sheet.day)}
    override = sheet.resource.override(sheet.day)
    called_off = {hhmm(m) for m in (override.called_off if override else ())}

    def of(*roles: str) -> list[DayLineOut]:
        return [_line_out(dl, tz, sheet.day) for dl in sheet.lines if dl.role in roles]

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
        appointments=of("appointment", "carried"),  # begun the day before: its start says so
        sessions=[
            SessionOut(
                start=s.local_start,
                start_utc=s.start,
                end=s.local_end,
                capacity=s.capacity,
                booked=s.booked,
                on_sale=s.local_start[:10] == sheet.day.isoformat()
                and s.local_start[11:16] in for_sale,
                called_off=s.local_start[:10] == sheet.day.isoformat()
                and s.local_start[11:16] in called_off,
                lines=[_line_out(dl, tz, sheet.day) for dl in s.lines],
            )
            for s in sheet.sessions
        ],
        complete=sheet.complete,
        late_until=hhmm(sheet.late_until) if sheet.late_until else None,
    )


def _line_out(dl: DayLine, tz: str, day: date) -> DayLineOut:
    from chalicelib.booking.api.search_models import DayCustomerOut, DayLineOut
    from chalicelib.catalog.api.question_models import AnswersOut

    order, line = dl.order, dl.line
    return DayLineOut(
        role="appointment" if dl.role == "carried" else dl.role,  # type: ignore[arg-type]
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
