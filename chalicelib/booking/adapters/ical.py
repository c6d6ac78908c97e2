"""Render a calendar feed as iCalendar (RFC 5545) with the `icalendar` package.

Timed bookings are written in the tenant's zone (DTSTART;TZID=...) with a VTIMEZONE that covers
the feed's window (checked against the zone database: kernel/services/vtimezone.py; UTC times
when it cannot be written right), so calendar apps show the wall-clock times the business works
in even across a daylight-saving change; a booking that starts or ends in the autumn's repeated
hour is written in UTC (`...Z`) instead, as a calendar reads a repeated wall time as its first
occurrence (kernel/domain/calendar.calendar_times). A stay is one event from the business's
check-in time on its arrival day to its check-out time on its departure day (booking/domain/
feeds.py), so a calendar shows "15:00 Tue - 11:00 Fri" rather than all-day dates.
"""

from __future__ import annotations

from datetime import UTC, date

from icalendar import Calendar, Event, vText

from chalicelib.booking.domain.feeds import FeedEntry
from chalicelib.kernel.domain.calendar import calendar_times, local_date
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.services.vtimezone import zone_component

PRODID = "-//Reservoir//Calendar feed 1.0//EN"


def render(
    entries: list[FeedEntry], *, name: str, tz: str, now: str, first: date, last: date
) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # An X- property is TEXT (RFC 5545 3.8.8.2), but icalendar writes a plain str given to one
    # raw: a name's comma, semicolon or backslash would read as markup (an outside tester's
    # `Room, "Blue"; 1`). As vText they are escaped as SUMMARY's are.
    cal.add("x-wr-calname", vText(name))
    cal.add("x-wr-timezone", vText(tz))
    # Through the last departure too: a stay that begins in the window may end past it.
    last = max([last, *(local_date(e.end, tz) for e in entries)])
    zone = zone_component(tz, first, last)  # None: no rules icalendar writes right: UTC
    if zone is not None:
        cal.add_component(zone)
    stamp = parse(now)
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("last-modified", parse(entry.updated_at))
        event.add("sequence", entry.sequence)
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        event.add("status", entry.status)
        event.add("transp", "OPAQUE")
        start, end = calendar_times(entry.start, entry.end, tz)
        if zone is None:
            start, end = start.astimezone(UTC), end.astimezone(UTC)
        event.add("dtstart", start)
        event.add("dtend", end)
        cal.add_component(event)
    return cal.to_ical()
