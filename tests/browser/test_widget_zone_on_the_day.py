"""The widget's note "Times are in <zone>" names the zone's time on the day shown, not today's:
London's summer dates are in British Summer Time, New York's in Eastern Daylight Time, from the
day the clocks change (checked at the next change after today, whenever the test runs)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import SALON, page_of

NAMES = {
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
}
ZH_NAMES = {"GMT": "格林尼治标准时间", "BST": "英国夏令时间"}


def abbreviation(zone: str, day: date) -> str:
    return datetime.combine(day, time(12), ZoneInfo(zone)).tzname() or ""


def next_change(zone: str) -> date:
    """The first day after today whose midday runs on another clock than today's."""
    today = datetime.now(ZoneInfo(zone)).date()
    day = today + timedelta(days=1)
    while abbreviation(zone, day) == abbreviation(zone, today):
        day += timedelta(days=1)
    return day


# The note, found by its words (whatever the widget's markup): it names `t`.
NAMES_IT = """t => [...document.querySelector('reservoir-booking').shadowRoot.querySelectorAll('p')]
  .some(p => /^(Times are in |以上时间均为)/.test(p.textContent) && p.textContent.includes(t))"""


def note(page: Any) -> str:
    return str(page.locator("reservoir-booking p", has_text="Times are in").inner_text())


def show_day(page: Any, label: str, day: date) -> None:
    page.get_by_label(label).fill(day.isoformat())
    page.locator(f"reservoir-booking [data-date='{day}']").wait_for()


def test_new_york_is_named_by_the_clock_of_the_day_shown(browser, site, demo):
    page = browser.page(width=1280)  # read in London: the note is shown
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name=re.compile("^Haircut")).wait_for()
    # Under the list of services, which shows no time, no word of times (a tester's finding).
    assert page.locator("reservoir-booking p", has_text="Times are in").count() == 0
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    change = next_change("America/New_York")
    for day in (change - timedelta(days=1), change, change + timedelta(days=1)):
        show_day(page, "Date", day)
        expected = NAMES[abbreviation("America/New_York", day)]
        page.wait_for_function(NAMES_IT, arg=expected)
        assert note(page) == f"Times are in {expected}.", (day, note(page))
    page.screenshot(path=str(SHOTS / "widget-zone-on-the-day-ny-1280.png"), full_page=True)


def as_london(page: Any) -> None:
    """The salon's page, its business answered as if in London (the widget names the zone from
    the business's timezone alone: no London business is seeded)."""

    def london(route: Any) -> None:
        answer = route.fetch()
        body = answer.json()
        body["timezone"] = "Europe/London"
        route.fulfill(response=answer, body=json.dumps(body))

    page.route(re.compile(r".*/v1/public/tenant$"), london)


def test_london_is_named_by_the_clock_of_the_day_shown_in_english_and_chinese(browser, site, demo):
    change = next_change("Europe/London")
    views = ((1280, "en", "Date", NAMES), (390, "zh-Hans", "日期", ZH_NAMES))
    for width, lang, label, names in views:
        page = browser.page(width=width, zone="America/New_York")
        as_london(page)
        page.goto(page_of(site, SALON))
        page.locator("reservoir-booking").evaluate(f"w => w.setAttribute('lang', '{lang}')")
        page.locator("reservoir-booking button.choice").first.click()
        for day in (change - timedelta(days=1), change):
            show_day(page, label, day)
            expected = names[abbreviation("Europe/London", day)]
            page.wait_for_function(NAMES_IT, arg=expected)
        page.screenshot(path=str(SHOTS / f"widget-zone-on-the-day-london-{lang}-{width}.png"))
