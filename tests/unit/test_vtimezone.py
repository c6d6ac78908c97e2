"""The VTIMEZONE a calendar file carries is checked against the zone database before it goes
out (kernel/services/vtimezone.py): `icalendar` left Casablanca's 7 Feb 2027 change out of a
feed's window (an outside tester's bookings then read an hour early), and New York's 14 Mar
2027 change out of a window ending that day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Timezone

from chalicelib.booking.adapters.ical import render
from chalicelib.booking.domain.feeds import FeedEntry
from chalicelib.kernel.services import vtimezone
from chalicelib.kernel.services.vtimezone import zone_component


def read_back(component: Timezone, tz: str):
    raw = component.to_ical().replace(f"TZID:{tz}".encode(), b"TZID:X-Test/Read")
    return Timezone.from_ical(raw).to_tz(lookup_tzid=False)


@pytest.mark.parametrize(
    ("tz", "first", "last", "after"),
    [
        ("Africa/Casablanca", date(2026, 11, 19), date(2027, 3, 4), datetime(2027, 2, 8, 12)),
        ("America/New_York", date(2027, 3, 14), date(2027, 3, 14), datetime(2027, 3, 14, 18)),
        ("Australia/Lord_Howe", date(2027, 9, 1), date(2027, 10, 9), datetime(2027, 10, 4)),
    ],
)
def test_the_written_rules_give_the_zones_offset_after_its_change(tz, first, last, after):
    component = zone_component(tz, first, last)
    assert component is not None
    at = after.replace(tzinfo=UTC)
    assert (
        at.astimezone(read_back(component, tz)).utcoffset()
        == at.astimezone(ZoneInfo(tz)).utcoffset()
    )


@pytest.fixture
def uncached():
    """Windows are kept per process (zone_component's cache): none from before, none after."""
    zone_component.cache_clear()
    yield
    zone_component.cache_clear()


def test_a_window_is_made_and_checked_once_then_kept(uncached, monkeypatch):
    checks = []
    real = vtimezone._matches
    monkeypatch.setattr(vtimezone, "_matches", lambda *a: checks.append(a[1]) or real(*a))
    first = zone_component("Europe/Berlin", date(2027, 3, 1), date(2027, 4, 1))
    assert zone_component("Europe/Berlin", date(2027, 3, 1), date(2027, 4, 1)) is first
    assert checks == ["Europe/Berlin"]


def test_rules_that_cannot_be_written_right_give_utc_times(uncached, monkeypatch):
    """No VTIMEZONE that matches: the feed's events are written in UTC, read right anywhere."""
    monkeypatch.setattr(vtimezone, "_matches", lambda *args: False)
    start = datetime(2027, 2, 8, 10, 0, tzinfo=UTC)
    entry = FeedEntry(
        uid="u1",
        summary="Cut",
        description="",
        status="CONFIRMED",
        start=start,
        end=start + timedelta(hours=1),
        updated_at="2026-11-24T09:00:00.000000Z",
        sequence=1,
    )
    body = render(
        [entry],
        name="Salon",
        tz="Africa/Casablanca",
        now="2026-11-24T09:00:00.000000Z",
        first=date(2026, 11, 19),
        last=date(2027, 3, 4),
    )
    cal = Calendar.from_ical(body)
    assert not cal.walk("VTIMEZONE")
    [event] = cal.walk("VEVENT")
    assert event["DTSTART"].to_ical() == b"20270208T100000Z"


@pytest.mark.parametrize(
    ("tz", "onsets"),
    [
        ("America/New_York", [("20270314T020000", "-0500"), ("20271107T020000", "-0400")]),
        ("Europe/Berlin", [("20270328T020000", "+0100"), ("20271031T030000", "+0200")]),
        ("Australia/Lord_Howe", [("20270404T020000", "+1100"), ("20271003T020000", "+1030")]),
    ],
)
def test_a_change_starts_at_its_local_time_in_the_offset_before_it(uncached, tz, onsets):
    """RFC 5545's own example: New York's DAYLIGHT starts at 02:00 (TZOFFSETFROM -0500), the
    instant clocks jump to 03:00; `icalendar` wrote 03:00, an hour late read to the letter."""
    component = zone_component(tz, date(2027, 1, 1), date(2027, 12, 20))
    assert component is not None
    changes = [
        (part["DTSTART"].to_ical().decode(), part["TZOFFSETFROM"].to_ical())
        for part in component.subcomponents
        if part["TZOFFSETFROM"].td != part["TZOFFSETTO"].td
    ]
    assert changes == onsets
    for part in component.subcomponents:
        onset = part["DTSTART"].dt.replace(tzinfo=UTC) - part["TZOFFSETFROM"].td
        before, after = (
            (onset + d).astimezone(ZoneInfo(tz)).utcoffset()
            for d in (-timedelta(seconds=1), timedelta(0))
        )
        if part["TZOFFSETFROM"].td != part["TZOFFSETTO"].td:
            assert (before, after) == (part["TZOFFSETFROM"].td, part["TZOFFSETTO"].td)


@pytest.mark.parametrize("tz", ["America/New_York", "Europe/Berlin", "Australia/Sydney"])
def test_every_change_of_a_window_over_a_year_starts_in_the_offset_before_it(uncached, tz):
    """A reviewer's: two springs in one window are one DAYLIGHT with an RDATE, which kept
    `icalendar`'s hour after the change (20270314T030000) while its DTSTART was mended."""
    component = zone_component(tz, date(2026, 1, 1), date(2027, 12, 31))
    assert component is not None
    onsets = 0
    for part in component.subcomponents:
        was, now = part["TZOFFSETFROM"].td, part["TZOFFSETTO"].td
        if was == now:
            continue
        rdates = part.get("RDATE")
        lists = [] if rdates is None else rdates if isinstance(rdates, list) else [rdates]
        for written in [part["DTSTART"].dt, *(d.dt for dates in lists for d in dates.dts)]:
            onset = written.replace(tzinfo=UTC) - was
            before, after = (
                (onset + d).astimezone(ZoneInfo(tz)).utcoffset()
                for d in (-timedelta(seconds=1), timedelta(0))
            )
            assert (before, after) == (was, now), (part.name, written)
            onsets += 1
    assert onsets == 4  # two springs, two autumns
