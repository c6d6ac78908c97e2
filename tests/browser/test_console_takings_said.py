"""A keyboard and screen-reader tester on the Takings page: "Close the day" dropped the keyboard
on <body> and the closed day's summary, drawn with its words, was not announced; with "abc" in
the cash counted, "Difference in cash" still said 0.00. Now the summary's status is there (empty)
before the day is closed and has the keyboard after, and the difference says "—" while the
field says no amount."""

from __future__ import annotations

import random
from datetime import timedelta

from tests.browser.test_console import sign_in, today
from tests.browser.test_console_focus_steps import press, wait_focus

ZONE = "America/New_York"


def test_closing_a_day_leaves_the_keyboard_on_its_summary(browser, console, demo):
    # A day of its own, long past: no other test closes it (the takings test closes today).
    day = (today(ZONE) - timedelta(days=random.randint(200, 3000))).isoformat()
    page = browser.page(width=1200, zone=ZONE)
    sign_in(page, console, "owner@shear-studio.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Takings").click()
    page.goto(f"{console.endpoint}/#/takings?date={day}")
    form = page.get_by_role("form", name="Close the day")
    difference = form.get_by_test_id("cash-difference")
    cash = form.get_by_label("Cash counted in the drawer")
    cash.fill("abc")
    difference.get_by_text("Difference in cash: —").wait_for()
    cash.fill("12")
    difference.get_by_text("Difference in cash: $12.00").wait_for()

    summary = page.locator("#closed-day[role=status]")
    assert summary.count() == 1 and summary.inner_text() == ""  # there before its words
    press(page, form.get_by_role("button", name="Close the day"))
    wait_focus(page, "#closed-day")
    summary.get_by_text("Closed by Maya Brooks at").wait_for()
    assert form.count() == 0
