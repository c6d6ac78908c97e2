"""The shared formatter (web/shared/format.ts, run in node after esbuild) writes a time the
clock reads twice (the hour the clocks go back) with its offset, and every other time as
before: a time-zone tester's console showed an hour-long booking as "2:30 AM–2:30 AM"."""

from __future__ import annotations

import json
from pathlib import Path

from tests.node_ts import NEEDS_NODE, run_ts

pytestmark = NEEDS_NODE

SYDNEY = "Australia/Sydney"


def formats(locale: str, zone: str) -> str:
    return f"new F.Formats({json.dumps(locale)}, {json.dumps(zone)}, 'AUD', 2)"


def test_a_time_the_clock_reads_twice_is_written_with_its_offset(tmp_path: Path) -> None:
    en, zh = formats("en-AU", SYDNEY), formats("zh-CN", SYDNEY)
    got = run_ts(
        tmp_path,
        "web/shared/format.ts",
        "F",
        {
            "first": f"{en}.time('2027-04-04T02:30+11:00')",
            "second": f"{en}.time('2027-04-04T02:30+10:00')",
            "before": f"{en}.time('2027-04-04T01:30+11:00')",
            "after": f"{en}.time('2027-04-04T03:30+10:00')",
            "skipped_side": f"{en}.time('2027-10-03T03:30+11:00')",
            "date_time": f"{zh}.dateTime('2027-04-04T02:30+10:00')",
            "repeated": f"F.repeatedWallTime(new Date('2027-04-04T02:30+11:00'), '{SYDNEY}')",
            "berlin": "F.repeatedWallTime(new Date('2027-10-31T02:30+01:00'), 'Europe/Berlin')",
            "ordinary": "F.repeatedWallTime(new Date('2026-12-06T02:30+01:00'), 'Europe/Berlin')",
        },
    )
    assert "GMT+11" in got["first"] and "2:30" in got["first"]
    assert "GMT+10" in got["second"] and "2:30" in got["second"]
    assert "GMT" not in got["before"] and "GMT" not in got["after"]
    assert "GMT" not in got["skipped_side"]  # the spring's hour is skipped, not repeated
    assert "GMT+10" in got["date_time"]
    assert got["repeated"] is True and got["berlin"] is True and got["ordinary"] is False
