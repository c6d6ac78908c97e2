"""The calendar file (.ics, RFC 5545) attached to confirmation and change e-mails.

One VEVENT per line of the order, in the tenant's time zone with its VTIMEZONE (so a calendar
shows the right wall clock across daylight-saving changes; checked: kernel/services/
vtimezone.py); a line that starts or ends in the autumn's repeated hour is written in UTC
instead (`kernel/domain/calendar.calendar_times`), as a wall time there would be read as its
first occurrence. The UID is stable per order line and SEQUENCE is the order's version, so a
changed booking's file updates the same entry and a cancellation (STATUS:CANCELLED,
METHOD:CANCEL) removes it. A stay's event runs from the business's check-in time on its arrival
day to its check-out time on its departure day (`business.check_in_time`/`check_out_time`; a
time the day skips: the first instant after it).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from chalicelib.booking.domain.orders import BookingStatus, Line, Order
from chalicelib.kernel.domain.calendar import calendar_times
from chalicelib.kernel.domain.stay_times import stay_span
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.vtimezone import zone_component
from chalicelib.notifications.services.content import contact_of
from chalicelib.notifications.services.content_times import instant_of

PRODID = "-//Reservoir//Bookings//EN"


def _span(tenant: Tenant, line: Line) -> tuple[datetime, datetime]:
    if line.nights:
        first, b = date.fromisoformat(line.local_date), tenant.settings.business
        return stay_span(first, line.nights, b.check_in, b.check_out, tenant.timezone)
    return instant_of(line.start), instant_of(line.end)


def order_calendar(tenant: Tenant, order: Order, *, now: str) -> bytes:
    from icalendar import Calendar, Event

    cancelled = order.status is BookingStatus.CANCELLED
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    address = contact_of(tenant.settings.business)["address"]
    location = f"{tenant.name}, {address}" if address else tenant.name
    tz = tenant.timezone
    spans = [calendar_times(*_span(tenant, line), tz) for line in order.lines]
    # Only the transitions around the booking: the whole zone history makes a 10 KB file.
    around = [d for start, end in spans for d in (start.date(), end.date())]
    around = around or [parse(now).date()]
    zone = zone_component(tz, min(around), max(around))  # None: written in UTC instead
    if zone is not None:
        cal.add_component(zone)
    for n, (line, (start, end)) in enumerate(zip(order.lines, spans, strict=True)):
        event = Event()
        event.add("uid", f"{order.id}-{n}@{tenant.slug}.reservoir")
        event.add("dtstamp", parse(now))
        event.add("dtstart", start if zone else start.astimezone(UTC))
        event.add("dtend", end if zone else end.astimezone(UTC))
        event.add("summary", f"{line.offering_name} ({tenant.name})")
        event.add("location", location)
        event.add("description", f"Booking {order.id}")
        event.add("sequence", order.version)
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        cal.add_component(event)
    return bytes(cal.to_ical())
