"""The console's timeline geometry (web/console/timeline_layout.ts), run in node after
esbuild compiles it: minutes by the wall clock, lanes for overlapping bookings, the closed
parts of a day, and the nights the clocks change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.node_ts import NEEDS_NODE, run_ts

pytestmark = NEEDS_NODE


def run(tmp_path: Path, expressions: dict[str, str]) -> dict[str, Any]:
    return run_ts(tmp_path, "web/console/timeline_layout.ts", "L", expressions)


def span(start: str, end: str, day: str) -> str:
    return f"L.spanOf({json.dumps(start)}, {json.dumps(end)}, {json.dumps(day)})"


def test_the_timeline_geometry(tmp_path):
    got = run(
        tmp_path,
        {
            "morning": span("2026-12-10T09:30+01:00", "2026-12-10T10:15+01:00", "2026-12-10"),
            "overnight": span("2026-12-09T23:00+01:00", "2026-12-10T01:00+01:00", "2026-12-10"),
            "into_tomorrow": span("2026-12-10T23:00+01:00", "2026-12-11T01:00+01:00", "2026-12-10"),
            # Berlin, 2027-10-31: 02:30 summer time to 02:15 winter time is 45 minutes
            "clocks_back": span("2027-10-31T02:30+02:00", "2027-10-31T02:15+01:00", "2027-10-31"),
            # An evening's small hours the next night (a bar's): past 1440, its real hour
            "late_repeated": span("2027-10-31T02:00+02:00", "2027-10-31T02:00+01:00", "2027-10-30"),
            # Sydney, 2027-04-04: the first 02:30 to the second is one real hour
            "hour_repeated": span("2027-04-04T02:30+11:00", "2027-04-04T02:30+10:00", "2027-04-04"),
            # 2027-03-28: 01:30 to 03:30 by the clock is one real hour; drawn as the clock reads
            "clocks_forward": span(
                "2027-03-28T01:30+01:00", "2027-03-28T03:30+02:00", "2027-03-28"
            ),
            "lanes": "L.assign([{from: 540, to: 600}, {from: 570, to: 630}, {from: 600, to: 660}])",
            "range_empty": "L.hoursRange([])",
            "range": "L.hoursRange([{from: 425, to: 1210}])",
            "closed": "L.closedParts({from: 420, to: 1200}, [{from: 540, to: 720}, {from: 780, "
            "to: 1020}])",
            "closed_all_day": "L.closedParts({from: 480, to: 1080}, [])",
            "place": "L.place({from: 600, to: 660}, {from: 480, to: 1080})",
        },
    )
    assert got["morning"] == {"from": 570, "to": 615}
    assert got["overnight"] == {"from": 0, "to": 60}
    # Drawn on past midnight (an evening's row runs on into the small hours it serves).
    assert got["into_tomorrow"] == {"from": 1380, "to": 1500}
    assert got["clocks_back"] == {"from": 150, "to": 195}
    assert got["hour_repeated"] == {"from": 150, "to": 210}
    assert got["late_repeated"] == {"from": 1560, "to": 1620}
    assert got["clocks_forward"] == {"from": 90, "to": 210}
    assert got["lanes"] == {"lanes": [0, 1, 0], "count": 2}
    assert got["range_empty"] == {"from": 480, "to": 1080}
    assert got["range"] == {"from": 420, "to": 1260}
    assert got["closed"] == [
        {"from": 420, "to": 540},
        {"from": 720, "to": 780},
        {"from": 1020, "to": 1200},
    ]
    assert got["closed_all_day"] == [{"from": 480, "to": 1080}]
    assert got["place"] == {"left": "20%", "width": "10%"}


def test_the_view_opens_at_the_first_opening_or_booking_and_counts_what_is_out_of_sight(
    tmp_path,
):
    """P7A finding 7: a restaurant's evening and a 22:00 event were out of sight at 08:00."""
    got = run(
        tmp_path,
        {
            "evening": "L.openingMinute([{from: 1020, to: 1380}], [{from: 1080, to: 1200}])",
            "early_booking": "L.openingMinute([{from: 540, to: 1020}], [{from: 495, to: 540}])",
            "event_only": "L.openingMinute([], [{from: 1320, to: 1440}])",
            "nothing": "L.openingMinute([], [])",
            "out": "L.outside([{from: 480, to: 540}, {from: 600, to: 660}, {from: 1200, to: 1260}, "
            "{from: 1320, to: 1440}], {from: 560, to: 1000})",
        },
    )
    assert got["evening"] == 1020
    assert got["early_booking"] == 480
    assert got["event_only"] == 1320
    assert got["nothing"] is None
    assert got["out"] == {"before": 1, "after": 2}


def test_an_evening_runs_on_past_midnight_and_the_day_opens_at_the_business_opening(tmp_path):
    """Outside testers: a bar open 18:00-02:00 opened its Tuesday at midnight, and its
    Monday's 00:30 table was not on Monday's timeline."""
    late = {"weekly": {d: [["00:00", "02:00"], ["18:00", "24:00"]] for d in ("mon", "tue")}}
    hours = json.dumps({**late, "closed_dates": ["2026-12-15"]})
    sheet = json.dumps({"hours": [{"start": "18:00", "end": "24:00"}], "late_until": "02:00"})
    got = run(
        tmp_path,
        {
            "small_hours": span("2026-12-08T00:30+01:00", "2026-12-08T02:00+01:00", "2026-12-07"),
            "days_after": span("2026-12-09T10:00+01:00", "2026-12-09T11:00+01:00", "2026-12-07"),
            "open": f"L.openSpans({sheet})",
            "range": "L.hoursRange(L.openSpans(" + sheet + "))",
            "tuesday": f"L.businessOpening({hours}, '2026-12-08')",
            "monday": f"L.businessOpening({hours}, '2026-12-07')",  # Sunday has no hours
            "closed": f"L.businessOpening({hours}, '2026-12-15')",
            "today": "L.openedAt(845, 1080, [], [])",
            "business": "L.openedAt(null, 1080, [{from: 0, to: 120}], [{from: 30, to: 120}])",
            "resources": "L.openedAt(null, null, [{from: 0, to: 120}, {from: 1080, to: 1440}], "
            "[{from: 30, to: 120}, {from: 1200, to: 1290}])",
        },
    )
    assert got["small_hours"] == {"from": 1470, "to": 1560}
    assert got["days_after"] == {"from": 2880, "to": 2880}
    assert got["open"] == [{"from": 1080, "to": 1440}, {"from": 1440, "to": 1560}]
    assert got["range"] == {"from": 480, "to": 1560}
    assert (got["tuesday"], got["monday"], got["closed"]) == (1080, 0, None)
    assert got["today"] == 840  # the present hour
    assert got["business"] == 1080
    assert got["resources"] == 1080  # the small hours are the evening before's
