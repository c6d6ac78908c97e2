"""Render a calendar feed as iCalendar (RFC 5545) with the `icalendar` package.

Timed bookings are written in the tenant's zone (DTSTART;TZID=...) with a VTIMEZONE that
covers the feed's window, so calendar apps show the wall-clock times the business works in
even across a daylight-saving change; nightly stays are all-day dates.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from chalicelib.booking.domain.feeds import FeedEntry
from chalicelib.kernel.domain.timefmt import parse

PRODID = "-//Reservoir//Calendar feed 1.0//EN"


def render(
    entries: list[FeedEntry], *, name: str, tz: str, now: str, first: date, last: date
) -> bytes:
    zone = ZoneInfo(tz)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", tz)
    cal.add_component(Timezone.from_tzid(tz, first_date=first - timedelta(days=1), last_date=last))
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
        for key, value in (("dtstart", entry.start), ("dtend", entry.end)):
            event.add(key, value.astimezone(zone) if isinstance(value, datetime) else value)
        cal.add_component(event)
    return cal.to_ical()
