"""The week at a glance in the console, in chromium against the whole local stack: the salon's
owner opens next week, finds an appointment in its stylist's row on its day, moves a week on
and back, and opens the order from it. Screens are saved."""

from __future__ import annotations

import time
from datetime import timedelta

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import HOTEL, SALON, SHOTS, book, offering, sign_in, today


def haircut_with_alex(demo, live, days_ahead: int, at: str) -> dict:
    """A haircut line with Alex Rivera `days_ahead` days from today (a Monday if that is the
    Sunday the salon is closed), at `at` local time."""
    day = today("Europe/Berlin") + timedelta(days=days_ahead)
    while day.weekday() == 6:
        day += timedelta(days=1)
    resources = live.call("GET", "/v1/resources", key=demo[SALON].secret_key).json()["data"]
    alex = next(r for r in resources if r["name"] == "Alex Rivera")
    return {
        "offering_id": offering(demo, SALON, "Haircut"),
        "start": f"{day}T{at}",
        "resource_ids": {"0": alex["id"]},
    }


def test_the_salon_reads_next_week_and_opens_an_appointment_from_it(browser, console, demo, live):
    line = haircut_with_alex(demo, live, 7, "15:15")
    day = line["start"][:10]
    order = book(live, demo[SALON], "Wanda Week", line)
    page = browser.page(width=1280)
    sign_in(page, console, "owner@shear-studio.example")
    page.get_by_role("link", name="Week").click()
    page.goto(f"{console.endpoint}/#/week?date={day}")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Alex Rivera"))
    chip = row.get_by_role("link", name="Wanda Week")
    chip.wait_for()
    assert "3:15" in chip.inner_text()
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "week.png"), full_page=True)
    page.get_by_role("button", name="Next week").click()
    page.get_by_role("button", name="Previous week").click()
    row.get_by_role("link", name="Wanda Week").click()
    page.get_by_role("heading", name=f"Order {order['id']}").wait_for()


def test_a_tablet_reads_the_week_in_chinese_with_each_day_on_one_line(browser, console, demo, live):
    """An outside tester's week in Chinese at 768 px: "2026年11月" over "30日周一" in every
    header, and Saturday past the right edge. A column's day has no year (the title has it)
    and keeps to one line, and the week fits a tablet held upright, a long name too."""
    long_name = {"name": f"Suite{time.time_ns()}{time.time_ns()}", "kind": "nightly", "capacity": 1}
    made = live.call("POST", "/v1/resources", key=demo[HOTEL].secret_key, json=long_name)
    assert made.status_code == 201, made.text
    page = browser.page(width=768, locale="zh-CN")
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.goto(f"{console.endpoint}/#/week")
    page.get_by_role("rowheader", name="Double room").wait_for()
    headers = page.locator("table.week thead a")
    assert headers.count() == 7
    for n in range(7):
        weekday, date = headers.nth(n).locator("span").all()
        assert weekday.inner_text().startswith("周") and date.inner_text().endswith("日")
        assert "年" not in headers.nth(n).inner_text()
        for part in (weekday, date):  # each on one line: never "11月" over "30日"
            assert part.evaluate("s => s.getClientRects().length") == 1, part.inner_text()
    box = page.get_by_role("region", name="按资源和日期列出的预订")
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth"), "the week scrolls at 768 px"
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "week-zh-768.png"), full_page=True)
