"""A hotel's check-in and check-out times: "HH:MM" read strictly; a stay's instants on the
business's wall clock across both daylight-saving changes (a check-in time the day skips is the
first instant after it, the moment the clocks jump); the reminders, the confirmation's .ics and
the calendar feed all use the business's times; old tenants read the defaults."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest

from chalicelib.booking.adapters.ical import render
from chalicelib.booking.domain.feeds import StayHours, entries
from chalicelib.booking.services import orders as order_service
from chalicelib.kernel.domain.business import BusinessDetails
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.stay_times import first_instant_from, stay_span, time_of_day
from chalicelib.kernel.domain.tenant import TenantSettings
from chalicelib.notifications.services.arrival import arrival, stay_in_time
from chalicelib.notifications.services.ics import order_calendar
from chalicelib.notifications.services.reminders import planned
from chalicelib.tenancy.adapters.profile_items import profile_attributes, profile_values
from chalicelib.tenancy.domain.business import validate_stay_times
from tests.builders import Shop, room_type, stay_offering
from tests.stage import Stage

NOW_MARCH = "2027-03-01T09:00:00.000000Z"
NOW_OCT = "2027-10-01T09:00:00.000000Z"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# -- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "minutes"), [("00:00", 0), ("14:00", 840), ("23:59", 1439)])
def test_a_time_of_day_is_hh_mm(text, minutes):
    assert time_of_day(text) == minutes


BAD = ["25:00", "3pm", "15:60", "24:00", "9:00", "15:0", "1500", "+1:00", "１５:００", "٠٩:٠٠"]


@pytest.mark.parametrize("text", BAD)
def test_anything_else_is_no_time_of_day(text):
    assert time_of_day(text) is None


@pytest.mark.parametrize("text", BAD)
@pytest.mark.parametrize("name", ["check_in_time", "check_out_time"])
def test_the_business_refuses_it_with_a_code_naming_the_field(text, name):
    with pytest.raises(InvalidInput) as caught:
        validate_stay_times({name: text})
    assert caught.value.code == f"invalid_{name}"
    assert caught.value.details["field"] == f"business.{name}"


def test_an_empty_time_returns_to_the_default_and_the_two_are_not_compared():
    assert validate_stay_times({"check_in_time": " ", "check_out_time": ""}) == {
        "check_in": 900,
        "check_out": 660,
    }
    # Out later in the day than in: a stay's check-out is on another day.
    assert validate_stay_times({"check_in_time": "08:00", "check_out_time": "22:00"}) == {
        "check_in": 480,
        "check_out": 1320,
    }


# -- instants across daylight-saving changes -------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "day", "wall", "expected"),
    [
        # Berlin skips 02:00-03:00 on 28 March 2027: 02:30 is taken as 03:00 CEST (01:00Z).
        ("Europe/Berlin", date(2027, 3, 28), 150, "2027-03-28T01:00"),
        ("Europe/Berlin", date(2027, 3, 28), 120, "2027-03-28T01:00"),
        ("Europe/Berlin", date(2027, 3, 28), 179, "2027-03-28T01:00"),
        ("Europe/Berlin", date(2027, 3, 28), 180, "2027-03-28T01:00"),  # exists: itself
        ("Europe/Berlin", date(2027, 3, 28), 119, "2027-03-28T00:59"),
        # New York skips 02:00-03:00 on 14 March 2027: 02:30 is 03:00 EDT (07:00Z).
        ("America/New_York", date(2027, 3, 14), 150, "2027-03-14T07:00"),
        # The repeated autumn hour: its first occurrence (02:30 CEST, 00:30Z).
        ("Europe/Berlin", date(2027, 10, 31), 150, "2027-10-31T00:30"),
        # Samoa skipped all of 30 December 2011: 10:00 that day is midnight of the 31st.
        ("Pacific/Apia", date(2011, 12, 30), 600, "2011-12-30T10:00"),
    ],
)
def test_a_wall_time_is_its_instant_or_the_first_instant_after_it(tz, day, wall, expected):
    assert first_instant_from(day, wall, tz) == utc(expected)


def test_a_stay_across_the_autumn_change_is_an_hour_longer_than_its_wall_clock():
    # Sat 30 Oct 14:00 CEST to Mon 1 Nov 10:00 CET: 44 hours on the wall, 45 real ones.
    start, end = stay_span(date(2027, 10, 30), 2, 14 * 60, 10 * 60, "Europe/Berlin")
    assert (start, end) == (utc("2027-10-30T12:00"), utc("2027-11-01T09:00"))
    assert end - start == timedelta(hours=45)


# -- old tenants, storage --------------------------------------------------------------------


def test_a_business_stored_before_stay_times_existed_reads_the_defaults():
    stored = profile_attributes(TenantSettings(business=BusinessDetails(legal_name="Inn")))
    del stored["business"]["check_in"], stored["business"]["check_out"]
    business = profile_values(stored)["business"]
    assert (business.check_in, business.check_out) == (900, 660)


def test_the_times_are_stored_and_read_back():
    settings = TenantSettings(business=BusinessDetails(check_in=14 * 60, check_out=630))
    business = profile_values(profile_attributes(settings))["business"]
    assert (business.check_in, business.check_out) == (840, 630)


# -- reminders, the .ics and the feed use the business's times --------------------------------


def hotel(tz: str, now: str, check_in: int, check_out: int = 660) -> Stage:
    stage = Stage(Shop(tz=tz, now=now).add(room_type(), stay_offering()))
    tenant = stage.tenant
    business = replace(tenant.settings.business, check_in=check_in, check_out=check_out)
    changed = replace(tenant, settings=replace(tenant.settings, business=business))
    stage.c.platform.tenants[tenant.id] = changed
    stage.shop.tenant = changed
    return stage


def confirmed_stay(stage: Stage, check_in: date, nights: int = 2):
    order = stage.book_stay(check_in=check_in, nights=nights)
    order_service.confirm(stage.ctx, order.id)
    stage.drain()
    return stage.data.orders.get(order.id)


def test_reminders_count_from_the_hotels_own_check_in_time_and_say_it():
    stage = hotel("Europe/Berlin", "2027-03-01T09:00:00.000000Z", check_in=14 * 60)
    order = confirmed_stay(stage, date(2027, 3, 10))
    dues = sorted(at for at, _ in stage.c.reminders.schedules.values())
    # 14:00 CET the day before, and 2 hours before 14:00 on the day.
    assert dues == ["2027-03-09T13:00:00.000000Z", "2027-03-10T11:00:00.000000Z"]
    said = stay_in_time(order, stage.tenant, "2027-03-09T13:00:00.000000Z", "en")
    assert said == "tomorrow, check-in from 14:00"
    zh = stay_in_time(order, stage.tenant, "2027-03-09T13:00:00.000000Z", "zh-Hans")
    assert zh == "明天（14:00 起可入住）"


def test_a_check_in_time_the_spring_change_skips_counts_from_the_moment_of_the_change():
    """02:30 on 28 March 2027 in Berlin does not exist (02:00 jumps to 03:00): the stay begins
    at 03:00 CEST (01:00Z); the 2-hour reminder goes 2 real hours before that, the day-before
    one at 03:00 on the 27th (CET, 02:00Z); the .ics starts at 03:00 CEST."""
    stage = hotel("Europe/Berlin", "2027-03-01T09:00:00.000000Z", check_in=150)
    order = confirmed_stay(stage, date(2027, 3, 28), nights=1)
    assert arrival(order, stage.tenant) == utc("2027-03-28T01:00")
    dues = sorted(due for _, due, _ in planned(stage.tenant, order, "2027-03-01T09:00"))
    assert dues == ["2027-03-27T02:00:00.000000Z", "2027-03-27T23:00:00.000000Z"]
    cal = icalendar.Calendar.from_ical(order_calendar(stage.tenant, order, now=NOW_MARCH))
    [event] = cal.walk("VEVENT")
    assert event.decoded("DTSTART").isoformat() == "2027-03-28T03:00:00+02:00"
    assert event.decoded("DTEND").isoformat() == "2027-03-29T11:00:00+02:00"


def test_the_confirmations_ics_spans_the_autumn_change_on_the_hotels_clock():
    stage = hotel("Europe/Berlin", "2027-10-01T09:00:00.000000Z", 14 * 60, 10 * 60)
    order = confirmed_stay(stage, date(2027, 10, 30))
    cal = icalendar.Calendar.from_ical(order_calendar(stage.tenant, order, now=NOW_OCT))
    [event] = cal.walk("VEVENT")
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert event["DTSTART"].params["TZID"] == event["DTEND"].params["TZID"] == "Europe/Berlin"
    assert (start.isoformat(), end.isoformat()) == (
        "2027-10-30T14:00:00+02:00",
        "2027-11-01T10:00:00+01:00",
    )
    # 45 real hours (Python subtracts two times of one zone by their wall clocks: 44).
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=45)
    # The VTIMEZONE carries the change in between, so a calendar reads both offsets right.
    (zone,) = cal.walk("VTIMEZONE")
    changes = [c.decoded("DTSTART") for c in zone.walk("STANDARD")]
    assert datetime(2027, 10, 31, 3, 0) in changes


def test_the_feed_spans_the_autumn_change_on_the_hotels_clock():
    stage = hotel("Europe/Berlin", "2027-10-01T09:00:00.000000Z", 16 * 60, 10 * 60)
    order = confirmed_stay(stage, date(2027, 10, 30))
    found = entries([order], "res_double", "t.reservoir", StayHours("Europe/Berlin", 960, 600))
    body = render(
        found,
        name="Double",
        tz="Europe/Berlin",
        now="2027-10-01T09:00:00.000000Z",
        first=date(2027, 10, 1),
        last=date(2027, 10, 31),  # the stay ends after the window: its zone still covers it
    )
    cal = icalendar.Calendar.from_ical(body)
    [event] = cal.walk("VEVENT")
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start.isoformat(), end.isoformat()) == (
        "2027-10-30T16:00:00+02:00",
        "2027-11-01T10:00:00+01:00",
    )
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=43)


def test_a_stay_whose_check_out_falls_in_the_repeated_hour_is_written_in_utc():
    """02:30 check-out on the autumn day happens twice: the calendar gets the first, in UTC."""
    stage = hotel("Europe/Berlin", "2027-10-01T09:00:00.000000Z", 15 * 60, 150)
    order = confirmed_stay(stage, date(2027, 10, 30), nights=1)
    cal = icalendar.Calendar.from_ical(order_calendar(stage.tenant, order, now=NOW_OCT))
    [event] = cal.walk("VEVENT")
    assert event["DTEND"].to_ical() == b"20271031T003000Z"
    assert event.decoded("DTSTART").astimezone(UTC) == utc("2027-10-30T13:00")
