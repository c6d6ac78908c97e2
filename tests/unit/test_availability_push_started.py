"""A partner's update lists only what is still offered: a tester's evening update offered the
morning's departures (available 20, not closed), which the engine and OCTO no longer sold."""

from __future__ import annotations

from datetime import UTC, date, datetime

from chalicelib.channels.domain.availability_push import availability
from tests.builders import departure, room_type, stylist

BERLIN = "Europe/Berlin"
DAY = date(2026, 12, 5)
EVENING = datetime(2026, 12, 5, 17, 50, tzinfo=UTC)  # 18:50 in Berlin


def _starts(entries: list[dict]) -> list[tuple[str, str]]:
    return [(e["date"], e.get("start", "")) for e in entries]


def test_departures_that_have_begun_are_not_listed_and_later_ones_are():
    tours = departure(times=(8 * 60, 12 * 60, 19 * 60))
    sent = availability(tours, {}, DAY, date(2026, 12, 6), BERLIN, now=EVENING)
    assert _starts(sent) == [
        ("2026-12-05", "19:00"),
        ("2026-12-06", "08:00"),
        ("2026-12-06", "12:00"),
        ("2026-12-06", "19:00"),
    ]
    assert len(availability(tours, {}, DAY, DAY, BERLIN)) == 3  # no `now`: as before


def test_slots_before_now_are_not_listed_and_tonight_is():
    alex = stylist("res_a", "Alex", hours=(((17 * 60, 20 * 60),),) * 7)
    slots = _starts(availability(alex, {}, DAY, DAY, BERLIN, now=EVENING))
    assert slots[0] == ("2026-12-05", "19:00") and ("2026-12-05", "18:45") not in slots
    nights = availability(room_type(), {}, DAY, DAY, BERLIN, now=EVENING)
    assert _starts(nights) == [("2026-12-05", "")]  # a hotel sells tonight
