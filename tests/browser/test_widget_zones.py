"""A visitor in another time zone than the business reads each time in their own zone too,
with their own weekday and date whenever their day is not the business's."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import (
    HOTEL,
    SALON,
    choices_for,
    fill_details,
    open_day,
    page_of,
)

NEW_YORK, SHANGHAI = ZoneInfo("America/New_York"), ZoneInfo("Asia/Shanghai")


def in_shanghai(day: date, at: time) -> datetime:
    return datetime.combine(day, at, NEW_YORK).astimezone(SHANGHAI)


def clock(moment: datetime) -> str:
    """12-hour time as en-US writes it, any space before AM/PM."""
    return rf"{moment.hour % 12 or 12}:{moment:%M}\s{moment:%p}"


def test_the_visitors_time_names_their_own_day_when_it_differs(browser, site, demo):
    # The salon is in New York; the visitor in Shanghai, 12 or 13 hours ahead.
    page = browser.page(zone="Asia/Shanghai")
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    # A day no other test books (its 10:00 and 12:00 must both be free with someone).
    day = open_day("America/New_York", ahead=16)
    page.get_by_label("Date").fill(day.isoformat())
    # 10:00 in New York is 22:00 or 23:00 the same day in Shanghai: the time alone.
    same = in_shanghai(day, time(10))
    assert same.date() == day
    button = choices_for(page, day).filter(has_text=re.compile(r"^10:00\sAM"))
    said = button.locator("small").first.inner_text()
    assert re.fullmatch(rf"your time: {clock(same)}", said), said
    # 12:00 in New York is after midnight in Shanghai: the visitor's day is named.
    later = in_shanghai(day, time(12))
    assert later.date() > day
    button = choices_for(page, day).filter(has_text=re.compile(r"^12:00\sPM"))
    said = button.locator("small").first.inner_text()
    expected = rf"your time: {later:%a}, {later:%b} {later.day}, {clock(later)}"
    assert re.fullmatch(expected, said), said


def test_the_hold_names_the_visitors_zone_when_the_page_is_in_the_businesss(browser, site, demo):
    page = browser.page(zone="Asia/Shanghai")
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    day = open_day("America/New_York", ahead=8)
    page.get_by_label("Date").fill(day.isoformat())
    choices_for(page, day).last.click()
    fill_details(page, "Zed Zone", "zed.zone@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("heading", name="Almost done").wait_for()
    until = page.locator("reservoir-booking .notice .sr-only").inner_text()
    assert re.fullmatch(r"until \d{1,2}:\d\d\s[AP]M \(China Standard Time\)", until), until
    # The booked time on the hold's summary has the visitor's beside it, as the list had (an
    # outside tester in Los Angeles read the business's 9:45 AM as their own).
    summary = page.locator("reservoir-booking dl").first.inner_text()
    assert "your time: " in summary, summary


def test_a_stays_check_in_time_names_the_hotels_zone_to_a_visitor_elsewhere(browser, site, demo):
    page = browser.page(zone="America/Los_Angeles")
    page.goto(page_of(site, HOTEL))
    line = page.locator("reservoir-booking .stay-times").first
    page.get_by_label("Check-in").fill(open_day("Europe/Berlin", ahead=30, closed=()).isoformat())
    page.get_by_role("button", name="Show availability").click()
    page.get_by_role("button", name=re.compile("^Choose ")).first.click()
    line.wait_for()
    # The zone's all-year name: a stay's check-out may fall after the clocks change (an
    # outside tester's check-out in summer read "Central European Standard Time").
    assert re.search(r"Check-in from .+\(Central European Time\)", line.inner_text()), (
        line.inner_text()
    )
    # What cancelling costs is said before booking (a tester's restaurant charged a no-show
    # fee its customers were never told of): the demo's tiers, 72 and 24 hours.
    terms = page.locator("reservoir-booking .terms").first.inner_text()
    assert terms.startswith(
        "Cancelling: 72 hours or more before, free; 24 hours or more before, 50% of the price"
    ), terms
    assert terms.endswith("later, the whole price is kept."), terms
    page.screenshot(path=str(SHOTS / "widget-terms-before-book.png"), full_page=True)
    # In Chinese, in full-width brackets with no space before them (an outside tester read
    # "11:00 前退房 (中欧时间)").
    zh = browser.page(zone="America/Los_Angeles", locale="zh-CN")
    zh.goto(page_of(site, HOTEL))
    zh.locator("reservoir-booking").evaluate("w => w.setAttribute('lang', 'zh-Hans')")
    zh.get_by_label("入住日期").fill(open_day("Europe/Berlin", ahead=30, closed=()).isoformat())
    zh.get_by_role("button", name="查看空位").click()
    zh.get_by_role("button", name=re.compile("^选择")).first.click()
    said = zh.locator("reservoir-booking .stay-times").first
    said.wait_for()
    assert said.inner_text().endswith("退房（中欧时间）"), said.inner_text()
