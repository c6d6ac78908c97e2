"""Calendar files across both daylight-saving changes, in a US and a European zone: the
confirmation's `booking.ics` and the resource's calendar feed give a 60-minute booking its 60
real minutes at its real instant. A calendar reads a wall time of the autumn's repeated hour
as its first occurrence, so such a booking is written in UTC (`...Z`); elsewhere the
tenant's wall clock with its TZID."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from chalicelib.booking.adapters.ical import render
from chalicelib.booking.domain.feeds import FeedEntry
from chalicelib.booking.domain.orders import Channel, Customer
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.kernel.domain.calendar import parse_iso_utc as parse
from chalicelib.notifications.services.ics import order_calendar
from tests.builders import Shop, haircut, stylist

ALL_DAY = (((0, 1440),),) * 7
HOUR = timedelta(minutes=60)
# (zone, local start of a 60-minute booking, its real start in UTC, repeated hour or not)
CASES = [
    # New York skips 02:00-03:00 EST on 14 March 2027: 01:45 EST to 03:45 EDT.
    ("America/New_York", datetime(2027, 3, 14, 1, 45), "2027-03-14T06:45Z", False),
    # ...and repeats 01:00-02:00 on 7 November 2027: 01:15 EDT to 01:15 EST (the report's).
    ("America/New_York", datetime(2027, 11, 7, 1, 15), "2027-11-07T05:15Z", True),
    # Berlin skips 02:00-03:00 CET on 28 March 2027: 01:45 CET to 03:45 CEST.
    ("Europe/Berlin", datetime(2027, 3, 28, 1, 45), "2027-03-28T00:45Z", False),
    # ...and repeats 02:00-03:00 on 31 October 2027: 02:15 CEST to 02:15 CET.
    ("Europe/Berlin", datetime(2027, 10, 31, 2, 15), "2027-10-31T00:15Z", True),
    # Ending in the repeated hour: 00:30 EDT to 01:30 EDT, the first 01:30 of the night.
    ("America/New_York", datetime(2027, 11, 7, 0, 30), "2027-11-07T04:30Z", True),
]
IDS = [f"{tz}-{start:%Y-%m-%dT%H:%M}" for tz, start, _, _ in CASES]


def real(event: icalendar.Event, key: str) -> datetime:
    """The instant a calendar reads (a repeated wall time with a TZID: its first one)."""
    value = event.decoded(key)
    assert isinstance(value, datetime) and value.tzinfo is not None
    return value.astimezone(UTC)


def assert_sixty_real_minutes(event: icalendar.Event, tz: str, utc: str, repeated: bool) -> None:
    assert real(event, "DTSTART") == parse(utc)
    assert real(event, "DTEND") - real(event, "DTSTART") == HOUR
    if repeated:  # written in UTC: 20271107T051500Z
        assert event["DTSTART"].to_ical().endswith(b"Z") and "TZID" not in event["DTSTART"].params
        assert event["DTEND"].to_ical().endswith(b"Z")
    else:  # the business's wall clock
        assert event["DTSTART"].params["TZID"] == tz
        assert event["DTEND"].params["TZID"] == tz


@pytest.mark.parametrize(("tz", "start", "utc", "repeated"), CASES, ids=IDS)
def test_the_confirmations_ics_gives_sixty_real_minutes_across_the_change(tz, start, utc, repeated):
    shop = Shop(tz=tz, now="2026-12-01T09:00:00.000000Z")
    shop.add(stylist("res_a", "Alex", hours=ALL_DAY), haircut(duration_minutes=60))
    hold = HoldInput(Customer("Ada", "ada@example.com"), [LineInput("off_cut", start=start)],
                     Channel.API)  # fmt: skip
    order = hold_order(shop.ctx, shop.cache, hold, order_id="o_dst")
    assert parse(order.lines[0].start) == parse(utc)
    cal = icalendar.Calendar.from_ical(order_calendar(shop.tenant, order, now=shop.clock()))
    [event] = cal.walk("VEVENT")
    assert_sixty_real_minutes(event, tz, utc, repeated)


@pytest.mark.parametrize(("tz", "start", "utc", "repeated"), CASES, ids=IDS)
def test_the_calendar_feed_gives_sixty_real_minutes_across_the_change(tz, start, utc, repeated):
    begins = parse(utc)
    entry = FeedEntry(
        uid="o_dst-0@t.reservoir",
        summary="Haircut",
        description="Booking o_dst",
        start=begins,
        end=begins + HOUR,
        status="CONFIRMED",
        sequence=1,
        updated_at="2026-12-01T09:00:00.000000Z",
    )
    day = start.date()
    body = render(
        [entry],
        name="Alex",
        tz=tz,
        now="2026-12-01T09:00:00.000000Z",
        first=day - timedelta(days=1),
        last=day + timedelta(days=1),
    )
    [event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert_sixty_real_minutes(event, tz, utc, repeated)
