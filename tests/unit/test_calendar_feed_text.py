"""The calendar feed's name is TEXT (RFC 5545 3.8.8.2) and escaped as its events' summaries
are: an outside tester's resource `Room, "Blue"; 1` came out raw in X-WR-CALNAME."""

from __future__ import annotations

from datetime import date

import icalendar

from chalicelib.booking.adapters.ical import render


def feed(name: str) -> bytes:
    return render(
        [],
        name=name,
        tz="Europe/Berlin",
        now="2026-12-01T09:00:00.000000Z",
        first=date(2026, 12, 1),
        last=date(2026, 12, 2),
    )


def test_the_feeds_name_is_escaped_as_text() -> None:
    body = feed('Room, "Blue"; 1')
    assert b'X-WR-CALNAME:Room\\, "Blue"\\; 1\r\n' in body
    # as SUMMARY is written (the same escaping, by the same type)
    assert b"X-WR-CALNAME:" + icalendar.vText('Room, "Blue"; 1').to_ical() + b"\r\n" in body


def test_a_backslash_in_the_name_is_no_line_break() -> None:
    body = feed("Back\\nslash")
    assert b"X-WR-CALNAME:Back\\\\nslash\r\n" in body
    assert b"X-WR-TIMEZONE:Europe/Berlin\r\n" in body
