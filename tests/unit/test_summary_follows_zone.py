"""The morning summary after a change of the business's zone (reports/services/summaries.py,
`follow_zone`): moved to its hour in the new zone; one already due is left to the run (moving
it would lose that morning); one a send moved meanwhile is read again and moved (the send may
have read the old zone: a reviewer's)."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.reports.domain.summaries import SummarySettings
from chalicelib.reports.services.summaries import follow_zone
from chalicelib.reports.services.summary_ports import SummarySchedule
from tests.builders import Shop
from tests.fakes import FakeSummarySchedules

NOW = "2026-11-24T09:00:00.000000Z"
ON = SummarySettings(enabled=True, hour=7)


def auckland():
    return Shop(tz="Pacific/Auckland", now=NOW, currency="NZD").tenant


def schedules(due: str) -> FakeSummarySchedules:
    found = FakeSummarySchedules()
    found.save(SummarySchedule(tenant_id="t_shop", settings=ON, due=due))
    return found


def test_the_next_summary_moves_to_the_new_zones_hour():
    found = schedules("2026-11-25T06:00:00.000000Z")  # 07:00 in Berlin
    follow_zone(found, auckland(), NOW)
    assert found.items["t_shop"].due == "2026-11-24T18:00:00.000000Z"  # 07:00 NZDT on the 25th


def test_a_summary_already_due_is_left_to_the_run():
    found = schedules("2026-11-24T08:45:00.000000Z")
    follow_zone(found, auckland(), NOW)
    assert found.items["t_shop"].due == "2026-11-24T08:45:00.000000Z"


def test_a_summary_a_send_moved_meanwhile_is_read_again_and_moved():
    found = schedules("2026-11-25T06:00:00.000000Z")
    moved_once = {"done": False}
    real_get = found.get

    def get(tenant_id: str):
        seen = real_get(tenant_id)
        if not moved_once["done"]:  # a send moves it (in the old zone) right after this read
            moved_once["done"] = True
            stale = replace(found.items["t_shop"], due="2026-11-26T06:00:00.000000Z")
            found.items["t_shop"] = stale
        return seen

    found.get = get  # type: ignore[method-assign]
    follow_zone(found, auckland(), NOW)
    assert found.items["t_shop"].due == "2026-11-24T18:00:00.000000Z"
